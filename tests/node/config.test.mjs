// Bad options: every one throws synchronously a WxpayError (ERR_INVALID_CONFIG or
// ERR_INVALID_KEY) whose message names the option and holds no key material; and the same
// module keeps working afterwards.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Wxpay } from 'wxpay-wasm';
import { selfSignedCertificate } from '../sandbox/x509.mjs';
import { startSandbox, generateKeys } from '../sandbox/index.mjs';
import { useSandbox, options, memberCode, assertWxpayError, keyMaterial, assertNoKeyMaterial, signedResponse, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();

/** Everything secret-looking the sandbox and these tests hold. */
function secrets(sb, ...more) {
  return keyMaterial(
    sb.merchant.privateKeyPkcs8, sb.merchant.privateKeyPkcs1, sb.merchant.publicKeySpki,
    sb.platform.certificate, sb.platform.privateKeyPkcs8, sb.platform.publicKeySpki, sb.platform.publicKeyPkcs1,
    sb.pubkey.publicKeySpki, sb.pubkey.publicKeyPkcs1, ...more,
  );
}

function assertThrowsConfig(make, code, names, secretLines) {
  let thrown;
  assert.throws(make, (err) => { thrown = err; return true; }, 'throws synchronously');
  assertWxpayError(thrown, code);
  assert.ok(thrown.message.includes(names), `message names ${names}: ${thrown.message}`);
  assertNoKeyMaterial(thrown.message, secretLines);
  assertNoKeyMaterial(String(thrown.stack), secretLines);
}

/** A real signed and verified call through the same module, after the errors. */
async function assertStillWorks(sb) {
  const wxpay = new Wxpay(options(sb));
  const { status, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
  assert.equal(status, 200);
  assert.equal(data.openid, 'obLatjhnqgy2syxrXVM3MJ5TmTsM');
  assert.equal(sb.requests.at(-1).verified, true);
}

function runCases(title, cases, extraSecrets = () => []) {
  test(title, async () => {
    const { sb } = ctx;
    const lines = secrets(sb, ...extraSecrets(sb));
    for (const [label, patch, code, names] of cases(sb)) {
      try {
        assertThrowsConfig(() => new Wxpay(typeof patch === 'function' ? patch(options(sb), sb) : { ...options(sb), ...patch }), code, names, lines);
      } catch (e) {
        e.message = `${label}: ${e.message}`;
        throw e;
      }
      // the constructor still works right after
      assert.ok(new Wxpay(options(sb)));
    }
    await assertStillWorks(sb);
  });
}

const CONFIG = 'ERR_INVALID_CONFIG';
const KEY = 'ERR_INVALID_KEY';

runCases('options that are not an object', () => [
  ['undefined', () => undefined, CONFIG, 'options'],
  ['null', () => null, CONFIG, 'options'],
  ['a string', () => 'mchid=1900000109', CONFIG, 'options'],
  ['a number', () => 42, CONFIG, 'options'],
]);

runCases('mchid: missing, wrong type, unparsable', () => [
  ['missing', (o) => { delete o.mchid; return o; }, CONFIG, 'options.mchid'],
  ['undefined', { mchid: undefined }, CONFIG, 'options.mchid'],
  ['number', { mchid: 1900000109 }, CONFIG, 'options.mchid'],
  ['null', { mchid: null }, CONFIG, 'options.mchid'],
  ['empty', { mchid: '' }, CONFIG, 'options.mchid'],
  ['blank', { mchid: '   ' }, CONFIG, 'options.mchid'],
  ['a quote', { mchid: '19"00' }, CONFIG, 'options.mchid'],
  ['a comma', { mchid: '1900,0109' }, CONFIG, 'options.mchid'],
  ['too long', { mchid: '1'.repeat(65) }, CONFIG, 'options.mchid'],
  ['a getter that throws', (o) => { delete o.mchid; Object.defineProperty(o, 'mchid', { get() { throw new Error('nope'); } }); return o; }, CONFIG, 'options.mchid'],
  // A merchant id is digits. The APIv3 key in its variable (32 letters and digits) would go out
  // in every Authorization header: refused, and not quoted.
  ['an APIv3 key', (o, sb) => ({ ...o, mchid: sb.apiv3Key }), CONFIG, 'options.mchid must be digits, at most 32: the merchant id'],
  ['a letter O for a zero', { mchid: '19000001O9' }, CONFIG, 'options.mchid must be digits'],
  ['33 digits', { mchid: '1'.repeat(33) }, CONFIG, 'options.mchid must be digits, at most 32'],
], (sb) => [sb.apiv3Key]);

test('options.mchid of 32 digits is taken and sent as given; 33 digits is ERR_INVALID_CONFIG (README: more than 32 digits)', async () => {
  const { sb } = ctx;
  const longest = '1'.repeat(32);
  const sent = [];
  const fetch = async (url, init) => {
    sent.push(new Headers(init.headers).get('authorization'));
    return signedResponse(sb, '{}');
  };
  // Whitespace at either end is left out, so it does not count toward the 32.
  for (const given of [longest, `${longest}\n`, ` ${longest} `]) {
    const wxpay = new Wxpay(options(sb, { mchid: given, fetch }));
    assert.equal((await wxpay.v3.sandbox.echo.get()).status, 200, JSON.stringify(given));
    assert.match(sent.at(-1), new RegExp(`^WECHATPAY2-SHA256-RSA2048 mchid="${longest}",`), JSON.stringify(given));
  }
  for (const given of ['1'.repeat(33), `${longest}0`, `0${longest}`]) {
    assertThrowsConfig(() => new Wxpay(options(sb, { mchid: given, fetch })), CONFIG, 'options.mchid must be digits, at most 32', secrets(sb));
  }
  assert.equal(sent.length, 3, 'nothing sent for a refused mchid');
});

runCases('serial: missing, wrong type, unparsable', () => [
  ['missing', (o) => { delete o.serial; return o; }, CONFIG, 'options.serial'],
  ['number', { serial: 1234 }, CONFIG, 'options.serial'],
  ['object', { serial: {} }, CONFIG, 'options.serial'],
  ['empty', { serial: '' }, CONFIG, 'options.serial'],
  ['a space', { serial: 'ABC DEF' }, CONFIG, 'options.serial'],
  ['a quote', { serial: 'ABC"DEF' }, CONFIG, 'options.serial'],
  // An APIv3 key in the serial's variable would go out in every Authorization header.
  ['not hex (an APIv3 key)', { serial: 'm1nRnhmjDeI6bpECoUZN13X8xbWzNfvH' }, CONFIG, 'options.serial must be hex, the serial number of the merchant API certificate (openssl x509 -noout -serial -in apiclient_cert.pem)'],
  ['a placeholder', { serial: 'YOUR_MERCHANT_CERTIFICATE_SERIAL' }, CONFIG, 'options.serial must be hex'],
  // One message for every serial that is not hex, however it is not.
  ['a space, said so', { serial: 'ABC DEF' }, CONFIG, 'options.serial must be hex, the serial number of the merchant API certificate'],
  ['a quote, said so', { serial: 'ABC"DEF' }, CONFIG, 'options.serial must be hex, the serial number of the merchant API certificate'],
  ['openssl -serial, mistyped', { serial: 'serial: 0A50' }, CONFIG, 'options.serial must be hex'],
  // An X.509 serial is at most 20 bytes (40 hex digits): 47 digits are its decimal form.
  ['decimal', { serial: '57420134766396012381327513416419584547302640427' }, CONFIG, 'options.serial has more than 40 digits (a serial in decimal?): give it in hex'],
]);

test('serial as OpenSSL prints it: `serial=...` (-serial) and byte pairs (-text) are the serial, signed and verified', async () => {
  const { sb } = ctx;
  const pairs = sb.merchant.serial.toLowerCase().match(/../g).join(':');
  for (const given of [`serial=${sb.merchant.serial}\n`, pairs]) {
    const wxpay = new Wxpay(options(sb, { serial: given }));
    const { status } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
    assert.equal(status, 200, given);
    assert.equal(sb.requests.at(-1).verified, true, given);
    assert.match(sb.requests.at(-1).headers.authorization, new RegExp(`serial_no="${sb.merchant.serial}"`), given);
  }
});

test("a serial after its DER sign byte (`openssl x509 -text`'s 00:8c:..., wechatpay-node-v3's getSN) is the serial without it", async (t) => {
  const { sb } = ctx;
  // A merchant serial whose first byte is 0x80 or more: the one its DER encoding pads with 00.
  const serial = `8C${sb.merchant.serial.slice(2)}`;
  const high = await startSandbox({ keys: { mchid: sb.mchid, merchant: { ...sb.merchant, serial }, platform: sb.platform, pubkey: sb.pubkey, apiv3Key: sb.apiv3Key } });
  t.after(() => high.close());
  const lower = serial.toLowerCase();
  for (const given of [`00${lower}`, `00${serial}`, `00:${lower.match(/../g).join(':')}`, `serial=00${serial}`, ` 00${lower}\n`, serial]) {
    const wxpay = new Wxpay(options(high, { serial: given }));
    const { status } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
    assert.equal(status, 200, given);
    assert.equal(high.requests.at(-1).verified, true, given);
    assert.match(high.requests.at(-1).headers.authorization, new RegExp(`serial_no="${serial}"`), given);
  }
  // A 00 before a byte under 0x80 is no sign byte: it stays, and is checked as it was.
  const low = `0A${sb.merchant.serial.slice(2)}`;
  assertThrowsConfig(() => new Wxpay(options(sb, { serial: `000${low}` })), CONFIG, 'options.serial has more than 40 digits', secrets(sb));
  const zero = new Wxpay(options(sb, { serial: '00' }));
  await memberCode(zero).get({ card_id: CARD_ID, code: CODE }).then(() => assert.fail('a serial of 00 was taken'), (e) => assert.equal(e.status, 401));
  assert.match(sb.requests.at(-1).headers.authorization, /serial_no="00"/);
});

test("a certificate in certs under options.serial (the merchant's own, or the platform serial given as options.serial) is ERR_INVALID_CONFIG", async () => {
  const { sb } = ctx;
  const pair = { privateKey: crypto.createPrivateKey(sb.merchant.privateKeyPkcs8), publicKey: crypto.createPublicKey(sb.merchant.publicKeySpki) };
  const own = selfSignedCertificate({ serial: sb.merchant.serial, ...pair });
  const lines = secrets(sb, own);
  const message = `options.certs["${sb.merchant.serial}"] is a certificate under the serial given as options.serial: certs takes the WeChat Pay platform certificates or public key, which sign the answers, and options.serial the merchant API certificate's serial (apiclient_cert.pem)`;
  for (const certs of [
    { [sb.merchant.serial]: own },
    { [sb.platform.serial]: sb.platform.certificate, [sb.merchant.serial.toLowerCase()]: own },
    new Map([[sb.merchant.serial, own]]),
  ]) {
    assertThrowsConfig(() => new Wxpay(options(sb, { certs })), CONFIG, message, lines);
  }
  // Also when certs adds to downloaded certificates.
  assertThrowsConfig(() => new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, certs: { [sb.merchant.serial]: own } })), CONFIG, message, lines);
  // The other mix-up: the platform's serial given as options.serial. The message names the serial
  // given, not a fault of the certificate.
  assertThrowsConfig(() => new Wxpay(options(sb, { serial: sb.platform.serial })), CONFIG,
    `options.certs["${sb.platform.serial}"] is a certificate under the serial given as options.serial`, lines);
  await assertStillWorks(sb);
});

