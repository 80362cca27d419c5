// Key material for one sandbox: the merchant's key (signs requests), the platform
// certificate key and the "WeChat Pay public key" (either may sign answers).
import crypto from 'node:crypto';
import { selfSignedCertificate } from './x509.mjs';

export function randomRsaKeyPair() {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
}

// 20 random bytes, top bit cleared (a positive INTEGER needs no 0x00 pad) and first nibble
// non-zero (no leading zero to drop), so every rendering of it is exactly 40 hex digits.
export function randomSerial() {
  const b = crypto.randomBytes(20);
  b[0] = 0x10 + (b[0] % 0x70); // 0x10..0x7F
  return b.toString('hex').toUpperCase();
}

const digits = (n) => Array.from({ length: n }, () => crypto.randomInt(10)).join('');

// Real ids look like PUB_KEY_ID_0115588915912025020800337100001553: '01' + mchid (10 digits)
// + issue date (YYYYMMDD) + 14 digits, 34 digits in all.
export function randomPubKeyId(mchid) {
  const mch = /^\d{10}$/.test(mchid) ? mchid : digits(10);
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `PUB_KEY_ID_01${mch}${date}${digits(14)}`;
}

// All PEM renderings of a pair, as the API exposes them.
function pems({ publicKey, privateKey }) {
  return {
    privateKeyPkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    privateKeyPkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }),
    publicKeySpki: publicKey.export({ type: 'spki', format: 'pem' }),
    publicKeyPkcs1: publicKey.export({ type: 'pkcs1', format: 'pem' }),
  };
}

/** Fresh keys: { mchid, merchant, platform, pubkey } (all PEM strings). */
export function generateKeys(mchid) {
  const m = randomRsaKeyPair(), p = randomRsaKeyPair(), k = randomRsaKeyPair();
  const serial = randomSerial();
  // Only the merchant key is exposed as PKCS#1 private too: that is the one users bring.
  const { privateKeyPkcs1: _p, ...platformPems } = pems(p);
  const { privateKeyPkcs1: _k, ...pubkeyPems } = pems(k);
  return {
    mchid,
    merchant: { serial: randomSerial(), ...pems(m) },
    platform: { serial, certificate: selfSignedCertificate({ serial, ...p }), ...platformPems },
    pubkey: { id: randomPubKeyId(mchid), ...pubkeyPems },
  };
}

/** Turn the PEM shape into KeyObjects the server signs and verifies with. */
export function keyObjects(keys) {
  return {
    merchantPublic: crypto.createPublicKey(keys.merchant.publicKeySpki),
    platformPrivate: crypto.createPrivateKey(keys.platform.privateKeyPkcs8),
    pubkeyPrivate: crypto.createPrivateKey(keys.pubkey.privateKeyPkcs8),
  };
}
