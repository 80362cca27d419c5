// Node, ESM: compile the one .wasm synchronously at import, so no init call is needed.
import { readFileSync } from 'node:fs';
import { initSync } from './wxpay_wasm.js';

initSync({ module: wasm() });

/** The .wasm beside this file; a bundler that moved this file without it is named as the cause. */
function wasm() {
  try {
    return readFileSync(new URL('./wxpay_wasm_bg.wasm', import.meta.url));
  } catch (cause) {
    // Deno without read access says so itself (NotCapable): its flag is the advice, not bundling.
    if (cause?.name === 'NotCapable' || cause?.name === 'PermissionDenied') {
      throw new Error('wxpay-wasm: Deno needs read access to wxpay_wasm_bg.wasm: run with --allow-read=node_modules/wxpay-wasm (README, Runtimes): ' + cause.message, { cause });
    }
    throw new Error('wxpay-wasm: cannot read wxpay_wasm_bg.wasm beside its entry. If a bundler (Next.js, esbuild, webpack) took the package into a bundle, keep it external (README, Runtimes): ' + cause.message, { cause });
  }
}

export { Wxpay, notifySuccess, notifyFailure, parseBill } from './wxpay.js';
export { uploadForm } from './upload.js';
export { readBill } from './bill.js';
export { payscoreParams, signV2 } from './payscore.js';
export { WxpayError } from './error.js';