/** A PKCS#12 bundle of a merchant key, as WeChat Pay's apiclient_cert.p12 (tests/fixtures/README.md). */
const P12 = readFileSync(new URL('../fixtures/merchant_cert.p12', import.meta.url));
assert.deepEqual([...P12.subarray(0, 2), ...P12.subarray(4, 7)], [0x30, 0x82, 0x02, 0x01, 0x03]);

/** A WebCrypto key, which has no bytes until exported. */
const cryptoKey = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign'])).privateKey;
const lockedKey = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, false, ['sign'])).privateKey;
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = crypto.generateKeyPairSync('ed25519');
const ecPem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' });
const edPem = ed.privateKey.export({ type: 'pkcs8', format: 'pem' });

const PATH = "options.privateKey reads like a file's path, not the key: give the file's text (readFileSync(path, 'utf8'))";

runCases('privateKey: missing, wrong type, garbage PEM, the wrong kind of key', (sb) => {
  const pkcs8 = sb.merchant.privateKeyPkcs8;
  const lines = pkcs8.split('\n');
  const truncated = [...lines.slice(0, 6), lines.at(-2)].join('\n'); // BEGIN, five body lines, END
  const encrypted = crypto.createPrivateKey(pkcs8).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' });
  const der = crypto.createPrivateKey(pkcs8).export({ type: 'pkcs8', format: 'der' });
  return [
    ['missing', (o) => { delete o.privateKey; return o; }, CONFIG, 'options.privateKey'],
    ['number', { privateKey: 42 }, CONFIG, 'options.privateKey'],
    ['null', { privateKey: null }, CONFIG, 'options.privateKey'],
    ['object', { privateKey: { pem: pkcs8 } }, CONFIG, 'options.privateKey'],
    ['empty string', { privateKey: '' }, KEY, 'options.privateKey'],
    ['not a key', { privateKey: 'not a key' }, KEY, 'options.privateKey'],
    ['truncated PEM of the real key', { privateKey: truncated }, KEY, 'options.privateKey'],
    ['PEM with a corrupted body', { privateKey: pkcs8.replace(/\n(.)/, '\n!$1') }, KEY, 'options.privateKey'],
    ['DER with a byte flipped', { privateKey: Buffer.from(der).fill(0x55, 40, 60) }, KEY, 'options.privateKey'],
    ['random bytes', { privateKey: crypto.randomBytes(300) }, KEY, 'options.privateKey'],
    ['a megabyte of base64', { privateKey: 'A'.repeat(1 << 20) }, KEY, 'options.privateKey'],
    ['a certificate', { privateKey: sb.platform.certificate }, KEY, 'options.privateKey'],
    ['an SPKI public key', { privateKey: sb.merchant.publicKeySpki }, KEY, 'options.privateKey'],
    ['a PKCS#1 public key', { privateKey: sb.merchant.publicKeyPkcs1 }, KEY, 'options.privateKey'],
    ['an EC key', { privateKey: ecPem }, KEY, 'options.privateKey'],
    ['an Ed25519 key', { privateKey: edPem }, KEY, 'options.privateKey'],
    ['an encrypted PKCS#8 key', { privateKey: encrypted }, KEY, 'options.privateKey'],
    // Said as what they are: nothing to parse, or the bundle the key is in.
    ['empty string, said so', { privateKey: '' }, KEY, 'options.privateKey is empty: give the PEM of apiclient_key.pem'],
    ['empty bytes', { privateKey: new Uint8Array(0) }, KEY, 'options.privateKey is empty: give the PEM of apiclient_key.pem'],
    ['a line break only', { privateKey: '\r\n' }, KEY, 'options.privateKey is empty'],
    ['apiclient_cert.p12', { privateKey: P12 }, KEY, 'options.privateKey is a PKCS#12 bundle (apiclient_cert.p12), not the key: extract the key with `openssl pkcs12 -in apiclient_cert.p12 -nocerts -nodes`'],
    // A file's name where its text belongs (the path is not shown: what is given as a key never is).
    ['a file name', { privateKey: 'apiclient_key.pem' }, KEY, PATH],
    ['a path', { privateKey: './certs/apiclient_key.pem' }, KEY, PATH],
    // Key objects are named with the call that gives their PEM or bytes.
    ['a KeyObject', { privateKey: crypto.createPrivateKey(sb.merchant.privateKeyPkcs8) }, CONFIG, "options.privateKey is a KeyObject: give its PEM, key.export({ type: 'pkcs8', format: 'pem' })"],
    ['a CryptoKey', { privateKey: cryptoKey }, CONFIG, "options.privateKey is a CryptoKey: give its bytes, await crypto.subtle.exportKey('pkcs8', key)"],
    // Not extractable, it has no bytes to give (exportKey rejects): named as such, not sent to exportKey.
    ['a CryptoKey that is not extractable', { privateKey: lockedKey }, CONFIG, "options.privateKey is a CryptoKey that is not extractable: the client needs the key's own PEM (apiclient_key.pem), as it signs every request itself; a key that never leaves a KMS or HSM cannot be used"],
    ['an object posing as a CryptoKey whose extractable getter throws', { privateKey: { [Symbol.toStringTag]: 'CryptoKey', get extractable() { throw new Error('trap'); } } }, CONFIG, 'reading options.privateKey'],
    ['a Windows path', { privateKey: 'C:\\商户\\apiclient_key.PEM' }, KEY, PATH],
    ['a path read from a file, as bytes, line break kept', { privateKey: Buffer.from('/etc/wx-pay/apiclient_key.pem\n') }, KEY, PATH],
    ['a .key path', { privateKey: '/run/secrets/merchant.key' }, KEY, PATH],
  ];
}, (sb) => [ecPem, edPem]);

