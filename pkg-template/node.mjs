// Node, ESM: compile the one .wasm synchronously at import, so no init call is needed.
import { readFileSync } from 'node:fs';
import { initSync } from './wxpay_wasm.js';
import { wasmUnreadable } from './boundary.js';

initSync({ module: wasm() });

/** The .wasm beside this file; a bundler that moved this file without it is named as the cause. */
function wasm() {
  try {
    return readFileSync(new URL('./wxpay_wasm_bg.wasm', import.meta.url));
  } catch (cause) {
    throw wasmUnreadable(cause);
  }
}

export { Wxpay, notifySuccess, notifyFailure, parseBill } from './wxpay.js';
export { uploadForm } from './upload.js';
export { readBill } from './bill.js';
export { payscoreParams, signV2 } from './payscore.js';
export { WxpayError } from './error.js';
