// Node, ESM: compile the one .wasm synchronously at import, so no init call is needed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync } from './wxpay_wasm.js';
import { nodeTooOld, wasmUnreadable } from './boundary.js';

const old = nodeTooOld();
if (old) throw old;
initSync({ module: wasm() });

/** The .wasm beside this file; a bundler that moved this file without it is named as the cause. */
function wasm() {
  let file;
  try {
    // Made inside: a bundle to CommonJS (esbuild's default for Node) leaves import.meta empty.
    file = new URL('./wxpay_wasm_bg.wasm', import.meta.url);
    return readFileSync(file);
  } catch (cause) {
    throw wasmUnreadable(cause, file?.protocol === 'file:' ? fileURLToPath(file) : file?.href);
  }
}

export { Wxpay, notifySuccess, notifyFailure, parseBill } from './wxpay.js';
export { uploadForm } from './upload.js';
export { readBill } from './bill.js';
export { payscoreParams, signV2 } from './payscore.js';
export { WxpayError } from './error.js';