runCases('certs: missing, wrong type, empty, bad serial, unparsable PEM, a private key', (sb) => {
  const serial = sb.platform.serial;
  const cert = sb.platform.certificate;
  return [
    ['missing', (o) => { delete o.certs; return o; }, CONFIG, 'options.certs'],
    ['a string', { certs: cert }, CONFIG, 'options.certs'],
    ['null', { certs: null }, CONFIG, 'options.certs'],
    ['a number', { certs: 1 }, CONFIG, 'options.certs'],
    ['empty', { certs: {} }, CONFIG, 'options.certs'],
    ['a number as PEM', { certs: { [serial]: 5 } }, CONFIG, 'options.certs'],
    ['garbage PEM', { certs: { [serial]: 'garbage' } }, KEY, 'options.certs'],
    ['truncated certificate', { certs: { [serial]: cert.split('\n').slice(0, 8).join('\n') + '\n-----END CERTIFICATE-----\n' } }, KEY, 'options.certs'],
    ['a private key', { certs: { [serial]: sb.merchant.privateKeyPkcs8 } }, KEY, 'options.certs'],
    ['a PKCS#1 private key', { certs: { [serial]: sb.merchant.privateKeyPkcs1 } }, KEY, 'options.certs'],
    ['an EC public key', { certs: { [serial]: ec.publicKey.export({ type: 'spki', format: 'pem' }) } }, KEY, 'options.certs'],
    ['a serial with spaces', { certs: { 'AB CD': cert } }, CONFIG, 'options.certs'],
    ['a public KeyObject', { certs: { [sb.pubkey.id]: crypto.createPublicKey(sb.pubkey.publicKeySpki) } }, CONFIG, "options.certs entry 1 is a KeyObject: give its PEM, key.export({ type: 'spki', format: 'pem' })"],
    ['a good and a bad entry', { certs: { [serial]: cert, [sb.pubkey.id]: 'garbage' } }, KEY, 'options.certs'],
    ['a file name', { certs: { [serial]: `wechatpay_${serial}.pem` } }, KEY, "options.certs entry 1 reads like a file's path, not the key: give the file's text (readFileSync(path, 'utf8'))"],
    ['a path after a good entry', { certs: { [serial]: cert, [sb.pubkey.id]: 'certs/pub_key.pem' } }, KEY, "options.certs entry 2 reads like a file's path"],
    // A public key under a name of its own, or its id mistyped: refused now, not once the service signs with it.
    ['a public key under a name', { certs: { [serial]: cert, 'wechatpay-pubkey': sb.pubkey.publicKeySpki } }, CONFIG, 'options.certs[a key of 16 characters] is a public key under a name that is not a WeChat Pay public key id (PUB_KEY_ID_ and digits) or a certificate serial (hex)'],
    ['a public key id in lower case', { certs: { [sb.pubkey.id.toLowerCase()]: sb.pubkey.publicKeySpki } }, CONFIG, 'is a public key under a name that is not a WeChat Pay public key id'],
    ['a public key id without its prefix', { certs: { [sb.pubkey.id.slice('PUB_KEY_ID_'.length)]: sb.pubkey.publicKeySpki } }, CONFIG, 'is a public key under a name that is not a WeChat Pay public key id'],
  ];
});

