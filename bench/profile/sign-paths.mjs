// Two ways node:crypto can make (and check) a request's RSASSA-PKCS1-v1_5 SHA-256 signature, timed
// call by call, interleaved: `crypto.sign` (the floor's and the package's way), and the RSA step
// alone, `crypto.privateEncrypt` with RSA_PKCS1_PADDING over the DigestInfo (SHA-256 by
// `createHash`, as Rust's sha2 would make it); likewise `crypto.verify` against `publicDecrypt`
// and a compare. Both give the same bytes (checked first). Whether OpenSSL's per-call set-up for a
// digest signature is a cost worth moving out of it: medians and first quartiles, µs a call.
//   node bench/profile/sign-paths.mjs [calls=6000]
import crypto from 'node:crypto';
import { median, quantile } from '../stats.mjs';

const n = Number(process.argv[2] ?? 6000);
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
// The seed GET's message (an example timestamp and nonce).
const message = Buffer.from('GET\n/v3/marketing/membercard-open/cards/pY7xGs0sMdNN9PVCvtJNl-6DJdIY/codes/300000001\n1700000000\n0123456789abcdef0123456789abcdef\n\n');
// DER of DigestInfo { sha256, NULL } up to the digest (RFC 8017, section 9.2, note 1).
const SHA256_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const digestInfo = () => Buffer.concat([SHA256_PREFIX, crypto.createHash('sha256').update(message).digest()]);
const PAD = crypto.constants.RSA_PKCS1_PADDING;
const signature = crypto.sign('sha256', message, privateKey);

const ways = {
  'crypto.sign': () => crypto.sign('sha256', message, privateKey),
  'privateEncrypt(DigestInfo)': () => crypto.privateEncrypt({ key: privateKey, padding: PAD }, digestInfo()),
  'crypto.verify': () => crypto.verify('sha256', message, publicKey, signature),
  'publicDecrypt + compare': () => crypto.publicDecrypt({ key: publicKey, padding: PAD }, signature).equals(digestInfo()),
};
if (!ways['privateEncrypt(DigestInfo)']().equals(signature) || ways['publicDecrypt + compare']() !== true || ways['crypto.verify']() !== true) {
  throw new Error('the two ways disagree');
}
const times = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
for (let i = 0; i < n; i++) {
  for (const [k, f] of Object.entries(ways)) {
    const t0 = process.hrtime.bigint();
    f();
    times[k].push(Number(process.hrtime.bigint() - t0) / 1000);
  }
}
const warm = Math.floor(n / 6);
console.log(`${n} calls each, interleaved, the first ${warm} left out: µs a call`);
for (const [k, v] of Object.entries(times)) {
  const s = v.slice(warm);
  console.log(`${k.padEnd(28)} median ${median(s).toFixed(1).padStart(6)}  first quartile ${quantile(s, 0.25).toFixed(1).padStart(6)}`);
}
