// Browsers and other fetch + WebAssembly runtimes: fetch the .wasm next to
// this file; top-level await means importers need no init call.
import init from './wxpay_wasm.js';
import { denoRefused, wasmUnreadable } from './boundary.js';

// The URL stays a literal `new URL(..., import.meta.url)`: bundlers find the .wasm by it.
await load(new URL('./wxpay_wasm_bg.wasm', import.meta.url));

/**
 * Fetches and instantiates the .wasm at `url`. A server that does not have it there (a bundler or
 * dev server moved this file without it: Vite 7's dependency pre-bundling, which answers with its
 * HTML page; see README, Runtimes) is named as the cause, not left to a failure to compile the page
 * or error served in its place.
 */
async function load(url) {
  // The browser entry loaded by Node: a bundler resolved the package without the `node` condition.
  // (Deno has a `process` too, and its own advice below.)
  const advice = typeof process === 'object' && typeof process?.versions?.node === 'string' && typeof Deno === 'undefined'
    ? "This is the browser entry, loaded in Node: a bundler or a test environment (Jest's jsdom, happy-dom) resolved wxpay-wasm without the node condition (rollup: nodeResolve({ exportConditions: ['node'] }); Jest: the node test environment); better, keep the package external (README, Runtimes; Testing your code)"
    : "If a bundler or dev server moved this file away from it, keep them together (esbuild, rollup: copy wxpay_wasm_bg.wasm beside the bundle; Vite: optimizeDeps: { exclude: ['wxpay-wasm'] }; README, Runtimes)";
  let response;
  try {
    response = await fetch(url);
  } catch (cause) {
    // Deno fetches a file: URL only with read access to it: say which.
    if (url.protocol === 'file:' && denoRefused(cause)) throw wasmUnreadable(cause, decodeURIComponent(url.pathname));
    throw new Error(`wxpay-wasm: cannot fetch wxpay_wasm_bg.wasm from ${url}. ${advice}: ${cause?.message}`, { cause });
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || /^text\/html\b/i.test(type)) {
    response.body?.cancel().catch(() => {});
    throw new Error(`wxpay-wasm: ${url} answered ${response.status} (${type || 'no content type'}), not wxpay_wasm_bg.wasm. ${advice}`);
  }
  // Compiled as it streams when served as application/wasm; else from its bytes (the glue would
  // try streaming, fail, and warn on the console).
  const streamed = /^application\/wasm\b/i.test(type);
  try {
    try {
      await init({ module_or_path: streamed ? response : await response.arrayBuffer() });
    } catch (refused) {
      // A Response the host's streaming compile does not take, its body left unread: one of another
      // realm or another fetch (Vercel's EdgeRuntime, undici from npm). Compiled from its bytes.
      if (!streamed || response.bodyUsed) throw refused;
      await init({ module_or_path: await response.arrayBuffer() });
    }
  } catch (cause) {
    throw new Error(`wxpay-wasm: cannot instantiate wxpay_wasm_bg.wasm from ${url}: ${cause?.message}`, { cause });
  }
}

export { Wxpay, notifySuccess, notifyFailure, parseBill } from './wxpay.js';
export { uploadForm } from './upload.js';
export { readBill } from './bill.js';
export { payscoreParams, signV2 } from './payscore.js';
export { WxpayError } from './error.js';
