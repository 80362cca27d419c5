// The package's main paths in any runtime (Bun, Deno, Node): run by runtimes.test.mjs with
// the path of a JSON file describing a running sandbox (keys, notifications prepared by the
// sandbox, a message and node:crypto's signature of it). Plain assertions, no test runner, so
// it runs the same everywhere; prints one line per case and `N passed, N failed`.
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { makeGarbage, minorAndMajor, readsUnderGarbage } from '../common/streams.mjs';

const file = globalThis.Deno ? Deno.args[0] : process.argv[2];
const text = globalThis.Deno ? await Deno.readTextFile(file) : await (await import('node:fs/promises')).readFile(file, 'utf8');
const sb = JSON.parse(text);
const CARD_ID = 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY';
const CODE = '300000001';

const options = (extra = {}) => ({
  mchid: sb.mchid,
  serial: sb.merchant.serial,
  privateKey: sb.merchant.privateKeyPkcs8,
  certs: { [sb.platform.serial]: sb.platform.certificate },
  baseURL: sb.baseURL,
  apiv3Key: sb.apiv3Key,
  ...extra,
});
const control = (path, body) => fetch(new URL(path, sb.baseURL), { method: body ? 'POST' : 'GET', body: body && JSON.stringify(body) }).then((r) => r.json());
const misbehave = (mode, count = 1) => control('__sandbox/misbehave', { mode, count });
const node = (w) => w.v3.marketing.membercardOpen.cards._card_id_.codes._code_;

