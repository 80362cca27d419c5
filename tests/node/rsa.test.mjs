// The pure-Rust RSA (`crypto: 'rust'`) as shipped in the .wasm, where it runs on wasm SIMD
// (src/rsa/pair.rs, solo.rs) that the native tests only emulate: signatures byte for byte
// against node:crypto for fresh keys of every shape, verification of good and one-bit-changed
// signatures, OAEP both ways, and the SIMD instruction the speed relies on.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { Wxpay } from 'wxpay-wasm';
import { selfSignedCertificate } from '../sandbox/x509.mjs';
import { keys, unevenKey } from '../rsa/keys.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';

// Two standard keys (p > q and p < q), small qInv, 1024/3072/2047 bits, e = 3, and primes of
// different sizes (the single-lane path for both halves).
const shapes = [...keys(2), unevenKey()];

function client({ key }, format) {
  const publicKey = crypto.createPublicKey(key);
  return new Wxpay({
    mchid: '1900000109',
    serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    privateKey: key.export({ type: format, format: 'pem' }),
    certs: { [SERIAL]: selfSignedCertificate({ serial: SERIAL, publicKey, privateKey: key }) },
    wechatpaySerial: SERIAL,
    crypto: 'rust',
  });
}

describe('the rust backend in wasm', () => {
  for (const shape of shapes) {
    test(`${shape.label}: signs like node:crypto, verifies, rejects one-bit changes, OAEP both ways`, async () => {
      const { key } = shape;
      for (const format of ['pkcs8', 'pkcs1']) {
        const wxpay = client(shape, format);
        assert.equal(wxpay.crypto, 'rust');
        for (let i = 0; i < 12; i++) {
          const message = crypto.randomBytes(crypto.randomInt(0, 400));
          const want = crypto.sign('sha256', message, key).toString('base64');
          assert.equal(await wxpay.sign(message), want, `${format}, ${message.length} bytes`);
        }
        const message = crypto.randomBytes(64);
        const good = crypto.sign('sha256', message, key);
        assert.equal(await wxpay.verify(message, good.toString('base64'), SERIAL), true);
        for (let i = 0; i < 24; i++) {
          const bit = crypto.randomInt(good.length * 8);
          const bad = Buffer.from(good);
          bad[bit >> 3] ^= 1 << (bit & 7);
          assert.equal(await wxpay.verify(message, bad.toString('base64'), SERIAL), false, `signature bit ${bit}`);
          const changed = Buffer.from(message);
          changed[i] ^= 1 << (i & 7);
          assert.equal(await wxpay.verify(changed, good.toString('base64'), SERIAL), false, `message byte ${i}`);
        }
        const text = `6212${crypto.randomInt(1e9)}中文`;
        const ours = Buffer.from(await wxpay.encrypt(text), 'base64');
        const oaep = { key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
        assert.equal(crypto.privateDecrypt(oaep, ours).toString(), text);
        const theirs = crypto.publicEncrypt({ ...oaep, key: crypto.createPublicKey(key) }, Buffer.from(text));
        assert.equal(await wxpay.decrypt(theirs.toString('base64')), text);
        wxpay.free();
      }
    });
  }
});

test('the built .wasm multiplies with i64x2.extmul and never with i64x2.mul', () => {
  const out = execFileSync('bash', [path.join(root, 'scripts/check-simd.sh')], { encoding: 'utf8' });
  assert.match(out, /extmul/);
});
