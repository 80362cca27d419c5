// The package in workerd, bundled by wrangler exactly as `wrangler deploy` would.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../sandbox/index.mjs';
import { ADMIN, bundle, secretsFor, start } from './harness.mjs';

const CARD_ID = 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY';
const CODE = '300000001';

describe('examples/worker in workerd', () => {
  let sb, mf, upload, outdir;
  before(async () => {
    sb = await startSandbox({});
    const built = await bundle('examples/worker/wrangler.toml', 'example');
    upload = built.upload;
    outdir = built.outdir;
    mf = start(built.outdir, secretsFor(sb));
  });
  after(async () => {
    await mf?.dispose();
    await sb?.close();
  });

  test('wrangler reports the upload size', (t) => {
    t.diagnostic(upload);
    assert.match(upload, /^Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB$/);
  });

  test('the card routes need the ADMIN_TOKEN secret: none, wrong or missing header is 401, and nothing is sent', async () => {
    sb.reset();
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: ADMIN.authorization.slice(0, -1) }, { authorization: 'Basic x' }]) {
      for (const method of ['GET', 'PATCH']) {
        const res = await mf.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { method, headers, body: method === 'PATCH' ? '{}' : undefined });
        assert.equal(res.status, 401, `${method} ${JSON.stringify(headers)}`);
        assert.equal((await res.json()).code, 'UNAUTHORIZED');
      }
    }
    assert.equal(sb.requests.length, 0);
    const off = start((await bundle('examples/worker/wrangler.toml', 'example-off')).outdir, secretsFor(sb, { ADMIN_TOKEN: '' }));
    try {
      const res = await off.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { headers: ADMIN });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).code, 'DISABLED');
    } finally {
      await off.dispose();
    }
  });

  test('bad input answers 400 with a JSON error and no stack', async () => {
    sb.reset();
    for (const body of ['not json', '[1,2]', 'null']) {
      const res = await mf.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { method: 'PATCH', headers: ADMIN, body });
      assert.equal(res.status, 400, body);
      const text = await res.text();
      assert.equal(JSON.parse(text).code, 'BAD_REQUEST');
      assert.ok(!/at \w|\.js:\d/.test(text), `no stack: ${text}`);
    }
    const res = await mf.dispatchFetch(`http://worker/card/%E0%A4%A/${CODE}`, { headers: ADMIN });
    assert.equal(res.status, 400);
    assert.equal(sb.requests.length, 0);
  });

  test('seed GET: the card, signed and verified on both sides', async () => {
    sb.reset();
    const res = await mf.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { headers: ADMIN });
    assert.equal(res.status, 200);
    const card = await res.json();
    assert.equal(card.card_id, CARD_ID);
    assert.equal(card.code, CODE);
    assert.equal(card.balance, sb.cards[CARD_ID][CODE].balance);
    assert.deepEqual(card.user_information, sb.cards[CARD_ID][CODE].user_information);
    assert.equal(sb.requests.length, 1);
    const seen = sb.requests[0];
    assert.equal(seen.method, 'GET');
    assert.equal(seen.url, `/v3/marketing/membercard-open/cards/${CARD_ID}/codes/${CODE}`);
    assert.equal(seen.verified, true, seen.reason);
    assert.equal(seen.headers['user-agent'], 'wxpay-wasm/0.1.0 Cloudflare-Workers');
  });

  test('under nodejs_compat (process.versions.node set) the User-Agent still names Cloudflare-Workers', async () => {
    sb.reset();
    const compat = start(outdir, secretsFor(sb), { compatibilityFlags: ['nodejs_compat'] });
    try {
      const res = await compat.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { headers: ADMIN });
      assert.equal(res.status, 200);
      assert.equal(sb.requests.at(-1).verified, true);
      assert.equal(sb.requests.at(-1).headers['user-agent'], 'wxpay-wasm/0.1.0 Cloudflare-Workers');
    } finally {
      await compat.dispose();
    }
  });

  test('seed PATCH: 204, the body signed byte-exactly, the card updated', async () => {
    sb.reset();
    const update = {
      membership_number: 'NO.2026',
      background_picture_url: 'https://example.com/bg.png',
      level: '金卡',
      out_request_no: `wk-${crypto.randomUUID()}`,
      balance_information: { before_balance: 1000, balance: 1234, add_balance: 234, balance_remark: '充值 🎉' },
    };
    const res = await mf.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { method: 'PATCH', headers: ADMIN, body: JSON.stringify(update) });
    assert.equal(res.status, 204);
    const seen = sb.requests.at(-1);
    assert.equal(seen.method, 'PATCH');
    assert.equal(seen.verified, true, seen.reason);
    assert.deepEqual(JSON.parse(seen.body.toString('utf8')), update);
    assert.equal(sb.cards[CARD_ID][CODE].level, '金卡');
    assert.equal(sb.cards[CARD_ID][CODE].balance, 1234);
  });

  test('20 concurrent GETs: all verified by the sandbox, 20 distinct nonces', async () => {
    sb.reset();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => mf.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { headers: ADMIN }).then(async (r) => [r.status, (await r.json()).code])),
    );
    assert.deepEqual(results, Array(20).fill([200, CODE]));
    assert.equal(sb.requests.length, 20);
    assert.ok(sb.requests.every((r) => r.verified));
    assert.equal(new Set(sb.requests.map((r) => r.auth.nonce_str)).size, 20);
  });

  test('a forged answer is rejected inside the Worker and never reaches its caller as data', async () => {
    sb.reset();
    sb.misbehave('forged');
    const res = await mf.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { headers: ADMIN });
    assert.equal(res.status, 502);
    const body = await res.json();
    assert.equal(body.code, 'ERR_RESPONSE_SIGNATURE');
    assert.equal(body.request_id, sb.requests[0].requestId);
    assert.equal(body.card_id, undefined);
    assert.equal(sb.requests[0].verified, true);
    assert.equal(sb.requests[0].misbehaviour, 'forged');
  });

  test('service errors pass through with their code', async () => {
    sb.reset();
    const res = await mf.dispatchFetch(`http://worker/card/${CARD_ID}/does-not-exist`, { headers: ADMIN });
    assert.equal(res.status, 404);
    assert.equal((await res.json()).code, 'RESOURCE_NOT_EXISTS');
  });
});

