// Entry of the CommonJS bundle (scripts/build-cjs.mjs): the
// glue's initSync, the Wxpay class and the error class, resolved in the package
// directory being built (esbuild --resolve-dir).
export { initSync } from './wxpay_wasm.js';
export { Wxpay, notifySuccess, notifyFailure, parseBill } from './wxpay.js';
export { WxpayError } from './error.js';
export { uploadForm } from './upload.js';
export { readBill } from './bill.js';
export { payscoreParams, signV2 } from './payscore.js';
// For node.cjs only (not among the package's exports): its error when the .wasm cannot be read.
export { nodeTooOld, wasmUnreadable } from './boundary.js';
