// The RSA backends (options.crypto) on Node: byte-identical signatures,
// equal to node:crypto's, and the same answer on every verification.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { startSandbox } from '../sandbox/index.mjs';

const BACKENDS = ['node', 'webcrypto', 'rust'];
let sb;
before(async () => { sb = await startSandbox({}); });
after(async () => { await sb?.close(); });

const make = (opts = {}) => new Wxpay({
  mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8,
  certs: sb.certs, baseURL: sb.baseURL, ...opts,
});

describe('choosing a backend', () => {
  test('on a Node without process.getBuiltinModule (before 20.16), auto picks WebCrypto, and node is refused', async () => {
    // A process of its own: the package looks for process.getBuiltinModule when it loads.
    const script = `
      delete process.getBuiltinModule;
      const { Wxpay } = await import('wxpay-wasm');
      const config = JSON.parse(process.env.CONFIG);
      const w = new Wxpay(config);
      const { status } = await w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' });
      let refused;
      try { new Wxpay({ ...config, crypto: 'node' }); } catch (e) { refused = e.code; }
      console.log(JSON.stringify({ crypto: w.crypto, status, refused }));`;
    const config = { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs, baseURL: sb.baseURL };
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, CONFIG: JSON.stringify(config) } });
    assert.deepEqual(JSON.parse(stdout), { crypto: 'webcrypto', status: 200, refused: 'ERR_INVALID_CONFIG' });
    assert.equal(sb.requests.at(-1).verified, true);
  });

  test('auto picks node:crypto in Node; each explicit choice is honoured', () => {
    assert.equal(make().crypto, 'node');
    assert.equal(make({ crypto: 'auto' }).crypto, 'node');
    for (const b of BACKENDS) assert.equal(make({ crypto: b }).crypto, b);
  });

  test('an unknown or mistyped choice is ERR_INVALID_CONFIG naming options.crypto', () => {
    for (const bad of ['openssl', '', 42, {}]) {
      assert.throws(() => make({ crypto: bad }), (e) => e instanceof WxpayError && e.code === 'ERR_INVALID_CONFIG' && /options\.crypto/.test(e.message));
    }
    assert.equal(make({ crypto: 'rust' }).crypto, 'rust'); // and the module still works
  });
});

describe('signing', () => {
  test('every backend signs byte-identically to node:crypto, for both key encodings', async () => {
    for (const privateKey of [sb.merchant.privateKeyPkcs8, sb.merchant.privateKeyPkcs1]) {
      const clients = BACKENDS.map((crypto) => make({ crypto, privateKey }));
      for (let i = 0; i < 12; i++) {
        const message = crypto.randomBytes(i * 61);
        const want = crypto.sign('sha256', message, sb.merchant.privateKeyPkcs8).toString('base64');
        for (const c of clients) assert.equal(await c.sign(message), want, `${c.crypto}, ${message.length} bytes`);
      }
      const text = 'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n中文\n';
      const want = crypto.sign('sha256', Buffer.from(text), sb.merchant.privateKeyPkcs8).toString('base64');
      for (const c of clients) assert.equal(await c.sign(text), want, `${c.crypto} on a string`);
    }
  });

  test('node:crypto signatures are encoded by Buffer, by btoa when sign gives other bytes, and a failing sign falls through only under auto', async (t) => {
    const real = crypto.sign;
    t.after(() => { crypto.sign = real; });
    const message = Buffer.from('wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201\n');
    const want = real('sha256', message, sb.merchant.privateKeyPkcs8).toString('base64');
    const [node, auto] = [make({ crypto: 'node' }), make()];
    const seen = [];
    crypto.sign = (...args) => { const s = real(...args); seen.push(Buffer.isBuffer(s)); return s; };
    assert.equal(await node.sign(message), want);
    crypto.sign = (...args) => { const s = new Uint8Array(real(...args)); seen.push(Buffer.isBuffer(s)); return s; };
    assert.equal(await node.sign(message), want);
    assert.deepEqual(seen, [true, false]);
    crypto.sign = () => { throw new Error('sign broken by the test'); };
    assert.equal(await auto.sign(message), want); // WebCrypto next
    await assert.rejects(node.sign(message), (e) => e.code === 'ERR_CRYPTO' && /sign broken by the test/.test(e.message));
    crypto.sign = real;
    assert.equal(await node.sign(message), want); // and the client keeps working
  });

  test('a non-string, non-bytes message rejects ERR_INVALID_PARAM', async () => {
    for (const c of BACKENDS.map((crypto) => make({ crypto }))) {
      await assert.rejects(c.sign(123), (e) => e.code === 'ERR_INVALID_PARAM');
      await assert.rejects(c.sign(), (e) => e.code === 'ERR_INVALID_PARAM');
    }
  });
});

