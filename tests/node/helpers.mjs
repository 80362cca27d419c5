// Shared by the tests/node/*.test.mjs suites: one sandbox per file, client options from it,
// and the assertions every suite repeats. Not a test file itself (no `.test.` in the name).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import http from 'node:http';
import net from 'node:net';
import { before, after, beforeEach } from 'node:test';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { startSandbox, CARD_ID } from '../sandbox/index.mjs';
import { signAnswer } from '../sandbox/answer.mjs';

export { CARD_ID };
/** The seeded plain member code, and the one that only survives the path percent-encoded. */
export const CODE = '300000001';
export const ODD_CODE = 'a b/c?é';
export const SEED_TEMPLATE = 'v3/marketing/membercard-open/cards/{card_id}/codes/{code}';

/**
 * Starts one sandbox for the calling test file, resets it before each test, closes it after.
 * Returns a holder whose `.sb` is set once `before` has run.
 */
export function useSandbox() {
  const ctx = { sb: null };
  before(async () => { ctx.sb = await startSandbox(); });
  beforeEach(() => { ctx.sb.reset(); ctx.sb.answerKey = 'platform'; });
  after(async () => { await ctx.sb?.close(); });
  return ctx;
}

/**
 * A notification endpoint on node:http (127.0.0.1) for a suite, listening from the call on:
 * `await endpoint.ready` is its URL (node:test may run a file's `before` hooks side by side);
 * `endpoint.handle(fn)` sets the handler its requests go to.
 */
export function useNotifyEndpoint() {
  let handler = () => {};
  const server = http.createServer((req, res) => handler(req, res));
  const ready = new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/notify`)));
  after(() => new Promise((resolve) => server.close(resolve)));
  return { ready, handle: (fn) => { handler = fn; } };
}

/** Options for `new Wxpay` that work against `sb`, with `extra` on top. */
export function options(sb, extra = {}) {
  return {
    mchid: sb.mchid,
    serial: sb.merchant.serial,
    privateKey: sb.merchant.privateKeyPkcs8,
    certs: { [sb.platform.serial]: sb.platform.certificate },
    baseURL: sb.baseURL,
    ...extra,
  };
}

export const client = (sb, extra) => new Wxpay(options(sb, extra));

/**
 * A fetch Response signed as the service signs an answer, by the sandbox's platform key, naming
 * `serial` (the key's own by default), for a caller's `fetch` to give back.
 */
export function signedResponse(sb, body, { contentType = 'application/json', serial = sb.platform.serial } = {}) {
  const bytes = Buffer.from(body);
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomBytes(16).toString('hex');
  const signature = signAnswer(crypto.createPrivateKey(sb.platform.privateKeyPkcs8), ts, nonce, bytes);
  const headers = { 'content-type': contentType, 'wechatpay-timestamp': ts, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'wechatpay-serial': serial };
  return new Response(bytes, { status: 200, headers });
}

/** The seed's member-code node. */
export const memberCode = (wxpay) => wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;

/** A `fetch` that forwards to the real global fetch and records each call. */
export function countingFetch() {
  const calls = [];
  const realFetch = globalThis.fetch;
  const f = (url, init) => { calls.push({ url, init }); return realFetch(url, init); };
  f.calls = calls;
  return f;
}

// Exceptions thrown out of the package's async code never reach the caller's promise; keep
// them so a request that hangs because of one can say why.
const uncaught = [];
process.on('uncaughtExceptionMonitor', (e) => uncaught.push(e));

/**
 * Settles `promise` or fails after `ms`: a request that never settles is a bug to report,
 * not a suite that hangs.
 */
export function within(promise, ms = 5000, what = 'the request') {
  let timer;
  const seen = uncaught.length;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const thrown = uncaught.slice(seen).map((e) => `${e?.name}: ${e?.message}`);
      reject(new assert.AssertionError({
        message: `${what} did not settle within ${ms} ms` +
          (thrown.length ? `; meanwhile uncaught: ${thrown.join(' | ')}` : ''),
      }));
    }, ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Awaits `promise`, asserts it rejects with a WxpayError carrying `code` (and any other
 * `expect` fields, compared exactly), and returns the error for further checks.
 */
export async function rejectsWith(promise, code, expect = {}) {
  let err;
  try {
    const value = await within(promise);
    assert.fail(`expected a rejection with ${code}, resolved with ${JSON.stringify(value?.data ?? value)?.slice(0, 200)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  assertWxpayError(err, code);
  for (const [k, v] of Object.entries(expect)) assert.deepEqual(err[k], v, `error.${k}`);
  return err;
}

/** A WxpayError as the package documents it: exported class, extends Error, named, coded. */
export function assertWxpayError(err, code) {
  assert.ok(err instanceof WxpayError, `expected a WxpayError, got ${err?.constructor?.name}: ${err?.message ?? err}`);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'WxpayError');
  assert.equal(err.code, code, `code (message: ${err.message})`);
  assert.equal(typeof err.message, 'string');
  assert.notEqual(err.message, '');
}

