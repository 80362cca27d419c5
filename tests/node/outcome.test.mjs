// A request that may change something (not a GET), sent, whose answer could not be trusted or did
// not arrive, or was a 5xx: its error's message says it may have been carried out (README,
// Errors), so that a log read without the README does not lead to a second refund under a new
// number. Named by its method only: a path may hold an id written in brackets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { useSandbox, options, memberCode, rejectsWith, CARD_ID, CODE } from './helpers.mjs';
import { closedPort } from '../sandbox/index.mjs';
import { randomRsaKeyPair, randomSerial } from '../sandbox/keys.mjs';
import { selfSignedCertificate } from '../sandbox/x509.mjs';

const ctx = useSandbox();
const SECRET = 'Q7mZ4kP2';
const note = (method) => ` (the ${method} was sent and may have been carried out: query it before sending it again, and send it again under the same number)`;
const NOTE = /was sent and may have been carried out/;

test('a POST, PATCH or DELETE sent whose answer is refused, cut off, late or a 5xx says it may have been carried out', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb, { retry: 0 }));
  const post = () => wxpay.v3.sandbox.echo._id_.post({ amount: SECRET }, { id: SECRET });
  const raw = () => wxpay.v3.sandbox.echo.outTradeNo[SECRET].post({ amount: SECRET });
  for (const [mode, code] of [['tampered', 'ERR_RESPONSE_SIGNATURE'], ['unknown-serial', 'ERR_RESPONSE_SERIAL'], ['stale', 'ERR_RESPONSE_TIMESTAMP'], ['unsigned', 'ERR_RESPONSE_UNSIGNED'], ['reset', 'ERR_NETWORK'], ['error-500', 'SYSTEM_ERROR']]) {
    for (const send of [post, raw]) {
      sb.misbehave(mode, 1);
      const e = await rejectsWith(send(), code);
      assert.ok(e.message.endsWith(note('POST')), `${mode}: ${e.message}`);
      assert.equal(e.attempts, 1);
      // The note is the same whatever the path (a segment written in brackets is named, as
      // written, only where ERR_NETWORK's own text names the URL); a placeholder's value and the
      // body's are named nowhere.
      if (send === post) {
        assert.doesNotMatch(e.message, new RegExp(SECRET));
        assert.doesNotMatch(JSON.stringify(e), new RegExp(SECRET));
      }
    }
  }
  sb.misbehave('tampered', 1);
  const patched = await rejectsWith(memberCode(wxpay).patch({ out_request_no: 'r1' }, { card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_SIGNATURE');
  assert.ok(patched.message.endsWith(note('PATCH')), patched.message);
  sb.misbehave('error-503', 1);
  const deleted = await rejectsWith(wxpay.v3.sandbox.echo.delete(), 'SERVICE_UNAVAILABLE');
  assert.ok(deleted.message.endsWith(note('DELETE')), deleted.message);
  // The deadline ended it after it was sent (a fetch that never answers).
  const late = new Wxpay(options(sb, { retry: 0, fetch: () => new Promise(() => {}) }));
  const timedOut = await rejectsWith(late.v3.sandbox.echo.post({ a: 1 }, { timeout: 50 }), 'ERR_TIMEOUT');
  assert.ok(timedOut.message.endsWith(note('POST')), timedOut.message);
  late.free();
  // A 2xx too large to read: sent and answered, so maybe done.
  const large = new Wxpay(options(sb, { retry: 0, maxBodyBytes: 16, fetch: async () => new Response('x'.repeat(64), { status: 200 }) }));
  assert.ok((await rejectsWith(large.v3.sandbox.echo.post({ a: 1 }), 'ERR_RESPONSE_TOO_LARGE')).message.endsWith(note('POST')));
  large.free();
  // The instance goes on: the next POST succeeds.
  assert.equal((await post()).status, 200);
  wxpay.free();
});

test('not said where nothing was done or nothing received: a GET, a refusal, a connection that never opened, nothing sent', async (t) => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb, { retry: 0 }));
  // A GET changes nothing.
  sb.misbehave('tampered', 1);
  assert.doesNotMatch((await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_SIGNATURE')).message, NOTE);
  // The service refused it (a 4xx): not done.
  sb.misbehave('error-429', 1);
  assert.doesNotMatch((await rejectsWith(wxpay.v3.sandbox.echo.post({ a: 1 }), 'FREQUENCY_LIMITED')).message, NOTE);
  // A connection that never opened (here and on the backup host): nothing was received.
  const port = await closedPort();
  const closed = new Wxpay(options(sb, { baseURL: `http://127.0.0.1:${port}/` }));
  const refused = await rejectsWith(closed.v3.sandbox.echo.post({ a: 1 }), 'ERR_NETWORK');
  assert.ok(refused.attempts >= 1);
  assert.doesNotMatch(refused.message, NOTE);
  closed.free();
  // A 4xx the package could not read (too large here): the service refused it.
  const refusedLarge = new Wxpay(options(sb, { retry: 0, maxBodyBytes: 16, fetch: async () => new Response('x'.repeat(64), { status: 400 }) }));
  const e400 = await rejectsWith(refusedLarge.v3.sandbox.echo.post({ a: 1 }), 'ERR_RESPONSE_TOO_LARGE');
  assert.equal(e400.status, 400);
  assert.doesNotMatch(e400.message, NOTE);
  refusedLarge.free();
  // A connection reset in its TLS handshake (connect ECONNRESET): nothing was written.
  const resetting = net.createServer((socket) => socket.resetAndDestroy());
  await new Promise((resolve) => resetting.listen(0, '127.0.0.1', resolve));
  t.after(() => resetting.close());
  const tls = new Wxpay(options(sb, { retry: 0, baseURL: `https://127.0.0.1:${resetting.address().port}/` }));
  const handshake = await rejectsWith(tls.v3.sandbox.echo.post({ a: 1 }), 'ERR_NETWORK');
  assert.ok(handshake.attempts >= 1);
  assert.match(handshake.message, /connect ECONNRESET/);
  assert.doesNotMatch(handshake.message, NOTE);
  tls.free();
  // A server whose certificate is refused (self-signed): the TLS handshake failed, nothing was written.
  const { publicKey, privateKey } = randomRsaKeyPair();
  let reached = 0;
  const selfSigned = https.createServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: selfSignedCertificate({ serial: randomSerial(), publicKey, privateKey, subject: { CN: '127.0.0.1' } }) }, (req, res) => { reached++; res.end(); });
  await new Promise((resolve) => selfSigned.listen(0, '127.0.0.1', resolve));
  t.after(() => selfSigned.close());
  const untrusted = new Wxpay(options(sb, { retry: 0, baseURL: `https://127.0.0.1:${selfSigned.address().port}/` }));
  const certRefused = await rejectsWith(untrusted.v3.sandbox.echo.post({ a: 1 }), 'ERR_NETWORK');
  assert.equal(reached, 0);
  assert.match(certRefused.message, /certificate/);
  assert.doesNotMatch(certRefused.message, NOTE);
  untrusted.free();
  // A WxpayError a caller's fetch throws is handed on as it is, never changed, also thrown again.
  const shared = new WxpayError('ERR_NETWORK', 'the gateway dropped it');
  const throwing = new Wxpay(options(sb, { retry: 0, fetch: async () => { throw shared; } }));
  for (let i = 0; i < 3; i++) {
    const e = await rejectsWith(throwing.v3.sandbox.echo.post({ a: 1 }), 'ERR_NETWORK');
    assert.equal(e, shared);
    assert.equal(e.message, 'the gateway dropped it');
  }
  throwing.free();
  // Nothing sent: a config error, a deadline over before the first try.
  assert.doesNotMatch((await rejectsWith(wxpay.v3.sandbox.echo._id_.post({ a: 1 }, {}), 'ERR_MISSING_PARAM')).message, NOTE);
  const early = await rejectsWith(wxpay.v3.sandbox.echo.post({ a: 1 }, { signal: AbortSignal.abort() }), 'ERR_ABORTED');
  assert.equal(early.attempts ?? 0, 0);
  assert.doesNotMatch(early.message, NOTE);
  wxpay.free();
});