runCases('baseURL, fetch, timeout: wrong type or unparsable', () => [
  ['baseURL number', { baseURL: 443 }, CONFIG, 'options.baseURL'],
  ['baseURL null', { baseURL: null }, CONFIG, 'options.baseURL'],
  ['baseURL URL object', { baseURL: new URL('https://api.mch.weixin.qq.com/') }, CONFIG, 'options.baseURL'],
  ['baseURL ftp', { baseURL: 'ftp://api.mch.weixin.qq.com/' }, CONFIG, 'options.baseURL'],
  ['baseURL no scheme', { baseURL: 'api.mch.weixin.qq.com' }, CONFIG, 'options.baseURL'],
  ['baseURL no host', { baseURL: 'https://' }, CONFIG, 'options.baseURL'],
  ['baseURL user info', { baseURL: 'https://user:pass@api.mch.weixin.qq.com/' }, CONFIG, 'options.baseURL'],
  ['baseURL query', { baseURL: 'https://api.mch.weixin.qq.com/?x=1' }, CONFIG, 'options.baseURL'],
  ['baseURL garbage', { baseURL: 'not a url' }, CONFIG, 'options.baseURL'],
  ['baseURL ending in /v3', { baseURL: 'https://api.mch.weixin.qq.com/v3' }, CONFIG, 'options.baseURL must not end in /v3: the chain starts at wxpay.v3'],
  ['baseURL ending in /v3/', { baseURL: 'https://api.mch.weixin.qq.com/v3/' }, CONFIG, 'options.baseURL must not end in /v3: the chain starts at wxpay.v3'],
  ['backupBaseURL ending in /v3/', { backupBaseURL: 'https://api2.mch.weixin.qq.com/v3/' }, CONFIG, 'options.backupBaseURL must not end in /v3: the chain starts at wxpay.v3'],
  ['baseURL ending in /v3 spelt with escapes', { baseURL: 'https://api.mch.weixin.qq.com/%76%33' }, CONFIG, 'options.baseURL must not end in /v3: the chain starts at wxpay.v3'],
  ['fetch string', { fetch: 'fetch' }, CONFIG, 'options.fetch'],
  ['fetch object', { fetch: {} }, CONFIG, 'options.fetch'],
  ['fetch null', { fetch: null }, CONFIG, 'options.fetch'],
  ['timeout string', { timeout: '1000' }, CONFIG, 'options.timeout'],
  ['timeout zero', { timeout: 0 }, CONFIG, 'options.timeout'],
  ['timeout negative', { timeout: -1 }, CONFIG, 'options.timeout'],
  ['timeout fraction', { timeout: 1.5 }, CONFIG, 'options.timeout'],
  ['timeout NaN', { timeout: NaN }, CONFIG, 'options.timeout'],
  ['timeout Infinity', { timeout: Infinity }, CONFIG, 'options.timeout'],
  ['timeout too large', { timeout: 2 ** 31 }, CONFIG, 'options.timeout'],
  ['timeout null', { timeout: null }, CONFIG, 'options.timeout'],
]);

