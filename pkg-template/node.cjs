// Node, CommonJS: the same glue and Wxpay class, bundled to CJS at build time, and the same .wasm.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const bundle = require('./wxpay_wasm.cjs');

let bytes;
try {
  bytes = readFileSync(join(__dirname, 'wxpay_wasm_bg.wasm'));
} catch (cause) {
  throw bundle.wasmUnreadable(cause);
}
bundle.initSync({ module: bytes });

exports.Wxpay = bundle.Wxpay;
exports.WxpayError = bundle.WxpayError;
exports.notifySuccess = bundle.notifySuccess;
exports.notifyFailure = bundle.notifyFailure;
exports.parseBill = bundle.parseBill;
exports.uploadForm = bundle.uploadForm;
exports.readBill = bundle.readBill;
exports.payscoreParams = bundle.payscoreParams;
exports.signV2 = bundle.signV2;