function check(cond, what) {
  if (!cond) throw new Error(what);
}
async function rejects(promise, code) {
  try {
    await promise;
  } catch (e) {
    check(e instanceof WxpayError, `expected a WxpayError, got ${e}`);
    check(e.code === code, `expected ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected a rejection with ${code}`);
}

const cases = [];
const test = (name, fn) => cases.push([name, fn]);

for (const crypto of ['auto', 'webcrypto', 'rust']) {
  test(`seed GET, verified (crypto: ${crypto})`, async () => {
    await control('__sandbox/reset', {});
    const w = new Wxpay(options({ crypto }));
    const { status, data } = await node(w).get({ card_id: CARD_ID, code: CODE });
    check(status === 200 && data.code === CODE, `status ${status}`);
  });
}

test('seed PATCH answers 204 with an empty body', async () => {
  const w = new Wxpay(options());
  const r = await node(w).patch({ out_request_no: `rt-${Date.now()}`, level: 'GOLD' }, { card_id: CARD_ID, code: CODE });
  check(r.status === 204 && r.data === '', `status ${r.status}`);
});

test('signatures equal node:crypto byte for byte', async () => {
  for (const crypto of ['auto', 'webcrypto', 'rust']) {
    const sig = await new Wxpay(options({ crypto })).sign(sb.message);
    check(sig === sb.signature, `${crypto} signature differs`);
  }
});

for (const [mode, code] of [['forged', 'ERR_RESPONSE_SIGNATURE'], ['unknown-serial', 'ERR_RESPONSE_SERIAL'], ['unsigned', 'ERR_RESPONSE_UNSIGNED'], ['stale', 'ERR_RESPONSE_TIMESTAMP']]) {
  test(`a ${mode} answer is ${code}, and the client keeps working`, async () => {
    const w = new Wxpay(options({ retry: 0 }));
    await misbehave(mode);
    await rejects(node(w).get({ card_id: CARD_ID, code: CODE }), code);
    check((await node(w).get({ card_id: CARD_ID, code: CODE })).status === 200, 'next call');
  });
}

test('errors: the service code, a missing placeholder, a throwing getter', async () => {
  const w = new Wxpay(options());
  const e = await rejects(node(w).get({ card_id: 'nope', code: CODE }), 'RESOURCE_NOT_EXISTS');
  check(e.status === 404 && typeof e.requestId === 'string', 'status and requestId');
  await rejects(node(w).get({ card_id: CARD_ID }), 'ERR_MISSING_PARAM');
  for (let i = 0; i < 300; i++) {
    await rejects(node(w).get({ card_id: CARD_ID, get code() { throw new Error('boom'); } }), 'ERR_INVALID_PARAM');
  }
  let threw;
  try { new Wxpay({ ...options(), mchid: 1 }); } catch (err) { threw = err; }
  check(threw instanceof WxpayError && threw.code === 'ERR_INVALID_CONFIG', 'bad option');
});

test('notifications: parsed and decrypted; a forged one is ERR_NOTIFY_SIGNATURE', async () => {
  const w = new Wxpay(options());
  const ok = await w.notifications.parse({ headers: sb.notify.good.headers, body: sb.notify.good.body });
  check(ok.resource.out_trade_no === 'RT-1', 'resource');
  await rejects(w.notifications.parse({ headers: sb.notify.forged.headers, body: sb.notify.forged.body }), 'ERR_NOTIFY_SIGNATURE');
  const res = w.notifications.success();
  check(res.status === 204, 'success()');
});

// The runtime's node:http (Bun's and Deno's own), its request handed to parse itself.
test('notifications: parse(req) on node:http reads the body; a forged one is ERR_NOTIFY_SIGNATURE', async () => {
  const http = await import('node:http');
  const w = new Wxpay(options());
  const outcomes = [];
  const server = http.createServer((req, res) => {
    outcomes.push(w.notifications.parse(req).then((n) => {
      res.writeHead(204).end();
      return n;
    }, (e) => {
      res.writeHead(401).end();
      return e;
    }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${server.address().port}/notify`;
    const good = await fetch(url, { method: 'POST', headers: sb.notify.good.headers, body: sb.notify.good.body });
    check(good.status === 204, `status ${good.status}`);
    const ok = await outcomes[0];
    check(ok.resource?.out_trade_no === 'RT-1', `resource: ${ok}`);
    const forged = await fetch(url, { method: 'POST', headers: sb.notify.forged.headers, body: sb.notify.forged.body });
    check(forged.status === 401, `status ${forged.status}`);
    const e = await outcomes[1];
    check(e instanceof WxpayError && e.code === 'ERR_NOTIFY_SIGNATURE', `${e?.code}: ${e?.message}`);
  } finally {
    server.close();
  }
});

// Downloads: the runtime's hash (node:crypto here, where process.getBuiltinModule has it) or
// Rust's (crypto 'rust'); the same bill plain and GZIP, whole and streamed, and a mismatch.
for (const crypto of ['auto', 'rust']) {
  test(`bills downloaded with their digest checked (crypto: ${crypto})`, async () => {
    const w = new Wxpay(options({ crypto }));
    const bill = async (params) => (await w.v3.bill.tradebill.get({ params: { bill_date: '2024-01-02', sandbox_rows: 500, ...params } })).data;
    const read = async (stream) => new Uint8Array(await new Response(stream).arrayBuffer());
    const texts = [
      await w.download(await bill({})),
      await w.download(await bill({ tar_type: 'GZIP' })),
      await read(await w.download(await bill({}), { stream: true })),
      await read(await w.download(await bill({ tar_type: 'GZIP' }), { stream: true })),
    ].map((b) => new TextDecoder().decode(b));
    check(texts[0].startsWith('交易时间') && texts[0].includes('`order-499'), 'the bill');
    check(texts.every((t) => t === texts[0]), 'the same bill every way');
    await rejects(w.download(await bill({ sandbox_hash: 'wrong' })), 'ERR_DIGEST_MISMATCH');
    await rejects(w.download(await bill({ sandbox_hash: 'wrong', tar_type: 'GZIP' }), { stream: true }).then(read), 'ERR_DIGEST_MISMATCH');
  });
}

// A stream lives while it is read: the collector, or garbage made where it cannot be called,
// before every read (tests/common/streams.mjs).
test('streamed GZIP downloads read under garbage collection are read whole', async () => {
  const collect = typeof Bun === 'object' ? () => Bun.gc(true) : globalThis.gc ? minorAndMajor(globalThis.gc) : makeGarbage;
  const results = await readsUnderGarbage({ Wxpay, options: options(), baseURL: sb.baseURL, n: 10, collect });
  check(results.every((r) => r === 'read whole'), results.join(', '));
});

test('a POST whose connection to the main host never opened goes to the backup host', async () => {
  await control('__sandbox/reset', {});
  const w = new Wxpay(options({ baseURL: sb.closed, backupBaseURL: sb.baseURL }));
  const r = await w.v3.sandbox.echo.post({ b: 2 });
  check(r.status === 200 && r.data.body === '{"b":2}', `status ${r.status}`);
  const seen = await control('__sandbox/requests');
  check(seen.length === 1 && seen[0].verified, `${seen.length} requests seen`);
  // Without a backup, the refused connection is the answer.
  const e = await rejects(new Wxpay(options({ baseURL: sb.closed })).v3.sandbox.echo.post({ b: 2 }), 'ERR_NETWORK');
  check(e.attempts === 1, `attempts ${e.attempts}`);
});

// What the runtime's own fetch does with a request whose kept-alive connection the server reset
// after reading it (the package sends it once: retry false): printed as `reset GET reached the
// service N times, ...` and `reset POST ...`, which runtimes.test.mjs holds per runtime (README,
// Retries).
for (const method of ['GET', 'POST']) {
  test(`a ${method} with retry: false whose kept-alive connection is reset after it was read`, async () => {
    await control('__sandbox/reset', {});
    const w = new Wxpay(options({ retry: false }));
    // One answered request first, so that the request goes on a kept-alive connection.
    await node(w).get({ card_id: CARD_ID, code: CODE });
    await control('__sandbox/reset', {});
    await misbehave('reset');
    let outcome;
    try {
      const r = method === 'GET' ? await node(w).get({ card_id: CARD_ID, code: CODE }) : await w.v3.sandbox.echo.post({ refund: 1 });
      outcome = `answered ${r.status}`;
    } catch (e) {
      check(e instanceof WxpayError && e.code === 'ERR_NETWORK' && e.attempts === 1, `${e?.code} attempts ${e?.attempts}`);
      outcome = 'ERR_NETWORK';
    }
    const seen = (await control('__sandbox/requests')).filter((r) => r.method === method);
    const nonces = new Set(seen.map((r) => /nonce_str="([^"]+)"/.exec(r.headers.authorization)[1]));
    console.log(`reset ${method} reached the service ${seen.length} times, ${nonces.size} nonces, ${outcome}`);
  });
}

// The runtime's own fetch error (Deno's quotes the URL) with a download's token in the query.
test('ERR_NETWORK for a download on a closed port quotes no token', async () => {
  const w = new Wxpay(options({ baseURL: sb.closed, backupBaseURL: false, retry: false }));
  const data = { download_url: `${sb.closed}v3/billdownload/file?token=TOKEN-5e1d`, hash_type: 'SHA1', hash_value: '0'.repeat(40) };
  const e = await rejects(w.download(data), 'ERR_NETWORK');
  check(!e.message.includes('TOKEN-5e1d') && e.message.includes('/v3/billdownload/file?…'), e.message);
});

test('200 concurrent requests, every one verified by the sandbox with a distinct nonce', async () => {
  await control('__sandbox/reset', {});
  const w = new Wxpay(options());
  const all = await Promise.all(Array.from({ length: 200 }, () => node(w).get({ card_id: CARD_ID, code: CODE })));
  check(all.every((r) => r.status === 200), 'all 200');
  const seen = await control('__sandbox/requests');
  check(seen.length === 200 && seen.every((r) => r.verified), `${seen.length} requests seen`);
  check(new Set(seen.map((r) => /nonce_str="([^"]+)"/.exec(r.headers.authorization)[1])).size === 200, 'distinct nonces');
});

let passed = 0, failed = 0;
for (const [name, fn] of cases) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e?.message ?? e}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
if (failed) (globalThis.Deno ? Deno : process).exit(1);