test('certs may be a Map of serials: it is used (not dropped), also beside apiv3Key', async () => {
  const { sb } = ctx;
  const certs = new Map([[sb.platform.serial, sb.platform.certificate]]);
  const wxpay = new Wxpay(options(sb, { certs }));
  assert.equal((await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE })).status, 200);
  assert.deepEqual((await wxpay.certificates()).map((c) => c.serial), [sb.platform.serial]);
  const withKey = new Wxpay(options(sb, { certs, apiv3Key: sb.apiv3Key }));
  assert.equal((await memberCode(withKey).get({ card_id: CARD_ID, code: CODE })).status, 200);
  assert.equal(sb.requests.filter((r) => r.url === '/v3/certificates').length, 0, 'a configured cert needs no download');
});

test('a PEM pasted as a certs key (the map swapped) is not echoed in the message', async () => {
  const { sb } = ctx;
  const lines = secrets(sb);
  // { [pem]: serial } instead of { [serial]: pem }, with the private key or the certificate
  for (const pem of [sb.merchant.privateKeyPkcs8, sb.platform.certificate]) {
    assertThrowsConfig(() => new Wxpay(options(sb, { certs: { [pem]: sb.platform.serial } })), CONFIG, 'options.certs', lines);
  }
  await assertStillWorks(sb);
});

