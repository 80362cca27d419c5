// Node, ESM: compile the one .wasm synchronously at import, so no init call is needed.
import { readFileSync } from 'node:fs';
import { initSync } from './wxpay_wasm.js';

initSync({ module: readFileSync(new URL('./wxpay_wasm_bg.wasm', import.meta.url)) });

export { Wxpay, notifySuccess, notifyFailure, parseBill } from './wxpay.js';
export { uploadForm } from './upload.js';
export { readBill } from './bill.js';
export { WxpayError } from './error.js';
