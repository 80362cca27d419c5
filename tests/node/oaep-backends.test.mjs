// encrypt/decrypt (RSAES-OAEP, SHA-1) on each backend (options.crypto): the platform's RSA-OAEP
// where the backend is node or webcrypto (node:crypto publicEncrypt/privateDecrypt, WebCrypto
// RSA-OAEP), ours where it is rust, the platform then ours under auto. Cross-checked with
// node:crypto both ways, for keys of the usual size and of odd sizes next to and at multiples
// of 28 bits (the limb size of our RSA), where our RSA used to be wrong.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { Wxpay } from 'wxpay-wasm';
import { selfSignedCertificate } from '../sandbox/x509.mjs';
import { rejectsWith } from './helpers.mjs';

const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const BACKENDS = ['node', 'webcrypto', 'rust', 'auto'];
const realPrivateDecrypt = crypto.privateDecrypt.bind(crypto);

const keyPair = (bits) => crypto.generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });

// 2044 = 73 x 28, 2072 = 74 x 28, 2071 next to it, 3080 = 110 x 28.
const SIZES = [2048, 2044, 2072, 2071, 3080];
const keys = Object.fromEntries(SIZES.map((bits) => [bits, { merchant: keyPair(bits), platform: keyPair(bits) }]));

function client(bits, backend) {
  const { merchant, platform } = keys[bits];
  return new Wxpay({
    mchid: '1900000109',
    serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    certs: { [SERIAL]: selfSignedCertificate({ serial: SERIAL, publicKey: platform.publicKey, privateKey: platform.privateKey }) },
    crypto: backend,
  });
}

// Counts (and can break) the platform calls: node:crypto as process.getBuiltinModule gives it
// (the module object this file imports), and the global crypto.subtle.
async function spying(fn, { fail = false, plaintexts = [] } = {}) {
  const calls = { publicEncrypt: 0, privateDecrypt: 0, encrypt: 0, decrypt: 0 };
  const subtle = globalThis.crypto.subtle;
  const saved = { publicEncrypt: crypto.publicEncrypt, privateDecrypt: crypto.privateDecrypt };
  const wrap = (name, real, self) => function (...args) {
    calls[name]++;
    if (fail) throw new Error(`${name} broken by the test`);
    const out = real.apply(self ?? this, args);
    // What a decryption hands back, the plaintext, for the caller to look at once it is done.
    if (name === 'privateDecrypt' || name === 'decrypt') plaintexts.push(out);
    return out;
  };
  crypto.publicEncrypt = wrap('publicEncrypt', saved.publicEncrypt, crypto);
  crypto.privateDecrypt = wrap('privateDecrypt', saved.privateDecrypt, crypto);
  subtle.encrypt = wrap('encrypt', Object.getPrototypeOf(subtle).encrypt, subtle);
  subtle.decrypt = wrap('decrypt', Object.getPrototypeOf(subtle).decrypt, subtle);
  try {
    await fn();
  } finally {
    Object.assign(crypto, saved);
    delete subtle.encrypt;
    delete subtle.decrypt;
  }
  return calls;
}

describe('encrypt and decrypt on every backend, cross-checked with node:crypto', () => {
  for (const bits of SIZES) {
    test(`RSA-${bits}`, async () => {
      const { merchant, platform } = keys[bits];
      const k = Math.ceil(bits / 8);
      for (const backend of BACKENDS) {
        const wxpay = client(bits, backend);
        for (const text of ['', '13800000000', '张三 身份证 110101199003077777', 'x'.repeat(k - 42)]) {
          const ours = Buffer.from(await wxpay.encrypt(text), 'base64');
          assert.equal(ours.length, k, `${backend}: ciphertext length`);
          assert.equal(crypto.privateDecrypt({ key: platform.privateKey, ...OAEP }, ours).toString(), text, `${backend}, ${text.length} bytes`);
          const theirs = crypto.publicEncrypt({ key: merchant.publicKey, ...OAEP }, Buffer.from(text)).toString('base64');
          assert.equal(await wxpay.decrypt(theirs), text, `${backend}: decrypt`);
        }
        const e = await rejectsWith(wxpay.encrypt('x'.repeat(k - 41)), 'ERR_INVALID_PARAM');
        assert.equal(e.message, `encrypt(text): text is ${k - 41} bytes of UTF-8; RSA-${k * 8} OAEP-SHA1 encrypts at most ${k - 42}`);
        wxpay.free();
      }
    });
  }
});

