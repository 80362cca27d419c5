// Every key format a user brings: the merchant private key (PKCS#8, PKCS#1; string, Buffer,
// bytes; CRLF; literal "\n" escapes) and the verifying keys (platform certificate, SPKI,
// PKCS#1 public; the WeChat Pay public key PUB_KEY_ID_...; both at once), on every RSA
// backend. A call succeeds only if the sandbox verified our signature and we verified its.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Wxpay } from 'wxpay-wasm';
import { useSandbox, options, memberCode, CARD_ID, CODE, rejectsWith, assertWxpayError, keyMaterial, assertNoKeyMaterial } from './helpers.mjs';

const ctx = useSandbox();
const BACKENDS = ['node', 'webcrypto', 'rust'];
const crlf = (pem) => pem.replace(/\n/g, '\r\n');
const escaped = (pem) => pem.replace(/\n/g, '\\n'); // as pasted into a one-line env variable
const bytesOf = (pem) => new TextEncoder().encode(pem);
const arrayBufferOf = (pem) => { const u = bytesOf(pem); return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength); };

async function assertSeedGetWorks(sb, wxpay) {
  const { status, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
  assert.equal(status, 200);
  assert.deepEqual(data, sb.cards[CARD_ID][CODE]);
  const req = sb.requests.at(-1);
  assert.equal(req.verified, true, `sandbox rejected our signature: ${req.reason}`);
}

const merchantFormats = {
  'PKCS#8 PEM string': (m) => m.privateKeyPkcs8,
  'PKCS#1 PEM string': (m) => m.privateKeyPkcs1,
  'PKCS#8 PEM Buffer': (m) => Buffer.from(m.privateKeyPkcs8),
  'PKCS#1 PEM Buffer': (m) => Buffer.from(m.privateKeyPkcs1),
  'PKCS#8 PEM with CRLF': (m) => crlf(m.privateKeyPkcs8),
  'PKCS#1 PEM with CRLF': (m) => crlf(m.privateKeyPkcs1),
  'PKCS#8 PEM Buffer with CRLF': (m) => Buffer.from(crlf(m.privateKeyPkcs8)),
  'PKCS#8 PEM with literal \\n escapes': (m) => escaped(m.privateKeyPkcs8),
  'PKCS#1 PEM with literal \\n escapes': (m) => escaped(m.privateKeyPkcs1),
  'PKCS#8 PEM Uint8Array': (m) => bytesOf(m.privateKeyPkcs8),
  'PKCS#1 PEM ArrayBuffer': (m) => arrayBufferOf(m.privateKeyPkcs1),
  // What `openssl pkcs12 -in apiclient_cert.p12 -nodes` writes: the certificate first.
  'PKCS#8 PEM after a certificate': (m, sb) => `Bag Attributes\n${sb.platform.certificate}${m.privateKeyPkcs8}`,
  'PKCS#1 PEM after a certificate': (m, sb) => `${sb.platform.certificate}\n${m.privateKeyPkcs1}`,
};

for (const backend of BACKENDS) {
  for (const [name, make] of Object.entries(merchantFormats)) {
    test(`merchant key, ${name} (${backend})`, async () => {
      const { sb } = ctx;
      const privateKey = make(sb.merchant, sb);
      if (name.includes('escapes')) assert.ok(!privateKey.includes('\n') && privateKey.includes('\\n'));
      if (name.includes('CRLF')) assert.ok(String(privateKey).includes('\r\n'));
      const wxpay = new Wxpay(options(sb, { privateKey, crypto: backend }));
      assert.equal(wxpay.crypto, backend);
      await assertSeedGetWorks(sb, wxpay);
    });
  }
}

const platformFormats = {
  'X.509 certificate PEM': (p) => p.certificate,
  'X.509 certificate PEM Buffer': (p) => Buffer.from(p.certificate),
  'X.509 certificate PEM with CRLF': (p) => crlf(p.certificate),
  'SPKI PEM': (p) => p.publicKeySpki,
  'SPKI PEM with literal \\n escapes': (p) => escaped(p.publicKeySpki),
  'PKCS#1 public PEM': (p) => p.publicKeyPkcs1,
  'PKCS#1 public PEM Buffer': (p) => Buffer.from(p.publicKeyPkcs1),
};

for (const backend of BACKENDS) {
  for (const [name, make] of Object.entries(platformFormats)) {
    test(`platform key, ${name} (${backend})`, async () => {
      const { sb } = ctx;
      const wxpay = new Wxpay(options(sb, { certs: { [sb.platform.serial]: make(sb.platform) }, crypto: backend }));
      await assertSeedGetWorks(sb, wxpay);
    });
  }

  test(`the configured key is what verifies: another key under the platform serial fails (${backend})`, async () => {
    const { sb } = ctx;
    // the right serial, the wrong key (the WeChat Pay public key's): a real check would fail
    const wxpay = new Wxpay(options(sb, { certs: { [sb.platform.serial]: sb.pubkey.publicKeySpki }, crypto: backend }));
    const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_SIGNATURE');
    assert.equal(err.requestId, sb.requests[0].requestId);
    assert.equal(sb.requests[0].verified, true);
  });

  test(`WeChat Pay public-key mode: PUB_KEY_ID_ answers verify with the SPKI key (${backend})`, async () => {
    const { sb } = ctx;
    sb.answerKey = 'pubkey';
    assert.match(sb.pubkey.id, /^PUB_KEY_ID_\d{34}$/);
    const wxpay = new Wxpay(options(sb, { certs: { [sb.pubkey.id]: sb.pubkey.publicKeySpki }, crypto: backend }));
    const { status, headers, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
    assert.equal(status, 200);
    assert.equal(headers['wechatpay-serial'], sb.pubkey.id);
    assert.equal(data.openid, 'obLatjhnqgy2syxrXVM3MJ5TmTsM');
  });

  test(`WeChat Pay public-key mode with a PKCS#1 public PEM (${backend})`, async () => {
    const { sb } = ctx;
    sb.answerKey = 'pubkey';
    const wxpay = new Wxpay(options(sb, { certs: { [sb.pubkey.id]: sb.pubkey.publicKeyPkcs1 }, crypto: backend }));
    await assertSeedGetWorks(sb, wxpay);
  });

  test(`both configured at once: platform and public-key answers both verify (${backend})`, async () => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb, { certs: sb.certs, crypto: backend }));
    assert.deepEqual(Object.keys(sb.certs), [sb.platform.serial, sb.pubkey.id]);
    for (const answerKey of ['platform', 'pubkey', 'platform']) {
      sb.answerKey = answerKey;
      const { headers } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
      assert.equal(headers['wechatpay-serial'], answerKey === 'pubkey' ? sb.pubkey.id : sb.platform.serial);
    }
    assert.equal(sb.requests.length, 3);
  });

  test(`a key that is not configured is ERR_RESPONSE_SERIAL, either way round (${backend})`, async () => {
    const { sb } = ctx;
    sb.answerKey = 'pubkey';
    const platformOnly = new Wxpay(options(sb, { crypto: backend }));
    let err = await rejectsWith(memberCode(platformOnly).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_SERIAL');
    assert.equal(err.requestId, sb.requests.at(-1).requestId);

    sb.answerKey = 'platform';
    const pubkeyOnly = new Wxpay(options(sb, { certs: { [sb.pubkey.id]: sb.pubkey.publicKeySpki }, crypto: backend }));
    err = await rejectsWith(memberCode(pubkeyOnly).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_SERIAL');
    assert.equal(err.requestId, sb.requests.at(-1).requestId);
  });
}

test('a lower-case hex serial in certs matches the upper-case Wechatpay-Serial', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb, { certs: { [sb.platform.serial.toLowerCase()]: sb.platform.certificate } }));
  await assertSeedGetWorks(sb, wxpay);
});

