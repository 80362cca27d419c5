// The seed GET against the sandbox (its own process): our package beside
// wechatpay-axios-plugin@0.9.6, alternating batches, 10 requests in flight.
// Client CPU (process.cpuUsage) and wall time per request, medians.
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { startSandboxProcess } from './sandbox-process.mjs';
import { alternateRounds, median, summarize, table } from './stats.mjs';

const require = createRequire(resolve(import.meta.dirname, '../.work/bench-anchor/package.json'));
const CARD = { card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' };

export async function batch(get, n, inFlight) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < n) {
      const { status, data } = await get();
      if (status !== 200 || data.code !== CARD.code) throw new Error(`bad answer ${status}`);
    }
  }));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1000 / n, wall: wall / n };
}

/** The floor's fetch options: `Accept` and `Authorization`, nothing else. */
const floorInit = (authorization) => ({ headers: { accept: 'application/json', authorization } });

/**
 * The least any fetch-based client must do: sign with node:crypto, fetch,
 * read the body, verify, parse. No SDK; a reference for what the transport costs.
 * `init(authorization)` makes the fetch options (bench/profile/clients.mjs's `shaped` sends
 * the package's request through it).
 */
export function bareFetchClient(sb, verifyingKey, init = floorInit) {
  const key = crypto.createPrivateKey(sb.merchant.privateKeyPkcs8);
  const pub = crypto.createPublicKey(verifyingKey);
  const path = `/v3/marketing/membercard-open/cards/${CARD.card_id}/codes/${CARD.code}`;
  const url = new URL(path, sb.baseURL).href;
  // `signal`: a deadline's, from clients.mjs's `+timeout=` (none in make bench).
  return async (signal) => {
    const ts = Math.floor(Date.now() / 1000);
    const nonce = crypto.randomBytes(16).toString('hex');
    const sig = crypto.sign('sha256', Buffer.from(`GET\n${path}\n${ts}\n${nonce}\n\n`), key).toString('base64');
    const options = init(`WECHATPAY2-SHA256-RSA2048 mchid="${sb.mchid}",serial_no="${sb.merchant.serial}",timestamp="${ts}",nonce_str="${nonce}",signature="${sig}"`);
    if (signal !== undefined) options.signal = signal;
    const res = await fetch(url, options);
    const body = Buffer.from(await res.arrayBuffer());
    const h = res.headers;
    const msg = Buffer.concat([Buffer.from(`${h.get('wechatpay-timestamp')}\n${h.get('wechatpay-nonce')}\n`), body, Buffer.from('\n')]);
    if (!crypto.verify('sha256', msg, pub, Buffer.from(h.get('wechatpay-signature'), 'base64'))) throw new Error('unverified');
    return { status: res.status, headers: Object.fromEntries(h), data: JSON.parse(body.toString()) };
  };
}

/**
 * The two ways answers are signed: a platform certificate (X.509), or the WeChat Pay public key.
 * What the sandbox signs with, the `certs` the clients are given, the floor's verifying key, and
 * that key as an SPKI (crypto.subtle takes no certificate: bench/workerd.mjs's floor).
 */
export const MODES = {
  'certificate mode (X.509)': (sb) => ({ answerKey: 'platform', certs: { [sb.platform.serial]: sb.platform.certificate }, verifyingKey: sb.platform.certificate, spki: sb.platform.publicKeySpki }),
  'key mode (PUB_KEY_ID + SPKI)': (sb) => ({ answerKey: 'pubkey', certs: { [sb.pubkey.id]: sb.pubkey.publicKeySpki }, verifyingKey: sb.pubkey.publicKeySpki, spki: sb.pubkey.publicKeySpki }),
};

/**
 * How to make each client of one key mode: ours, the anchor, the floor and the floor again
 * (A/A), in that order; each resolves `[name, get]`. `sb` is the sandbox's data (a plain object:
 * a child process gets a copy). A client's module is loaded only when it is made.
 */
export function clientMakers(sb, mode) {
  const { certs, verifyingKey } = MODES[mode](sb);
  // Each its own copy of certs: the anchor turns privateKey into a KeyObject in the object it is given.
  const options = () => ({ mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { ...certs }, baseURL: sb.baseURL });
  return {
    ours: async () => {
      const { Wxpay } = await import('wxpay-wasm');
      const ours = new Wxpay(options());
      return [`wxpay-wasm (${ours.crypto})`, () => ours.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD)];
    },
    anchor: async () => {
      const anchor = new (require('wechatpay-axios-plugin').Wechatpay)(options());
      return ['wechatpay-axios-plugin@0.9.6', () => anchor.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD)];
    },
    floor: async () => ['floor: bare fetch + node:crypto (no SDK)', bareFetchClient(sb, verifyingKey)],
    // The same floor again: its ratio to the first (A/A) shows how far this run's ratios
    // stray when nothing differs.
    again: async () => ['floor again (A/A)', bareFetchClient(sb, verifyingKey)],
  };
}