describe('verifying', () => {
  test('all backends agree on good and bad signatures, for every key format', async () => {
    const message = Buffer.from(`1700000000\n${'N'.repeat(32)}\n{"code":"300000001"}\n`);
    const good = crypto.sign('sha256', message, sb.platform.privateKeyPkcs8);
    const flipped = Buffer.from(good); flipped[100] ^= 0x10;
    const cases = [
      ['good', message, good, true],
      ['message changed', Buffer.concat([message, Buffer.from(' ')]), good, false],
      ['signature bit flipped', message, flipped, false],
      ['signature truncated', message, good.subarray(0, 255), false],
      ['signature by another key', message, crypto.sign('sha256', message, sb.pubkey.privateKeyPkcs8), false],
    ];
    const serial = sb.platform.serial;
    for (const certFormat of ['certificate', 'publicKeySpki', 'publicKeyPkcs1']) {
      for (const backend of BACKENDS) {
        const c = make({ crypto: backend, certs: { [serial]: sb.platform[certFormat] } });
        for (const [name, msg, sig, want] of cases) {
          assert.equal(await c.verify(msg, sig.toString('base64'), serial), want, `${backend}, ${certFormat}: ${name}`);
        }
        assert.equal(await c.verify(message, 'not base64!', serial), false);
        await assert.rejects(c.verify(message, good.toString('base64'), 'UNKNOWN'), (e) => e.code === 'ERR_INVALID_PARAM');
      }
    }
  });
});

describe('requests', () => {
  test('the seed GET verifies on every backend, and a forged answer fails on every backend', async () => {
    for (const backend of BACKENDS) {
      sb.reset();
      const node = make({ crypto: backend }).v3.marketing.membercardOpen.cards._card_id_.codes._code_;
      const { status, data } = await node.get({ card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' });
      assert.equal(status, 200);
      assert.equal(data.code, '300000001');
      assert.equal(sb.requests[0].verified, true, `${backend}: ${sb.requests[0].reason}`);
      sb.misbehave('forged');
      await assert.rejects(node.get({ card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' }), (e) => e.code === 'ERR_RESPONSE_SIGNATURE');
    }
  });

  test('node:crypto refusing to sign a request: auto signs it with the next backend, node fails ERR_CRYPTO with nothing sent; hooks hear only of signed attempts', async (t) => {
    // Without hooks, `send` signs with node:crypto just before its fetch; a refusal there is
    // signed again the usual way. With hooks, the request is signed before `onRequest` hears of it.
    const real = crypto.sign;
    t.after(() => { crypto.sign = real; });
    const card = { card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' };
    const codes = (c) => c.v3.marketing.membercardOpen.cards._card_id_.codes._code_;
    const spki = (key) => crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
    const merchant = spki(sb.merchant.privateKeyPkcs8);
    const merchants = (key) => key instanceof crypto.KeyObject && key.type === 'private' && spki(key).equals(merchant);
    for (const hooked of [false, true]) {
      const heard = [];
      const hooks = hooked ? { onRequest: (i) => heard.push(['request', i.attempt]), onResponse: (i) => heard.push(['response', i.status]) } : {};
      const [auto, node] = [make(hooks), make({ crypto: 'node', ...hooks })];
      sb.reset();
      crypto.sign = (algorithm, data, key) => {
        if (merchants(key)) throw new Error('sign broken by the test');
        return real(algorithm, data, key); // the sandbox signs its answers with it too
      };
      assert.equal((await codes(auto).get(card)).status, 200);
      assert.equal(sb.requests.length, 1);
      assert.equal(sb.requests[0].verified, true, sb.requests[0].reason);
      await assert.rejects(codes(node).get(card), (e) => e.code === 'ERR_CRYPTO' && /sign broken by the test/.test(e.message) && e.attempts === 1);
      assert.equal(sb.requests.length, 1, 'nothing sent unsigned');
      crypto.sign = real;
      assert.equal((await codes(node).get(card)).status, 200);
      assert.equal(sb.requests.length, 2);
      assert.equal(sb.requests[1].verified, true, sb.requests[1].reason);
      assert.deepEqual(heard, hooked ? [['request', 1], ['response', 200], ['request', 1], ['response', 200]] : []);
    }
  });
});