describe('which RSA runs', () => {
  test('node and auto call node:crypto, webcrypto calls crypto.subtle, rust neither', async () => {
    const want = {
      node: { publicEncrypt: 1, privateDecrypt: 1, encrypt: 0, decrypt: 0 },
      auto: { publicEncrypt: 1, privateDecrypt: 1, encrypt: 0, decrypt: 0 },
      webcrypto: { publicEncrypt: 0, privateDecrypt: 0, encrypt: 1, decrypt: 1 },
      rust: { publicEncrypt: 0, privateDecrypt: 0, encrypt: 0, decrypt: 0 },
    };
    const { merchant } = keys[2072];
    for (const backend of BACKENDS) {
      const wxpay = client(2072, backend);
      const theirs = crypto.publicEncrypt({ key: merchant.publicKey, ...OAEP }, Buffer.from('13800000000')).toString('base64');
      let ours;
      const plaintexts = [];
      const calls = await spying(async () => {
        ours = await wxpay.encrypt('13800000000');
        assert.equal(await wxpay.decrypt(theirs), '13800000000');
      }, { plaintexts });
      assert.deepEqual(calls, want[backend], backend);
      // The platform's plaintext buffer is overwritten once read (SECURITY.md): all zeros now.
      assert.equal(plaintexts.length, want[backend].privateDecrypt + want[backend].decrypt);
      for (const p of plaintexts) {
        const bytes = new Uint8Array(await p);
        assert.equal(bytes.length, '13800000000'.length, backend);
        assert.ok(bytes.every((b) => b === 0), `${backend}: the plaintext buffer is zeroed`);
      }
      assert.equal(crypto.privateDecrypt({ key: keys[2072].platform.privateKey, ...OAEP }, Buffer.from(ours, 'base64')).toString(), '13800000000');
    }
  });

  test('a platform that throws: auto falls back to ours; node and webcrypto reject, nothing escapes', async () => {
    const { merchant, platform } = keys[2044];
    const theirs = crypto.publicEncrypt({ key: merchant.publicKey, ...OAEP }, Buffer.from('张三')).toString('base64');
    for (const backend of BACKENDS) {
      const wxpay = client(2044, backend);
      const calls = await spying(async () => {
        if (backend === 'node' || backend === 'webcrypto') {
          const e = await rejectsWith(wxpay.encrypt('张三'), 'ERR_CRYPTO');
          assert.doesNotMatch(e.message, /BEGIN|PRIVATE/);
          // Any failure to decrypt is the one opaque error.
          const d = await rejectsWith(wxpay.decrypt(theirs), 'ERR_INVALID_PARAM');
          assert.equal(d.message, 'decrypt(ciphertext): ciphertext does not decrypt under the merchant key (RSAES-OAEP, SHA-1)');
        } else {
          const ours = Buffer.from(await wxpay.encrypt('张三'), 'base64');
          // The test's own check, past the broken node:crypto.
          assert.equal(realPrivateDecrypt({ key: platform.privateKey, ...OAEP }, ours).toString(), '张三');
          assert.equal(await wxpay.decrypt(theirs), '张三');
        }
      }, { fail: true });
      const platformCalls = calls.publicEncrypt + calls.privateDecrypt + calls.encrypt + calls.decrypt;
      // auto tries node:crypto, then crypto.subtle, then ours.
      assert.equal(platformCalls, { rust: 0, node: 2, webcrypto: 2, auto: 4 }[backend], `${backend}: ${JSON.stringify(calls)}`);
      // The client still works once the platform is back.
      assert.equal(await wxpay.decrypt(theirs), '张三');
      wxpay.free();
    }
  });

  test('a bad ciphertext is the same error on every backend', async () => {
    const { merchant } = keys[2071];
    const good = crypto.publicEncrypt({ key: merchant.publicKey, ...OAEP }, Buffer.from('ok'));
    const flipped = Buffer.from(good);
    flipped[40] ^= 4;
    const sha256 = crypto.publicEncrypt({ key: merchant.publicKey, ...OAEP, oaepHash: 'sha256' }, Buffer.from('ok'));
    for (const backend of BACKENDS) {
      const wxpay = client(2071, backend);
      for (const bad of [flipped, sha256]) {
        const e = await rejectsWith(wxpay.decrypt(bad.toString('base64')), 'ERR_INVALID_PARAM');
        assert.equal(e.message, 'decrypt(ciphertext): ciphertext does not decrypt under the merchant key (RSAES-OAEP, SHA-1)', backend);
      }
      assert.equal(await wxpay.decrypt(good.toString('base64')), 'ok');
      wxpay.free();
    }
  });
});