describe('backends inside workerd', () => {
  let sb, mf, outdir;
  before(async () => {
    sb = await startSandbox({});
    ({ outdir } = await bundle('tests/workerd/probe/wrangler.toml', 'probe'));
    mf = start(outdir, {
      ...secretsFor(sb),
      WXPAY_CERTS: JSON.stringify(sb.certs),
      CARD_ID,
      CODE,
    });
  });
  after(async () => {
    await mf?.dispose();
    await sb?.close();
  });

  const post = async (path, body) => (await mf.dispatchFetch(`http://probe${path}`, { method: 'POST', body })).json();

  test('auto picks webcrypto where crypto.subtle exists', async () => {
    const { crypto: picked, status } = await (await mf.dispatchFetch('http://probe/seed')).json();
    assert.equal(picked, 'webcrypto');
    assert.equal(status, 200);
  });

  test("under nodejs_compat auto picks workerd's node:crypto (README: the crypto option), and verifies", async () => {
    const compat = start(outdir, { ...secretsFor(sb), WXPAY_CERTS: JSON.stringify(sb.certs), CARD_ID, CODE }, { compatibilityFlags: ['nodejs_compat'] });
    try {
      sb.reset();
      const { crypto: picked, status } = await (await compat.dispatchFetch('http://probe/seed')).json();
      assert.equal(picked, 'node');
      assert.equal(status, 200);
      assert.equal(sb.requests.at(-1).verified, true);
    } finally {
      await compat.dispose();
    }
  });

  test('rust and webcrypto sign byte-identically, equal to node:crypto', async () => {
    for (let i = 0; i < 20; i++) {
      const message = crypto.randomBytes(i * 37);
      const rust = await post('/sign?crypto=rust', message);
      const web = await post('/sign?crypto=webcrypto', message);
      const node = crypto.sign('sha256', message, sb.merchant.privateKeyPkcs8).toString('base64');
      assert.equal(rust.crypto, 'rust');
      assert.equal(web.crypto, 'webcrypto');
      assert.equal(rust.signature, node);
      assert.equal(web.signature, node);
    }
  });

  test('rust and webcrypto agree on every verification', async () => {
    const message = Buffer.from('1700000000\nnonce\n{"a":1}\n');
    const good = crypto.sign('sha256', message, sb.platform.privateKeyPkcs8);
    const cases = [
      [message, good, true],
      [Buffer.concat([message, Buffer.from('x')]), good, false],
      [message, Buffer.from(good.map((b, i) => (i === 7 ? b ^ 1 : b))), false],
      [message, good.subarray(1), false],
    ];
    for (const [msg, sig, want] of cases) {
      for (const backend of ['rust', 'webcrypto']) {
        const q = new URLSearchParams({ crypto: backend, serial: sb.platform.serial, signature: sig.toString('base64') });
        const { ok } = await post(`/verify?${q}`, msg);
        assert.equal(ok, want, `${backend} on ${want ? 'a good' : 'a bad'} signature`);
      }
    }
  });

  test('the seed GET verifies on both backends', async () => {
    for (const backend of ['rust', 'webcrypto']) {
      const r = await (await mf.dispatchFetch(`http://probe/seed?crypto=${backend}`)).json();
      assert.equal(r.crypto, backend);
      assert.equal(r.status, 200);
      assert.equal(r.data.code, CODE);
    }
  });
});

describe("require('wxpay-wasm') in a Worker", () => {
  test('loads the Node entry, which throws saying to use import (not bundling advice)', async () => {
    const { outdir } = await bundle('tests/workerd/require/wrangler.toml', 'require');
    // Also without a global navigator (helper-105: it was told to keep the package external).
    for (const flags of [['nodejs_compat'], ['nodejs_compat', 'no_global_navigator']]) {
      const mf = start(outdir, {}, { compatibilityFlags: flags });
      try {
        const { error, exports } = await (await mf.dispatchFetch('http://require/')).json();
        assert.equal(exports, undefined, flags.join());
        assert.match(error, /^wxpay-wasm: this is the Node entry, which a Worker's require\('wxpay-wasm'\) loads: use import \{ Wxpay \} from 'wxpay-wasm' \(README, Runtimes\): /, flags.join());
        assert.doesNotMatch(error, /bundler/);
      } finally {
        await mf.dispose();
      }
    }
  });
});
