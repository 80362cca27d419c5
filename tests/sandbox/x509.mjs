// A minimal DER writer, just enough to build a self-signed X.509 v3 certificate for an RSA
// public key. Node can parse certificates (crypto.X509Certificate) but cannot make them, and
// the sandbox must not depend on openssl or npm packages.
import crypto from 'node:crypto';

// Tag-length-value with definite length (short form below 128, long form above).
function tlv(tag, content) {
  const n = content.length;
  let len;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

const seq = (...items) => tlv(0x30, Buffer.concat(items));
const set = (...items) => tlv(0x31, Buffer.concat(items));
const explicit = (n, inner) => tlv(0xa0 | n, inner); // [n] EXPLICIT, constructed
const nul = () => Buffer.from([0x05, 0x00]);
const bool = (b) => tlv(0x01, Buffer.from([b ? 0xff : 0x00]));
const octets = (buf) => tlv(0x04, buf);
const bits = (buf, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), buf]));
const utf8 = (s) => tlv(0x0c, Buffer.from(s, 'utf8'));
const printable = (s) => tlv(0x13, Buffer.from(s, 'ascii'));

// INTEGER from unsigned big-endian bytes: strip redundant leading zeros, and prepend 0x00
// when the top bit is set so the value stays positive.
function integer(value) {
  let buf = typeof value === 'number' ? Buffer.from([value]) : Buffer.from(value);
  while (buf.length > 1 && buf[0] === 0 && !(buf[1] & 0x80)) buf = buf.subarray(1);
  if (buf[0] & 0x80) buf = Buffer.concat([Buffer.from([0]), buf]);
  return tlv(0x02, buf);
}

function oid(dotted) {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v & 0x7f));
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

// RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on.
function time(date) {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') + 'Z';
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(digits, 'ascii'));
}

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14', keyUsage: '2.5.29.15', basicConstraints: '2.5.29.19',
};

// Name: one RDN per attribute, in the order given; C must be PrintableString.
function name(attrs) {
  return seq(...Object.entries(attrs).map(([k, v]) =>
    set(seq(oid(OID[k]), k === 'C' ? printable(v) : utf8(v)))));
}

function extension(id, critical, valueDer) {
  return seq(oid(OID[id]), ...(critical ? [bool(true)] : []), octets(valueDer));
}

export function toPem(label, der) {
  const b64 = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/**
 * Build a self-signed certificate.
 * @param {object} o
 * @param {string} o.serial  hex serial (the caller makes it positive and 20 bytes)
 * @param {crypto.KeyObject} o.publicKey
 * @param {crypto.KeyObject} o.privateKey  signs the certificate (same pair: self-signed)
 * @param {object} [o.subject]  attribute map, e.g. { C: 'CN', O: '...', CN: '...' }
 * @param {Date} [o.notBefore]  start of validity (default: a day ago); it ends `days` + 1 days later
 * @returns {string} PEM "CERTIFICATE"
 */
export function selfSignedCertificate({ serial, publicKey, privateKey, subject, days = 5 * 365, notBefore }) {
  subject ??= { C: 'CN', ST: 'Guangdong', L: 'Shenzhen', O: 'WeChat Pay Sandbox', OU: 'Tenpay.com CA Center (sandbox)', CN: 'Tenpay.com sign (sandbox)' };
  const algorithm = seq(oid(OID.sha256WithRSAEncryption), nul());
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const start = notBefore?.getTime() ?? Date.now() - 86400e3;
  const validity = seq(time(new Date(start)), time(new Date(start + (days + 1) * 86400e3)));
  // SKI per RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING contents,
  // which for RSA is exactly the PKCS#1 RSAPublicKey DER.
  const ski = crypto.createHash('sha1').update(publicKey.export({ type: 'pkcs1', format: 'der' })).digest();
  const extensions = explicit(3, seq(
    extension('basicConstraints', true, seq()), // cA defaults to FALSE
    // digitalSignature | nonRepudiation | keyEncipherment: verify answers, encrypt fields
    extension('keyUsage', true, bits(Buffer.from([0xe0]), 5)),
    extension('subjectKeyIdentifier', false, octets(ski)),
  ));
  const tbs = seq(
    explicit(0, integer(2)), // v3
    integer(Buffer.from(serial, 'hex')),
    algorithm,
    name(subject), // issuer = subject: self-signed
    validity,
    name(subject),
    spki,
    extensions,
  );
  const signature = crypto.sign('sha256', tbs, privateKey); // RSA default padding: PKCS#1 v1.5
  return toPem('CERTIFICATE', seq(tbs, algorithm, bits(signature)));
}
