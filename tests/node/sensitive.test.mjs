// Sensitive fields and the answering key: encrypt/decrypt (RSAES-OAEP, SHA-1) cross-checked
// with node:crypto, the wechatpaySerial option (defaults, validation, the Wechatpay-Serial
// header on every request) and the apiv3Key option.
import test, { describe } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Wxpay } from 'wxpay-wasm';
import { randomRsaKeyPair } from '../sandbox/keys.mjs';
import { selfSignedCertificate, randomSerial } from '../sandbox/index.mjs';
import { useSandbox, options, rejectsWith, assertWxpayError, keyMaterial, assertNoKeyMaterial } from './helpers.mjs';

const ctx = useSandbox();
const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
const TEXTS = ['张三', '13800000000', '', 'a'.repeat(214), '身份证 110101199003077777 🎉'];

const throwsCode = (fn, code) => assert.throws(fn, (e) => { assertWxpayError(e, code); return true; });

describe('encrypt: our ciphertext decrypts with node:crypto', () => {
  test('under the platform certificate key (certs: the platform certificate only)', async () => {
    const wxpay = new Wxpay(options(ctx.sb));
    assert.equal(wxpay.wechatpaySerial, ctx.sb.platform.serial);
    const seen = new Set();
    for (const text of TEXTS) {
      const b64 = await wxpay.encrypt(text);
      assert.match(b64, /^[A-Za-z0-9+/]{342}==$/);
      seen.add(b64);
      assert.equal(crypto.privateDecrypt({ key: ctx.sb.platform.privateKeyPkcs8, ...OAEP }, Buffer.from(b64, 'base64')).toString('utf8'), text);
      // Not PKCS#1 v1.5, not OAEP-SHA-256.
      assert.throws(() => crypto.privateDecrypt({ key: ctx.sb.platform.privateKeyPkcs8, ...OAEP, oaepHash: 'sha256' }, Buffer.from(b64, 'base64')));
    }
    assert.equal(seen.size, TEXTS.length);
    assert.notEqual(await wxpay.encrypt('x'), await wxpay.encrypt('x'), 'OAEP is randomised');
  });

  test('under the WeChat Pay public key when certs has a PUB_KEY_ID_ entry', async () => {
    const wxpay = new Wxpay(options(ctx.sb, { certs: ctx.sb.certs }));
    assert.equal(wxpay.wechatpaySerial, ctx.sb.pubkey.id);
    const b64 = await wxpay.encrypt('13800000000');
    assert.equal(crypto.privateDecrypt({ key: ctx.sb.pubkey.privateKeyPkcs8, ...OAEP }, Buffer.from(b64, 'base64')).toString(), '13800000000');
    assert.throws(() => crypto.privateDecrypt({ key: ctx.sb.platform.privateKeyPkcs8, ...OAEP }, Buffer.from(b64, 'base64')));
  });

  test('under the key wechatpaySerial names', async () => {
    const wxpay = new Wxpay(options(ctx.sb, { certs: ctx.sb.certs, wechatpaySerial: ctx.sb.platform.serial }));
    const b64 = await wxpay.encrypt('张三');
    assert.equal(crypto.privateDecrypt({ key: ctx.sb.platform.privateKeyPkcs8, ...OAEP }, Buffer.from(b64, 'base64')).toString(), '张三');
  });

  test('bad input rejects ERR_INVALID_PARAM, and the client keeps working', async () => {
    const wxpay = new Wxpay(options(ctx.sb));
    for (const bad of [undefined, null, 42, {}, new Uint8Array(3)]) await rejectsWith(wxpay.encrypt(bad), 'ERR_INVALID_PARAM');
    const e = await rejectsWith(wxpay.encrypt('a'.repeat(215)), 'ERR_INVALID_PARAM');
    assert.equal(e.message, 'encrypt(text): text is 215 bytes of UTF-8; RSA-2048 OAEP-SHA1 encrypts at most 214');
    await rejectsWith(wxpay.encrypt('中'.repeat(72)), 'ERR_INVALID_PARAM'); // 216 bytes
    const b64 = await wxpay.encrypt('中'.repeat(71)); // 213 bytes
    assert.equal(crypto.privateDecrypt({ key: ctx.sb.platform.privateKeyPkcs8, ...OAEP }, Buffer.from(b64, 'base64')).toString(), '中'.repeat(71));
  });
});

