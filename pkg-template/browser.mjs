// Browsers and other fetch + WebAssembly runtimes: fetch the .wasm next to
// this file; top-level await means importers need no init call.
import init from './wxpay_wasm.js';

await init({ module_or_path: new URL('./wxpay_wasm_bg.wasm', import.meta.url) });

export { Wxpay, notifySuccess, notifyFailure, parseBill } from './wxpay.js';
export { uploadForm } from './upload.js';
export { readBill } from './bill.js';
export { payscoreParams, signV2 } from './payscore.js';
export { WxpayError } from './error.js';
