// The seed GET in certificate mode, against the sandbox in its own process: a build of this
// package (a directory holding node.mjs), its Rust client without the chain, the thinnest wasm
// client, and the bare-fetch floor of bench/e2e.mjs. With `WXPAY_BENCH_KEY_MODE=1`, key mode
// instead: the sandbox signs its answers with the WeChat Pay public key (PUB_KEY_ID + SPKI), and
// every client verifies with it (bench/e2e.mjs's two key modes).
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bareFetchClient } from '../e2e.mjs';
import { startSandboxProcess } from '../sandbox-process.mjs';
import { alternateRounds } from '../stats.mjs';

export const CARD = { card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' };

const KEY_MODE = process.env.WXPAY_BENCH_KEY_MODE === '1';

/** `args`: more sandbox cli options (instructions.mjs keeps connections open under valgrind). */
export async function sandbox(args = []) {
  const sb = await startSandboxProcess(args);
  if (KEY_MODE) {
    const r = await fetch(new URL('__sandbox/answer-key', sb.baseURL), { method: 'POST', body: JSON.stringify({ answerKey: 'pubkey' }) });
    if (!r.ok) throw new Error(`the sandbox refused key mode: HTTP ${r.status}`);
  }
  return sb;
}

/** The key the answers are signed with: `{ id, pem }` (a platform certificate, or the public key). */
function answering(sb) {
  return KEY_MODE ? { id: sb.pubkey.id, pem: sb.pubkey.publicKeySpki } : { id: sb.platform.serial, pem: sb.platform.certificate };
}

/** A client of the package in `dir`; with `WXPAY_CRYPTO` set, on that backend (`options.crypto`). */
export async function ours(sb, dir, timeout) {
  const { Wxpay } = await import(`${resolve(dir)}/node.mjs`);
  const { id, pem } = answering(sb);
  const w = new Wxpay({ mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { [id]: pem }, baseURL: sb.baseURL, crypto: process.env.WXPAY_CRYPTO, timeout });
  return () => w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD);
}

/**
 * The package in `dir` with its chain left out: the Rust client called straight (the glue's
 * `Wxpay.request`), as bench/layers.mjs's `direct`.
 */
export async function direct(sb, dir) {
  const TEMPLATE = 'v3/marketing/membercard-open/cards/{card_id}/codes/{code}';
  await import(`${resolve(dir)}/node.mjs`); // starts the instance the glue module holds
  const glue = await import(`${resolve(dir)}/wxpay_wasm.js`);
  const { id, pem } = answering(sb);
  const inner = new glue.Wxpay({ mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { [id]: pem }, baseURL: sb.baseURL });
  const names = glue.placeholderNames(TEMPLATE);
  // The request driven as pkg-template/wxpay.js's `drive` does, less its trap checks.
  // (A build from before the driver resolves its promise itself: no `parked`.)
  const drive = async (step) => {
    if (glue.parked === undefined) return step;
    while (step instanceof Promise) {
      const slot = glue.parked();
      if (slot === 0xffffffff) return step;
      let value, ok = true;
      try { value = await step; } catch (e) { value = e; ok = false; }
      step = glue.resume(slot, value, ok);
    }
    return step;
  };
  return Object.assign(() => drive(inner.request(TEMPLATE, 0, names, CARD, undefined)), { free: () => inner.free() });
}

/**
 * The thinnest wasm client, bench/profile/mini (built into .work/mini-pkg by mini.sh): the
 * `Authorization` header and the answer check in Rust, fetch in JS; as bench/layers.mjs's `mini`.
 */
export async function mini(sb, requestShaped = false) {
  const root = resolve(import.meta.dirname, '../..');
  const m = await import(`${root}/.work/mini-pkg/wxpay_mini.js`);
  m.initSync({ module: readFileSync(`${root}/.work/mini-pkg/wxpay_mini_bg.wasm`) });
  const client = new m.Mini(crypto, crypto.createPrivateKey(sb.merchant.privateKeyPkcs8), crypto.createPublicKey(answering(sb).pem), sb.mchid, sb.merchant.serial);
  const path = `/v3/marketing/membercard-open/cards/${CARD.card_id}/codes/${CARD.code}`;
  const url = new URL(path, sb.baseURL).href;
  const utf8 = new TextDecoder();
  const init = requestShaped ? shapedInit(sb) : (authorization) => ({ headers: { accept: 'application/json', authorization } });
  const get = async () => {
    const res = await fetch(url, init(client.authorize('GET', path, '')));
    const body = new Uint8Array(await res.arrayBuffer());
    const h = res.headers;
    if (!client.check(h.get('wechatpay-timestamp'), h.get('wechatpay-nonce'), h.get('wechatpay-signature'), body)) throw new Error('unverified');
    return { status: res.status, headers: Object.fromEntries(h), data: JSON.parse(utf8.decode(body)) };
  };
  return Object.assign(get, { free: () => client.free() });
}