describe('decrypt: node:crypto ciphertext decrypts with ours', () => {
  test('every text, PKCS#8 and PKCS#1 merchant keys', async () => {
    for (const privateKey of [ctx.sb.merchant.privateKeyPkcs8, ctx.sb.merchant.privateKeyPkcs1]) {
      const wxpay = new Wxpay(options(ctx.sb, { privateKey }));
      for (const text of TEXTS) {
        const b64 = crypto.publicEncrypt({ key: ctx.sb.merchant.publicKeySpki, ...OAEP }, Buffer.from(text)).toString('base64');
        assert.equal(await wxpay.decrypt(b64), text);
      }
    }
  });

  test('bad ciphertexts reject ERR_INVALID_PARAM without key material, and the client keeps working', async () => {
    const wxpay = new Wxpay(options(ctx.sb));
    const good = crypto.publicEncrypt({ key: ctx.sb.merchant.publicKeySpki, ...OAEP }, Buffer.from('ok'));
    const flipped = Buffer.from(good); flipped[17] ^= 1;
    const cases = [
      [42, 'ciphertext must be a base64 string'],
      ['not base64!', 'not valid base64'],
      [good.subarray(1).toString('base64'), 'ciphertext is 255 bytes'],
      [flipped.toString('base64'), 'does not decrypt under the merchant key'],
      // OAEP-SHA-256 and PKCS#1 v1.5 ciphertexts are not ours.
      [crypto.publicEncrypt({ key: ctx.sb.merchant.publicKeySpki, ...OAEP, oaepHash: 'sha256' }, Buffer.from('ok')).toString('base64'), 'does not decrypt'],
      [crypto.publicEncrypt({ key: ctx.sb.merchant.publicKeySpki, padding: crypto.constants.RSA_PKCS1_PADDING }, Buffer.from('ok')).toString('base64'), 'does not decrypt'],
      [crypto.publicEncrypt({ key: ctx.sb.merchant.publicKeySpki, ...OAEP }, Buffer.from([0xff, 0xfe])).toString('base64'), 'does not decrypt under the merchant key'], // not UTF-8: the same error
    ];
    const secrets = keyMaterial(ctx.sb.merchant.privateKeyPkcs8);
    for (const [input, want] of cases) {
      const e = await rejectsWith(wxpay.decrypt(input), 'ERR_INVALID_PARAM');
      assert.ok(e.message.includes(want), `${e.message} should say ${want}`);
      assertNoKeyMaterial(e.message, secrets);
    }
    assert.equal(await wxpay.decrypt(good.toString('base64')), 'ok');
  });
});

describe('wechatpaySerial', () => {
  const cert = (notBefore) => {
    const { publicKey, privateKey } = randomRsaKeyPair();
    const serial = randomSerial();
    return [serial, selfSignedCertificate({ serial, publicKey, privateKey, notBefore })];
  };

  test('default: the newest certificate in effect by validity start, in any order; a PUB_KEY_ID_ entry over all; a pin while in effect', () => {
    const year = 365 * 86400e3;
    // Each valid for five years: one since 2 years ago, one since a year ago, one expired last year.
    const [oldSerial, oldPem] = cert(new Date(Date.now() - 2 * year));
    const [newSerial, newPem] = cert(new Date(Date.now() - year));
    const [goneSerial, gonePem] = cert(new Date(Date.now() - 6 * year));
    for (const certs of [{ [oldSerial]: oldPem, [newSerial]: newPem }, { [newSerial]: newPem, [oldSerial]: oldPem }]) {
      assert.equal(new Wxpay(options(ctx.sb, { certs })).wechatpaySerial, newSerial);
    }
    const withId = { [newSerial]: newPem, [ctx.sb.pubkey.id]: ctx.sb.pubkey.publicKeySpki, [oldSerial]: oldPem, [goneSerial]: gonePem };
    assert.equal(new Wxpay(options(ctx.sb, { certs: withId })).wechatpaySerial, ctx.sb.pubkey.id);
    assert.equal(new Wxpay(options(ctx.sb, { certs: withId, wechatpaySerial: oldSerial })).wechatpaySerial, oldSerial);
    assert.equal(new Wxpay(options(ctx.sb, { certs: withId, wechatpaySerial: goneSerial })).wechatpaySerial, ctx.sb.pubkey.id, 'an expired pin gives way');
    assert.equal(new Wxpay(options(ctx.sb, { certs: { [goneSerial]: gonePem } })).wechatpaySerial, goneSerial, 'unless nothing else is known');
  });

  test('hex serials are canonical upper case; a name not in certs or not a string is ERR_INVALID_CONFIG', () => {
    const lower = new Wxpay(options(ctx.sb, { certs: { [ctx.sb.platform.serial.toLowerCase()]: ctx.sb.platform.certificate } }));
    assert.equal(lower.wechatpaySerial, ctx.sb.platform.serial);
    assert.equal(new Wxpay(options(ctx.sb, { wechatpaySerial: ctx.sb.platform.serial.toLowerCase() })).wechatpaySerial, ctx.sb.platform.serial);
    for (const bad of [ctx.sb.pubkey.id, 'ABC', '']) {
      throwsCode(() => new Wxpay(options(ctx.sb, { wechatpaySerial: bad })), 'ERR_INVALID_CONFIG');
    }
    assert.throws(() => new Wxpay(options(ctx.sb, { wechatpaySerial: 'PUB_KEY_ID_0' })), {
      code: 'ERR_INVALID_CONFIG',
      // Quoted only because it has the shape of a key id (a secret pasted there is not, issue 10).
      message: `options.wechatpaySerial "PUB_KEY_ID_0" is not one of the configured certs (${ctx.sb.platform.serial})`,
    });
    for (const bad of [42, null, {}]) throwsCode(() => new Wxpay(options(ctx.sb, { wechatpaySerial: bad })), 'ERR_INVALID_CONFIG');
  });

  test('sent as Wechatpay-Serial on every request; the request headers may override it', async () => {
    const { sb } = ctx;
    const echo = (w, config) => w.v3.sandbox.echo.post({ a: 1 }, config).then(({ data }) => data.headers['wechatpay-serial']);
    assert.equal(await echo(new Wxpay(options(sb))), sb.platform.serial);
    const both = new Wxpay(options(sb, { certs: sb.certs }));
    assert.equal(await echo(both), sb.pubkey.id);
    assert.equal(await both.v3.sandbox.echo.get().then(({ data }) => data.headers['wechatpay-serial']), sb.pubkey.id);
    assert.equal(await echo(both, { headers: { 'WECHATPAY-SERIAL': sb.platform.serial } }), sb.platform.serial, 'one header, the caller\'s');
    assert.equal(await echo(new Wxpay(options(sb, { certs: sb.certs, wechatpaySerial: sb.platform.serial }))), sb.platform.serial);
    assert.ok(sb.requests.every((r) => r.verified));
    // The seed call still works with the header: the sandbox answers 400 for a serial it does not know.
    const { status } = await both.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' });
    assert.equal(status, 200);
  });
});

