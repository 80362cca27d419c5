// The reference side of tests/rsa/main.rs: Node's crypto (OpenSSL) makes fresh keys,
// signatures, raw RSA results and OAEP ciphertexts, and decrypts ours. One line per record,
// fields in hex, so the Rust side needs no JSON parser.
//
//   node oracle.mjs cases KEYS MESSAGES   -> KEY/SIG/RAW/OAEP lines (see below)
//   node oracle.mjs decrypt < lines       -> for each "pkcs8hex cthex" line, the plaintext hex
import crypto from 'node:crypto';
import readline from 'node:readline';
import { selfSignedCertificate } from '../sandbox/x509.mjs';
import { big, hex, keys, unevenKey } from './keys.mjs';

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

const [mode, a, b] = process.argv.slice(2);
if (mode === 'cases') cases(Number(a), Number(b));
else if (mode === 'decrypt') await decrypt();
else throw new Error(`unknown mode ${mode}`);
