// Keys of every shape the RSA tests need, made fresh by Node's crypto: shared by
// tests/rsa/oracle.mjs (the native tests' reference) and tests/node/rsa.test.mjs (the wasm).
import crypto from 'node:crypto';

export const hex = (b) => Buffer.from(b).toString('hex');
const b64u = (n) => {
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  return Buffer.from(h, 'hex').toString('base64url');
};
export const big = (b64) => BigInt('0x' + (Buffer.from(b64, 'base64url').toString('hex') || '0'));

export function modInverse(a, m) {
  let [r0, r1, s0, s1] = [((a % m) + m) % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % m) + m) % m;
}

// A private KeyObject from primes p, q (in this order: qi = q^-1 mod p).
export function fromPrimes(p, q, e = 65537n) {
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const jwk = {
    kty: 'RSA', n: b64u(n), e: b64u(e), d: b64u(d), p: b64u(p), q: b64u(q),
    dp: b64u(d % (p - 1n)), dq: b64u(d % (q - 1n)), qi: b64u(modInverse(q, p)),
  };
  return crypto.createPrivateKey({ key: jwk, format: 'jwk' });
}

function primes(key) {
  const j = key.export({ format: 'jwk' });
  return { p: big(j.p), q: big(j.q) };
}

const gcdOk = (p) => (p - 1n) % 65537n !== 0n;

// A key whose qInv is tiny: q = s^-1 mod p for the first small s that makes q a prime of
// the same size as p.
export function smallQinvKey() {
  for (;;) {
    const p = crypto.generatePrimeSync(1024, { bigint: true });
    if (!gcdOk(p)) continue;
    for (let s = 2n; s < 20000n; s++) {
      const q = modInverse(s, p);
      if (q >> 1023n !== 1n || !gcdOk(q)) continue;
      if (crypto.checkPrimeSync(q, { checks: 32 })) return { key: fromPrimes(p, q), label: `small-qinv-${s}` };
    }
  }
}

export function keys(count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    const { p, q } = primes(privateKey);
    // OpenSSL makes p > q; every other key swaps them so both orders are covered.
    if (i % 2 === 1) out.push({ key: fromPrimes(q, p), label: p > q ? 'p<q' : 'p>q' });
    else out.push({ key: privateKey, label: p > q ? 'p>q' : 'p<q' });
  }
  out.push(smallQinvKey());
  // Other sizes go through the general path.
  for (const bits of [1024, 3072, 2047]) {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
    out.push({ key: privateKey, label: `rsa-${bits}` });
  }
  const { privateKey: e3 } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
  out.push({ key: e3, label: 'e=3' });
  return out;
}


/** A 2048-bit key whose primes differ in size (1100 and 948 bits): different limb counts. */
export function unevenKey() {
  for (;;) {
    const p = crypto.generatePrimeSync(1100, { bigint: true });
    const q = crypto.generatePrimeSync(948, { bigint: true });
    if (gcdOk(p) && gcdOk(q) && (p * q) >> 2047n === 1n) return { key: fromPrimes(p, q), label: 'uneven-primes' };
  }
}
