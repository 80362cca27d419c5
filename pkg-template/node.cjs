// Node, CommonJS: the same glue, bundled to CJS at build time, and the same .wasm.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const glue = require('./wxpay_wasm.cjs');

glue.initSync({ module: readFileSync(join(__dirname, 'wxpay_wasm_bg.wasm')) });

exports.Wxpay = glue.Wxpay;
exports.WxpayError = glue.WxpayError;
exports.notifySuccess = glue.notifySuccess;
exports.notifyFailure = glue.notifyFailure;
exports.parseBill = glue.parseBill;
exports.uploadForm = glue.uploadForm;
exports.readBill = glue.readBill;