/**
 * Each client of `mode` in a Node process of its own (bench/e2e-client.mjs), as a merchant's
 * service runs one SDK: no JIT feedback, inline caches or heap shared with the other clients.
 * The same `batch` runs in each; this process only says which one goes next. Resolves name ->
 * `{ batch(n, inFlight), close() }`.
 */
async function processesFor(sb, mode) {
  const data = JSON.parse(JSON.stringify({ ...sb, close: undefined }));
  const children = [];
  const entries = await Promise.all(Object.keys(clientMakers(sb, mode)).map(async (id) => {
    const child = fork(resolve(import.meta.dirname, 'e2e-client.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const next = () => new Promise((ok, fail) => {
      const onExit = (code) => fail(new Error(`${id}: its process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        if (m && m.error) fail(new Error(`${id}: ${m.error}`));
        else ok(m);
      });
    });
    const ready = next();
    child.send({ sb: data, mode, id });
    const { name } = await ready;
    return [name, {
      batch(n, inFlight) { const r = next(); child.send({ n, inFlight }); return r; },
      async one() { const r = next(); child.send({ one: true }); return (await r).cpu; },
      close() { const gone = new Promise((r) => child.once('exit', r)); child.kill(); return gone; },
    }];
  })).catch((e) => {
    // One failed to start: the others would keep this process alive.
    for (const child of children) child.kill();
    throw e;
  });
  return Object.fromEntries(entries);
}

/**
 * The table of one run (name -> a `{ cpu, wall }` a round): medians per client, then the ratios
 * (each the median of the rounds' ratios, their quartiles in brackets).
 */
function resultRows(samples) {
  const [oursName, anchorName, floorName, againName] = Object.keys(samples);
  const { m, rows, ratio } = summarize(samples);
  rows.push(['**ours/floor**', ...ratio(oursName, floorName)]);
  rows.push(['**ours/anchor**', ...ratio(oursName, anchorName)]);
  rows.push(['floor/anchor', ...ratio(floorName, anchorName)]);
  rows.push(['floor again/floor (A/A: the spread of this run)', ...ratio(againName, floorName)]);
  return { m, rows };
}

/** CPU µs of one request of `get` (the process.cpuUsage delta around it), its answer checked. */
export async function timedOne(get) {
  const c0 = process.cpuUsage();
  const { status, data } = await get();
  const c = process.cpuUsage(c0);
  if (status !== 200 || data.code !== CARD.code) throw new Error(`bad answer ${status}`);
  return c.user + c.system;
}

/** `gets` (name -> a request) as `oneByOne`'s clients, each request timed in this process. */
export function timedHere(gets) {
  return Object.fromEntries(Object.entries(gets).map(([k, get]) => [k, () => timedOne(get)]));
}

/**
 * `oneByOne`'s order of a pass: `shuffler()` gives `order(names)`, the names shuffled afresh at
 * each call (Fisher-Yates over a fixed-seed generator, mulberry32), so that over a run every
 * client follows every other (and itself, across two passes) about equally often. A request's CPU
 * depends on what ran just before it (caches, predictors). With A B C D then D C B A, the last
 * client never ran right after the first two and ran twice in a row once a pair of passes: the
 * A/A (the floor, then the floor again, last) read 0.85-1.02, ten of twelve readings below 1, one
 * process each on 2026-12-02.
 */
function shuffler(seed = 0x5eed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (names) => {
    const out = [...names];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
}

/**
 * The clients one request at a time, interleaved request by request, each pass in a shuffled
 * order (`shuffler`): `clients[name]()` makes one request and resolves its CPU µs (timedOne, in
 * this process or in the client's own). With one in flight nothing else runs meanwhile, and
 * waiting for the socket costs no CPU. Neighbouring requests of all clients see the same machine,
 * so the drift and the noise of a shared machine fall on all alike. Resolves name ->
 * `{ mean, median, ratio(other) }` in µs: `ratio` is of the means, with `range`, the least and
 * the most of it in each of `blocks` consecutive parts of the run, and `medians`, of the medians.
 * bench/profile/onebyone.mjs compares builds with it.
 */
export async function oneByOne(clients, n, blocks = 10) {
  const names = Object.keys(clients);
  const times = Object.fromEntries(names.map((k) => [k, new Float64Array(n)]));
  const order = shuffler();
  for (let i = 0; i < n; i++) {
    for (const k of order(names)) times[k][i] = await clients[k]();
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const size = Math.floor(n / blocks);
  const part = (k, j) => times[k].subarray(j * size, (j + 1) * size);
  const out = {};
  for (const k of names) {
    out[k] = {
      mean: mean(times[k]),
      median: median([...times[k]]),
      ratio(other) {
        const each = Array.from({ length: blocks }, (_, j) => mean(part(k, j)) / mean(part(other, j)));
        return { mean: this.mean / out[other].mean, range: [Math.min(...each), Math.max(...each)], medians: this.median / out[other].median };
      },
    };
  }
  return out;
}

/** The table of a oneByOne run of the four clients of clientMakers. */
function oneByOneRows(r) {
  const [oursName, anchorName, floorName, againName] = Object.keys(r);
  const rows = Object.entries(r).map(([k, v]) => [k, (v.mean / 1000).toFixed(3), (v.median / 1000).toFixed(3)]);
  const ratio = (a, b) => {
    const { mean, range, medians } = r[a].ratio(b);
    return [`${mean.toFixed(3)}x (${range[0].toFixed(2)}–${range[1].toFixed(2)})`, `${medians.toFixed(3)}x`];
  };
  rows.push(['**ours/floor**', ...ratio(oursName, floorName)]);
  rows.push(['**ours/anchor**', ...ratio(oursName, anchorName)]);
  rows.push(['floor/anchor', ...ratio(floorName, anchorName)]);
  rows.push(['floor again/floor (A/A: the spread of this run)', ...ratio(againName, floorName)]);
  return rows;
}

// Node's JITs are still optimising undici and the clients after 3,000 requests (`--trace-opt`
// shows about 100 functions optimised per 1,500 requests there, and CPU per request still
// falling): 8,000 requests a client first, so that the rounds measure the steady state.
export async function e2e({ rounds = 15, perBatch = 200, inFlight = 10, warmup = 8000, perClient = 2000 } = {}) {
  const warm = Math.ceil(warmup / perBatch);
  const sb = await startSandboxProcess();
  try {
    const parts = [];
    const data = {};
    for (const mode of Object.keys(MODES)) {
      const { answerKey } = MODES[mode](sb);
      await fetch(new URL('__sandbox/answer-key', sb.baseURL), { method: 'POST', body: JSON.stringify({ answerKey }) });
      const clients = Object.fromEntries(await Promise.all(Object.values(clientMakers(sb, mode)).map((make) => make())));
      // The warm-up rounds let the JITs settle and open the connections.
      const together = resultRows(await alternateRounds(Object.keys(clients), warm, rounds, (name) => batch(clients[name], perBatch, inFlight)));
      const byRequest = await oneByOne(timedHere(clients), perClient);
      const processes = await processesFor(sb, mode);
      let apart, byRequestApart;
      try {
        apart = resultRows(await alternateRounds(Object.keys(processes), warm, rounds, (name) => processes[name].batch(perBatch, inFlight)));
        byRequestApart = await oneByOne(Object.fromEntries(Object.entries(processes).map(([k, p]) => [k, () => p.one()])), perClient);
      } finally {
        await Promise.all(Object.values(processes).map((p) => p.close()));
      }
      const means = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.mean / 1000]));
      data[mode] = { together: together.m, apart: apart.m, byRequest: means(byRequest), byRequestApart: means(byRequestApart) };
      parts.push(`### ${mode}\n\n**All clients in this one process:**\n\n${table(['client', 'client CPU ms/request', 'wall ms/request'], together.rows)}\n\n` +
        `**Each client in a process of its own** (its CPU only; the same rounds, N and order):\n\n${table(['client', 'client CPU ms/request', 'wall ms/request'], apart.rows)}\n\n` +
        `**Request by request, in this one process** (the clients of the first table, warm; one in flight, ${perClient} requests a client interleaved one by one, each request's own CPU; a ratio is of the means, the least and the most of it in each tenth of the run in brackets, and of the medians beside it):\n\n${table(['client', 'mean CPU ms/request', 'median'], oneByOneRows(byRequest))}\n\n` +
        `**Request by request, each client in its process** (those of the second table, the same way; each request's CPU measured in its client's process):\n\n${table(['client', 'mean CPU ms/request', 'median'], oneByOneRows(byRequestApart))}`);
    }
    return {
      data,
      markdown: `N = ${perBatch} seed GETs a batch, ${inFlight} in flight, ${rounds} alternating rounds per key mode after ${warm} warm-up rounds (${warm * perBatch} requests a client), sandbox in its own process; client CPU is process.cpuUsage, medians; each ratio is the median of the rounds' ratios, with their first and third quartiles in brackets (half the rounds read within them). Each key mode is measured in batches, all four clients in one Node process, then each in a Node process of its own (bench/e2e-client.mjs), as a service that uses one SDK runs (in one process, the clients share undici's JIT code and type feedback, and the heap); then both ways again one request at a time, interleaved request by request, so that the machine's drift falls on all alike. Targets (issue 16): ours/floor at most 1.05, ours/anchor at most 0.8.\n\n` +
        parts.join('\n\n'),
    };
  } finally {
    await sb.close();
  }
}