// RSA keys this package does not take (tests/fixtures: a 4608-bit key and certificate, a
// three-prime 2048-bit key) are refused with ERR_INVALID_KEY and a message that says why,
// in every encoding: before, "is not an RSA private key", which they are.
const fixture = (name) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

function assertRefused(make, cause, pems) {
  let thrown;
  assert.throws(make, (err) => { thrown = err; return true; });
  assertWxpayError(thrown, 'ERR_INVALID_KEY');
  assert.ok(thrown.message.includes(cause), `names the cause (${cause}): ${thrown.message}`);
  assertNoKeyMaterial(thrown.message, keyMaterial(...pems));
}

/** A private key as PKCS#8 and PKCS#1, each as a PEM string and as DER bytes. */
function privateEncodings(pem) {
  const key = crypto.createPrivateKey(pem);
  return {
    'PKCS#8 PEM': key.export({ type: 'pkcs8', format: 'pem' }),
    'PKCS#1 PEM': key.export({ type: 'pkcs1', format: 'pem' }),
    'PKCS#8 DER': key.export({ type: 'pkcs8', format: 'der' }),
    'PKCS#1 DER': key.export({ type: 'pkcs1', format: 'der' }),
  };
}

const refusedKeys = {
  '4608-bit': ['key_4608.pkcs8.pem', 'options.privateKey is an RSA key of unsupported size; keys of 512 to 4096 bits are supported'],
  'three-prime': ['key_3prime.pkcs8.pem', 'options.privateKey is a multi-prime RSA key; only two-prime keys are supported'],
};

for (const [kind, [file, cause]] of Object.entries(refusedKeys)) {
  for (const [name, privateKey] of Object.entries(privateEncodings(fixture(file)))) {
    test(`a ${kind} merchant key, ${name}, is ERR_INVALID_KEY naming why`, () => {
      const { sb } = ctx;
      assertRefused(() => new Wxpay(options(sb, { privateKey })), cause, [fixture(file)]);
    });
  }
}

