// The reference side of tests/rsa/main.rs: Node's crypto (OpenSSL) makes fresh keys,
// signatures, raw RSA results and OAEP ciphertexts, and decrypts ours. One line per record,
// fields in hex, so the Rust side needs no JSON parser.
//
//   node oracle.mjs cases KEYS MESSAGES   -> KEY/SIG/RAW/OAEP lines (see below)
//   node oracle.mjs decrypt < lines       -> for each "pkcs8hex cthex" line, the plaintext hex
//   node oracle.mjs sweep FROM TO         -> "SWEEP bits pbits qbits pkcs1 spki" for every
//                                            modulus size FROM..=TO (see sweepKeys)
//   node oracle.mjs random                -> "RANDOM label pkcs1 spki": random keys of
//                                            2048/3072/4096 bits, balanced and uneven
import crypto from 'node:crypto';
import readline from 'node:readline';
import { selfSignedCertificate } from '../sandbox/x509.mjs';
import { big, fromPrimes, hex, keys, unevenKey } from './keys.mjs';

function cases(keyCount, messages) {
  const lines = [];
  for (const { key, label } of [...keys(keyCount), unevenKey()]) {
    const pub = crypto.createPublicKey(key);
    const serial = crypto.randomBytes(16);
    serial[0] &= 0x7f;
    const pkcs1 = key.export({ type: 'pkcs1', format: 'der' });
    const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
    const spki = pub.export({ type: 'spki', format: 'der' });
    const pkcs1pub = pub.export({ type: 'pkcs1', format: 'der' });
    const cert = selfSignedCertificate({ serial: hex(serial), publicKey: pub, privateKey: key });
    const certDer = new crypto.X509Certificate(cert).raw;
    // KEY label pkcs8 pkcs1 spki pkcs1pub cert
    lines.push(['KEY', label, hex(pkcs8), hex(pkcs1), hex(spki), hex(pkcs1pub), hex(certDer)].join(' '));
    const k = pub.asymmetricKeyDetails.modulusLength;
    const perKey = k === 2048 && label !== 'e=3' ? messages : Math.max(20, messages >> 4);
    for (let i = 0; i < perKey; i++) {
      const msg = crypto.randomBytes(crypto.randomInt(0, 300));
      lines.push(`SIG ${hex(msg) || '-'} ${hex(crypto.sign('sha256', msg, key))}`);
    }
    // Raw c^d mod n for inputs at the edges: 0, 1, 2, n-1, n-2, n-2^64, random.
    const n = big(key.export({ format: 'jwk' }).n);
    const size = Math.ceil(k / 8);
    const raw = [0n, 1n, 2n, n - 1n, n - 2n, n - (1n << 64n), n >> 1n, BigInt('0x' + hex(crypto.randomBytes(size - 1)))];
    for (const c of raw) {
      const cb = Buffer.from(c.toString(16).padStart(2 * size, '0'), 'hex');
      const m = crypto.privateDecrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, cb);
      lines.push(`RAW ${hex(cb)} ${hex(m)}`);
    }
    for (const len of [0, 1, 16, size - 42]) {
      const pt = crypto.randomBytes(len);
      const ct = crypto.publicEncrypt({ key: pub, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, pt);
      lines.push(`OAEP ${hex(pt) || '-'} ${hex(ct)}`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

async function decrypt() {
  const out = [];
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const [pkcs8, ct] = line.split(' ');
    const key = crypto.createPrivateKey({ key: Buffer.from(pkcs8, 'hex'), format: 'der', type: 'pkcs8' });
    try {
      const pt = crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ct, 'hex'));
      out.push(hex(pt) || '-');
    } catch (e) {
      out.push('ERROR');
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

const generatePrime = (bits) => new Promise((resolve, reject) =>
  crypto.generatePrime(bits, { bigint: true }, (err, p) => (err ? reject(err) : resolve(p))));
const gcdOk = (p) => (p - 1n) % 65537n !== 0n;
async function prime(bits) {
  for (;;) {
    const p = await generatePrime(bits);
    // OpenSSL sets the top two bits, so a product of a- and b-bit primes has a + b bits.
    if (gcdOk(p) && p >> BigInt(bits - 2) === 3n) return p;
  }
}

const keyLine = (key) => {
  const pkcs1 = key.export({ type: 'pkcs1', format: 'der' });
  const spki = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
  return `${hex(pkcs1)} ${hex(spki)}`;
};

// One key of every modulus size FROM..=TO, from a pool of fresh primes reused across keys:
// every prime size in four windows of 28 (512.., 1024.., 1536.., 2048..: every residue
// mod 28 at four scales) and every multiple of 28 from 504 to 2072 (the limb size).
// A key of N bits takes a from the window that best balances it, a = N (mod 28), and the
// multiple of 28 b = N - a: so one of its primes always sits on a limb boundary, the other
// anywhere, and p and q differ by up to ~500 bits (both orders). About 170 primes make the
// 3,073 keys; generatePrime runs on the thread pool, so both cores work.
function sweepPlan(from, to) {
  const plan = [];
  for (let n = from; n <= to; n++) {
    let best;
    for (const c of [512, 1024, 1536, 2048]) {
      const a = c + (((n - c) % 28) + 28) % 28;
      const b = n - a;
      if (b < 504 || b > 2072) continue;
      if (!best || Math.abs(a - b) < Math.abs(best[0] - best[1])) best = [a, b];
    }
    if (!best) throw new Error(`no prime sizes for ${n} bits`);
    plan.push({ n, sizes: n % 2 ? best : [best[1], best[0]] });
  }
  return plan;
}

async function sweep(from, to) {
  const plan = sweepPlan(from, to);
  // A key whose two sizes are equal takes a second prime of that size.
  const names = [...new Set(plan.flatMap(({ sizes: [a, b] }) => [`${a}`, a === b ? `${b}'` : `${b}`]))];
  const pool = new Map(await Promise.all(names.map(async (s) => [s, await prime(parseInt(s, 10))])));
  const lines = [];
  for (const { n, sizes: [a, b] } of plan) {
    const [p, q] = [pool.get(`${a}`), pool.get(a === b ? `${b}'` : `${b}`)];
    if (((p * q) >> BigInt(n - 1)) !== 1n) throw new Error(`${a}+${b} bits did not make ${n}`);
    lines.push(`SWEEP ${n} ${a} ${b} ${keyLine(fromPrimes(p, q))}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

// Random keys for the differential tests against the rsa crate: OpenSSL's own keys of
// 2048, 3072 and 4096 bits, keys of those sizes from primes of unequal sizes, and 3584- and
// 4088-bit keys of equal primes on multiples of 28 bits (1792, 2044), the shape whose key check
// used to fail for about 1 in 8 keys.
async function random() {
  const lines = [];
  const generate = (bits) => new Promise((resolve, reject) => crypto.generateKeyPair('rsa',
    { modulusLength: bits, publicExponent: 65537 }, (err, _pub, key) => (err ? reject(err) : resolve(key))));
  const balanced = [2048, 2048, 3072, 4096].map(async (bits) => `RANDOM rsa-${bits} ${keyLine(await generate(bits))}`);
  const uneven = [[1100, 948], [900, 1148], [1400, 1672], [1792, 1280], [2100, 1996], [1900, 2196], [1792, 1792], [1792, 1792], [2044, 2044], [2044, 2044]].map(async ([a, b]) => {
    const [p, q] = await Promise.all([prime(a), prime(b)]);
    if (p === q) throw new Error('the same prime twice');
    return `RANDOM primes-${a}+${b} ${keyLine(fromPrimes(p, q))}`;
  });
  lines.push(...await Promise.all([...balanced, ...uneven]));
  process.stdout.write(lines.join('\n') + '\n');
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'cases') cases(Number(a), Number(b));
else if (mode === 'decrypt') await decrypt();
else if (mode === 'sweep') await sweep(Number(a), Number(b));
else if (mode === 'random') await random();
else throw new Error(`unknown mode ${mode}`);