/** The floor of bench/e2e.mjs (sign, fetch, verify, parse: no SDK), in this process's key mode. */
export function floor(sb) {
  return bareFetchClient(sb, answering(sb).pem);
}

/**
 * The floor sending the package's request: its method, `redirect: 'manual'` and its four headers
 * (`Accept`, a `User-Agent` like its own, `Wechatpay-Serial`, `Authorization`) instead of the
 * floor's two. What the request carries costs undici (and the kernel) this much, whoever sends it.
 */
export function shaped(sb) {
  return bareFetchClient(sb, answering(sb).pem, shapedInit(sb));
}

/** The package's request options around an `Authorization` value (`shaped`, `mini+shaped`). */
function shapedInit(sb) {
  const userAgent = `wxpay-wasm/0.1.0 node/${process.versions.node} ${process.platform}/${process.arch}`;
  const { id } = answering(sb);
  return (authorization) => ({
    method: 'GET',
    headers: { Accept: 'application/json', 'User-Agent': userAgent, 'Wechatpay-Serial': id, Authorization: authorization },
    redirect: 'manual',
  });
}

/**
 * The client a profiling script names on its command line: `floor`, `shaped`, `mini` (bash
 * bench/profile/mini.sh first), `mini+shaped` (`mini` sending the package's request, as `shaped`
 * is the floor sending it), `direct=<dir>` (the Rust client without the chain) or a
 * package directory. `floor+timeout=<ms>` is the floor with an AbortController and a timer of its
 * own per request; `<dir>+timeout=<ms>` the package with `timeout` in its options.
 */
export async function client(sb, spec) {
  const timed = spec.match(/^(.*)\+timeout=(\d+)$/);
  if (timed) {
    const ms = Number(timed[2]);
    if (timed[1] !== 'floor') return ours(sb, timed[1], ms);
    const get = floor(sb);
    return async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), ms);
      try {
        return await get(controller.signal);
      } finally {
        clearTimeout(timer);
      }
    };
  }
  return spec === 'floor' ? floor(sb)
    : spec === 'shaped' ? shaped(sb)
    : spec === 'mini' ? mini(sb)
    : spec === 'mini+shaped' ? mini(sb, true)
    : spec.startsWith('direct=') ? direct(sb, spec.slice(7))
    : ours(sb, spec);
}

/**
 * Stubs node:crypto's `sign` (one signature of the merchant key, made here, for every call) and
 * `verify` (`true`) for every client in this process, so that no RSA work is measured.
 */
export function stubCrypto(sb) {
  const signature = crypto.sign('sha256', Buffer.from('x'), crypto.createPrivateKey(sb.merchant.privateKeyPkcs8));
  crypto.sign = () => Buffer.from(signature);
  crypto.verify = () => true;
}

/**
 * Makes the global fetch answer at once with an answer the sandbox gave, so that only the
 * clients' own work is measured: `record()` sends one real request, whose answer is kept; every
 * later fetch checks its request's headers (as fetch does) and gets that answer. Resolves to a
 * function that puts the real fetch back. The clients read the global fetch at each request.
 */
export async function fakeFetch(record) {
  const real = globalThis.fetch;
  let answer;
  globalThis.fetch = async (url, init) => {
    const r = await real(url, init);
    answer = { status: r.status, headers: [...r.headers], body: new Uint8Array(await r.arrayBuffer()) };
    return new Response(answer.body, { status: r.status, headers: answer.headers });
  };
  try {
    await record();
  } catch (e) {
    globalThis.fetch = real;
    throw e;
  }
  globalThis.fetch = async (_, init) => {
    new Headers(init?.headers);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  return () => { globalThis.fetch = real; };
}

/**
 * `clients` (name -> request function) side by side: `rounds` rounds of one `batch` each, in
 * turn, the order reversed every other round, after one warm-up round that is dropped. Resolves
 * each name's CPU ms per request, one a round.
 */
export async function alternate(clients, rounds, perBatch) {
  return alternateRounds(Object.keys(clients), 1, rounds, (name) => batch(clients[name], perBatch));
}

/** CPU ms per request of `n` GETs, 10 in flight. */
export async function batch(get, n) {
  let next = 0;
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (next++ < n) if ((await get()).status !== 200) throw new Error('bad answer');
  }));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}
