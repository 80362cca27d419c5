// A request that may change something (not a GET), sent, whose answer could not be trusted or did
// not arrive, or was a 5xx: its error's message says it may have been carried out (README,
// Errors), so that a log read without the README does not lead to a second refund under a new
// number. Named by method and path template only, never a value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { useSandbox, options, memberCode, rejectsWith, CARD_ID, CODE } from './helpers.mjs';
import { closedPort } from '../sandbox/index.mjs';

const ctx = useSandbox();
const SECRET = 'Q7mZ4kP2';
const note = (method, path) => ` (${method} ${path} was sent and may have been carried out: query it before sending it again, and send it again under the same number)`;
const NOTE = /was sent and may have been carried out/;

test('a POST, PATCH or DELETE sent whose answer is refused, cut off, late or a 5xx says it may have been carried out', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb, { retry: 0 }));
  const post = () => wxpay.v3.sandbox.echo._id_.post({ amount: SECRET }, { id: SECRET });
  for (const [mode, code] of [['tampered', 'ERR_RESPONSE_SIGNATURE'], ['unknown-serial', 'ERR_RESPONSE_SERIAL'], ['stale', 'ERR_RESPONSE_TIMESTAMP'], ['unsigned', 'ERR_RESPONSE_UNSIGNED'], ['reset', 'ERR_NETWORK'], ['error-500', 'SYSTEM_ERROR']]) {
    sb.misbehave(mode, 1);
    const e = await rejectsWith(post(), code);
    assert.ok(e.message.endsWith(note('POST', 'v3/sandbox/echo/{id}')), `${mode}: ${e.message}`);
    assert.equal(e.attempts, 1);
    // Named by its template: neither the placeholder's value nor the body's.
    assert.doesNotMatch(e.message, new RegExp(SECRET));
    assert.doesNotMatch(JSON.stringify(e), new RegExp(SECRET));
  }
  sb.misbehave('tampered', 1);
  const patched = await rejectsWith(memberCode(wxpay).patch({ out_request_no: 'r1' }, { card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_SIGNATURE');
  assert.ok(patched.message.endsWith(note('PATCH', 'v3/marketing/membercard-open/cards/{card_id}/codes/{code}')), patched.message);
  sb.misbehave('error-503', 1);
  const deleted = await rejectsWith(wxpay.v3.sandbox.echo.delete(), 'SERVICE_UNAVAILABLE');
  assert.ok(deleted.message.endsWith(note('DELETE', 'v3/sandbox/echo')), deleted.message);
  // The deadline ended it after it was sent (a fetch that never answers).
  const late = new Wxpay(options(sb, { retry: 0, fetch: () => new Promise(() => {}) }));
  const timedOut = await rejectsWith(late.v3.sandbox.echo.post({ a: 1 }, { timeout: 50 }), 'ERR_TIMEOUT');
  assert.ok(timedOut.message.endsWith(note('POST', 'v3/sandbox/echo')), timedOut.message);
  late.free();
  // A WxpayError a caller's fetch throws is handed on as it is; thrown again, it is told once.
  const shared = new WxpayError('ERR_NETWORK', 'the gateway dropped it');
  const throwing = new Wxpay(options(sb, { retry: 0, fetch: async () => { throw shared; } }));
  for (let i = 0; i < 3; i++) {
    const e = await rejectsWith(throwing.v3.sandbox.echo.post({ a: 1 }), 'ERR_NETWORK');
    assert.equal(e.message, `the gateway dropped it${note('POST', 'v3/sandbox/echo')}`);
  }
  throwing.free();
  // The instance goes on: the next POST succeeds.
  assert.equal((await post()).status, 200);
  wxpay.free();
});

test('not said where nothing was done or nothing received: a GET, a refusal, a connection that never opened, nothing sent', async () => {
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
  // Nothing sent: a config error, a deadline over before the first try.
  assert.doesNotMatch((await rejectsWith(wxpay.v3.sandbox.echo._id_.post({ a: 1 }, {}), 'ERR_MISSING_PARAM')).message, NOTE);
  const early = await rejectsWith(wxpay.v3.sandbox.echo.post({ a: 1 }, { signal: AbortSignal.abort() }), 'ERR_ABORTED');
  assert.equal(early.attempts ?? 0, 0);
  assert.doesNotMatch(early.message, NOTE);
  wxpay.free();
});
