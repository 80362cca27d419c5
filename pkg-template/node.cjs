// Node, CommonJS: the same glue and Wxpay class, bundled to CJS at build time, and the same .wasm.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const bundle = require('./wxpay_wasm.cjs');

let bytes;
try {
  bytes = readFileSync(join(__dirname, 'wxpay_wasm_bg.wasm'));
} catch (cause) {
  // Deno without read access says so itself (NotCapable): its flag is the advice, not bundling.
  if (cause && (cause.name === 'NotCapable' || cause.name === 'PermissionDenied')) {
    throw new Error('wxpay-wasm: Deno needs read access to wxpay_wasm_bg.wasm: run with --allow-read=node_modules/wxpay-wasm (README, Runtimes): ' + cause.message, { cause });
  }
  // A bundler that moved this file without the .wasm is named as the cause.
  throw new Error('wxpay-wasm: cannot read wxpay_wasm_bg.wasm beside its entry. If a bundler (Next.js, esbuild, webpack) took the package into a bundle, keep it external (README, Runtimes): ' + cause.message, { cause });
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
