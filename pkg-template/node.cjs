// Node, CommonJS: the same glue and Wxpay class, bundled to CJS at build time, and the same .wasm.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const bundle = require('./wxpay_wasm.cjs');

const old = bundle.nodeTooOld();
if (old) throw old;

let bytes, file;
try {
  file = join(__dirname, 'wxpay_wasm_bg.wasm');
  bytes = readFileSync(file);
} catch (cause) {
  throw bundle.wasmUnreadable(cause, file);
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