test('the same module keeps working after many errors in a row', async () => {
  const { sb } = ctx;
  for (let i = 0; i < 50; i++) {
    assert.throws(() => new Wxpay(options(sb, { privateKey: `garbage ${i}` })), { name: 'WxpayError', code: KEY });
    assert.throws(() => new Wxpay({}), { name: 'WxpayError', code: CONFIG });
  }
  await assertStillWorks(sb);
  // and an earlier client made before the errors, too
  const wxpay = new Wxpay(options(sb));
  assert.throws(() => new Wxpay(options(sb, { certs: {} })), { code: CONFIG });
  assert.equal((await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE })).status, 200);
});

test('a serial whose first digit is 0 matches with or without it, as OpenSSL or Go and as Java write it', async () => {
  // A service whose platform serial is 0A1B...: it names it so in Wechatpay-Serial.
  const keys = generateKeys('1900000109');
  const even = '0A1B2C3D4E5F60718293A4B5C6D7E8F901234567';
  const pair = { privateKey: crypto.createPrivateKey(keys.platform.privateKeyPkcs8), publicKey: crypto.createPublicKey(keys.platform.publicKeySpki) };
  keys.platform = { ...keys.platform, serial: even, certificate: selfSignedCertificate({ serial: even, ...pair }) };
  const sb = await startSandbox({ keys });
  try {
    for (const configured of [even, even.slice(1), even.slice(1).toLowerCase()]) {
      const wxpay = new Wxpay(options(sb, { certs: { [configured]: sb.platform.certificate } }));
      // Sent as the certificate writes it, whichever spelling keyed it.
      assert.equal(wxpay.wechatpaySerial, even, configured);
      // The answer names 0A1B...; the key configured under either spelling verifies it.
      const { status, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
      assert.equal(status, 200, configured);
      assert.equal(data.code, CODE);
    }
  } finally {
    await sb.close();
  }
});

test('a certificate in certs must be keyed by its own serial: another key is ERR_INVALID_CONFIG, naming only serials', async () => {
  const { sb } = ctx;
  const { serial, certificate } = sb.platform;
  const differs = (key, own) => `options.certs[${key}] is a certificate whose serial${own ? ` "${own}"` : ''} differs from the key it is given under`;
  const other = '7E57' + serial.slice(4);
  for (const [label, certs, message] of [
    ['another serial', { [other]: certificate }, differs(`"${other}"`, serial)],
    ['another serial, beside the right entry', { [serial]: certificate, [other]: certificate }, differs(`"${other}"`, serial)],
    ['a Map', new Map([[other, certificate]]), differs(`"${other}"`, serial)],
    ['a public key id', { [sb.pubkey.id]: certificate }, differs(`"${sb.pubkey.id}"`, serial)],
  ]) {
    assert.throws(() => new Wxpay(options(sb, { certs })), { name: 'WxpayError', code: CONFIG, message }, label);
    // Beside apiv3Key too: the entry would be trusted before any download.
    assert.throws(() => new Wxpay(options(sb, { certs, apiv3Key: sb.apiv3Key })), { code: CONFIG, message }, label);
  }
  // A certificate whose own serial has an APIv3 key's length (32 hex): that serial is not repeated.
  const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const short = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d';
  const odd = selfSignedCertificate({ serial: short, ...pair });
  assert.throws(() => new Wxpay(options(sb, { certs: { [serial]: odd } })), { code: CONFIG, message: differs(`"${serial}"`) });
  // Keyed by its own serial, in any case, it is accepted; a bare public key has no serial of its own.
  assert.ok(new Wxpay(options(sb, { certs: { [short]: odd } })));
  const pub = new Wxpay(options(sb, { certs: { [other]: sb.platform.publicKeySpki } }));
  assert.equal(pub.wechatpaySerial, other);
  const lower = new Wxpay(options(sb, { certs: { [serial.toLowerCase()]: certificate } }));
  assert.equal((await memberCode(lower).get({ card_id: CARD_ID, code: CODE })).status, 200);
});

test('the merchant serial typed in lower case is sent in upper case, as the merchant platform shows it', async () => {
  const { sb } = ctx;
  sb.reset();
  const wxpay = new Wxpay(options(sb, { serial: ` ${sb.merchant.serial.toLowerCase()} ` }));
  assert.equal((await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE })).status, 200);
  assert.match(sb.requests.at(-1).headers.authorization, new RegExp(`serial_no="${sb.merchant.serial}"`));
});