describe('apiv3Key', () => {
  test('must be a 32-byte string: ERR_INVALID_CONFIG naming the option, never echoing the key', () => {
    const cases = ['', 'short', 'x'.repeat(31), 'x'.repeat(33), 'é'.repeat(32), 42, null, {}, new Uint8Array(32)];
    for (const bad of cases) {
      assert.throws(() => new Wxpay(options(ctx.sb, { apiv3Key: bad })), (e) => {
        assertWxpayError(e, 'ERR_INVALID_CONFIG');
        assert.match(e.message, /^options\.apiv3Key must be /);
        if (typeof bad === 'string' && bad.length > 3) assert.ok(!e.message.includes(bad), 'the key is never echoed');
        return true;
      }, String(bad));
    }
    assert.equal(new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key })).wechatpaySerial, ctx.sb.platform.serial);
  });

  test('read from a file: the line break at its end (and spaces around it) is not part of the key', async () => {
    const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'T-1' } });
    for (const padded of [`${ctx.sb.apiv3Key}\n`, `${ctx.sb.apiv3Key}\r\n`, ` ${ctx.sb.apiv3Key}\t\n`]) {
      const wxpay = new Wxpay(options(ctx.sb, { apiv3Key: padded }));
      assert.deepEqual((await wxpay.notifications.parse({ headers: n.headers, body: n.body })).resource, { out_trade_no: 'T-1' }, JSON.stringify(padded.replace(ctx.sb.apiv3Key, 'KEY')));
    }
    // What is left must still be 32 characters: the length said is without the line break.
    assert.throws(() => new Wxpay(options(ctx.sb, { apiv3Key: `${ctx.sb.apiv3Key.slice(1)}\n` })), {
      code: 'ERR_INVALID_CONFIG', message: /^options\.apiv3Key must be .*, got 31 bytes$/,
    });
  });

  test('of the wrong type without certs: named as the wrong type, not as missing certs', () => {
    const { certs, ...noCerts } = options(ctx.sb);
    assert.ok(certs);
    for (const bad of [Buffer.from(ctx.sb.apiv3Key), new Uint8Array(32), 42, null, {}]) {
      assert.throws(() => new Wxpay({ ...noCerts, apiv3Key: bad }), (e) => {
        assertWxpayError(e, 'ERR_INVALID_CONFIG');
        assert.match(e.message, /^options\.apiv3Key must be a string /);
        assert.ok(!e.message.includes(ctx.sb.apiv3Key), 'the key is never echoed');
        return true;
      }, Object.prototype.toString.call(bad));
    }
    // Without both, certs are still what is missing.
    assert.throws(() => new Wxpay(noCerts), { code: 'ERR_INVALID_CONFIG', message: /^options\.certs is required/ });
  });
});