/** The base64 lines of every PEM in `pems`: none may ever appear in an error message. */
export function keyMaterial(...pems) {
  return pems.flatMap((pem) => String(pem).split(/\r?\n/).filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l)));
}

export function assertNoKeyMaterial(text, lines) {
  // (the failure names the line's index, not its text: a report must not leak it either)
  lines.forEach((line, i) => assert.ok(!text.includes(line), `message leaks key material (base64 line ${i} of the keys)`));
  // Every RSA key and certificate in DER starts with a SEQUENCE whose base64 begins "MII".
  assert.doesNotMatch(text, /MII[A-Za-z0-9+/]{8}/, 'message leaks base64 DER');
}

// The package exposes no memory figure; the wasm-bindgen glue it loads does: `initSync()` on
// an initialised module returns its exports, `memory` among them. Imported by file URL (the
// package's `exports` hide the glue), it is the very module instance the package runs.
let wasmExports;
/** The installed package's `WebAssembly.Memory` (a grow replaces its `buffer`). */
export async function wasmMemory() {
  if (!wasmExports) {
    const glue = new URL('./wxpay_wasm.js', import.meta.resolve('wxpay-wasm'));
    const { initSync } = await import(glue.href);
    wasmExports = initSync({ module: readFileSync(new URL('./wxpay_wasm_bg.wasm', glue)) });
  }
  return wasmExports.memory;
}

/**
 * An egress proxy of CONNECT tunnels only, as a merchant's fixed-IP proxy is: a target it cannot
 * reach is answered 502, and with `auth` a CONNECT without that `Proxy-Authorization` 407.
 * `connects` lists `[target, status]`.
 */
export async function tunnelProxy({ auth } = {}) {
  const connects = [];
  const server = http.createServer((req, res) => res.writeHead(405).end());
  server.on('connect', (req, socket, head) => {
    const answer = (status) => { connects.push([req.url, status]); return status; };
    socket.on('error', () => {});
    if (auth && req.headers['proxy-authorization'] !== auth) {
      socket.end(`HTTP/1.1 ${answer(407)} Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n`);
      return;
    }
    const [host, port] = req.url.split(':');
    let open = false;
    const upstream = net.connect(Number(port), host, () => {
      open = true;
      socket.write(`HTTP/1.1 ${answer(200)} Connection Established\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => (open ? socket.destroy() : socket.end(`HTTP/1.1 ${answer(502)} Bad Gateway\r\n\r\n`)));
    socket.on('close', () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => { server.closeAllConnections(); return new Promise((resolve) => server.close(resolve)); };
  return { url: `http://127.0.0.1:${server.address().port}`, connects, close };
}

/**
 * The package's CommonJS build, evaluated in a fresh `vm` context given the host's web APIs, as
 * edge sandboxes (Next.js's Edge runtime) and Jest's test environment run code: `{ exports, realm }`,
 * `realm` the context's global object (whose timer properties a test may replace, as Jest's fake
 * timers do, while the host's fetch keeps the host's).
 */
export function packageInRealm() {
  const dir = dirname(createRequire(import.meta.url).resolve('wxpay-wasm/package.json'));
  const realm = vm.createContext({
    crypto: globalThis.crypto, fetch: globalThis.fetch, Request, Response, Headers, URL, URLSearchParams, TextEncoder, TextDecoder,
    AbortController, AbortSignal, Blob, File, FormData, ReadableStream, DecompressionStream, btoa, atob, console,
    setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, queueMicrotask,
  });
  const module = { exports: {} };
  vm.runInContext(`(function (module, exports) {${readFileSync(join(dir, 'wxpay_wasm.cjs'), 'utf8')}\n})`, realm)(module, module.exports);
  // The .wasm compiled in the context's own realm, as a sandbox's loader does.
  vm.runInContext('(init, bytes) => init({ module: new WebAssembly.Module(new Uint8Array(bytes)) })', realm)(module.exports.initSync, readFileSync(join(dir, 'wxpay_wasm_bg.wasm')));
  assert.notEqual(vm.runInContext('Promise', realm), Promise, 'the context has a Promise of its own');
  return { exports: module.exports, realm: vm.runInContext('globalThis', realm) };
}