test('a platform certificate or public key over 4096 bits is ERR_INVALID_KEY naming the size limit', () => {
  const { sb } = ctx;
  const cert = fixture('cert_4608.pem');
  const publicKey = crypto.createPublicKey(fixture('key_4608.pkcs8.pem'));
  // An 8192-bit public key: any odd modulus with its top bit set has that size.
  const n = crypto.randomBytes(1024);
  n[0] |= 0x80;
  n[1023] |= 1;
  const big = crypto.createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' }, format: 'jwk' });
  const inputs = {
    'X.509 certificate PEM': cert,
    'SPKI PEM': publicKey.export({ type: 'spki', format: 'pem' }),
    'PKCS#1 public PEM': publicKey.export({ type: 'pkcs1', format: 'pem' }),
    '8192-bit SPKI PEM': big.export({ type: 'spki', format: 'pem' }),
  };
  const cause = `options.certs["${sb.platform.serial}"] is an RSA key of unsupported size; keys of 512 to 4096 bits are supported`;
  for (const [name, pem] of Object.entries(inputs)) {
    try {
      assertRefused(() => new Wxpay(options(sb, { certs: { [sb.platform.serial]: pem } })), cause, [pem]);
    } catch (e) {
      e.message = `${name}: ${e.message}`;
      throw e;
    }
  }
});

// The lower bound (README, SECURITY: keys of 512 to 4096 bits): OpenSSL makes no key under 512
// bits, so each key here is put together from two primes, its modulus exactly `bits` long.
const MIN_BITS = 512;
const b64u = (v) => Buffer.from(v.toString(16).padStart(Math.ceil(v.toString(16).length / 2) * 2, '0'), 'hex').toString('base64url');
function modPow(b, e, m) {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
function modInverse(a, m) {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  assert.equal(r0, 1n, 'invertible');
  return ((s0 % m) + m) % m;
}
function rsaKeyOfBits(bits) {
  const e = 65537n;
  for (;;) {
    const p = crypto.generatePrimeSync(Math.ceil(bits / 2), { bigint: true });
    const q = crypto.generatePrimeSync(Math.floor(bits / 2), { bigint: true });
    const n = p * q;
    if (p === q || n.toString(2).length !== bits || (p - 1n) % e === 0n || (q - 1n) % e === 0n) continue;
    const d = modInverse(e, (p - 1n) * (q - 1n));
    assert.equal(modPow(modPow(2n, e, n), d, n), 2n);
    const jwk = { kty: 'RSA', n: b64u(n), e: b64u(e), d: b64u(d), p: b64u(p), q: b64u(q), dp: b64u(d % (p - 1n)), dq: b64u(d % (q - 1n)), qi: b64u(modInverse(q, p)) };
    const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
    assert.equal(key.asymmetricKeyDetails.modulusLength, bits);
    return key;
  }
}

test(`RSA keys of ${MIN_BITS} bits are taken (merchant key and platform key, every backend); ${MIN_BITS - 1} bits is ERR_INVALID_KEY naming the size limit`, async () => {
  const { sb } = ctx;
  const limit = 'is an RSA key of unsupported size; keys of 512 to 4096 bits are supported';
  const at = rsaKeyOfBits(MIN_BITS);
  const below = rsaKeyOfBits(MIN_BITS - 1);
  const pkcs8 = (k) => k.export({ type: 'pkcs8', format: 'pem' });
  const spki = (k) => crypto.createPublicKey(k).export({ type: 'spki', format: 'pem' });
  for (const backend of BACKENDS) {
    // At the bound: the merchant key signs (node:crypto verifies it), the platform key verifies.
    const merchant = new Wxpay(options(sb, { privateKey: pkcs8(at), crypto: backend }));
    const signature = await merchant.sign('at the bound');
    assert.ok(crypto.verify('sha256', Buffer.from('at the bound'), crypto.createPublicKey(at), Buffer.from(signature, 'base64')), `${backend}: the ${MIN_BITS}-bit signature verifies`);
    const platform = new Wxpay(options(sb, { certs: { [sb.platform.serial]: spki(at) }, crypto: backend }));
    const signed = crypto.sign('sha256', Buffer.from('signed by it'), at).toString('base64');
    assert.equal(await platform.verify('signed by it', signed, sb.platform.serial), true, `${backend}: verified by the ${MIN_BITS}-bit key`);
    // One bit below, in every encoding: refused at once, naming the limit.
    for (const [name, privateKey] of Object.entries(privateEncodings(pkcs8(below)))) {
      try {
        assertRefused(() => new Wxpay(options(sb, { privateKey, crypto: backend })), `options.privateKey ${limit}`, [pkcs8(below)]);
      } catch (e) {
        e.message = `${backend}, ${name}: ${e.message}`;
        throw e;
      }
    }
    assertRefused(() => new Wxpay(options(sb, { certs: { [sb.platform.serial]: spki(below) }, crypto: backend })), `options.certs["${sb.platform.serial}"] ${limit}`, [spki(below)]);
  }
});
