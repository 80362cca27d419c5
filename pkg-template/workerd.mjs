// Cloudflare Workers: wasm cannot be compiled from bytes at run time there,
// so the .wasm is imported as a module (wrangler bundles it) and instantiated.
import module from './wxpay_wasm_bg.wasm';
import { initSync } from './wxpay_wasm.js';

initSync({ module });

export { Wxpay, notifySuccess, notifyFailure, parseBill } from './wxpay.js';
export { uploadForm } from './upload.js';
export { readBill } from './bill.js';
export { payscoreParams, signV2 } from './payscore.js';
export { WxpayError } from './error.js';
