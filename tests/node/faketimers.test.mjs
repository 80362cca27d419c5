// A merchant's tests with fake timers (README, Testing): @sinonjs/fake-timers, which Jest's
// `useFakeTimers()` and Vitest's `vi.useFakeTimers()` are made of, installed after the package
// was loaded, as a test does, and as Jest runs a test: the package and the test in a `vm`
// context whose timers are faked, the host's fetch running on the host's. The package's own
// scheduling (the certificate download's tasks, a GZIP download's pacing) runs without the
// test's clock; the deadlines (`timeout`, back-off) follow it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { useSandbox, options, packageInRealm, memberCode, within, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();
const { exports: { Wxpay }, realm } = packageInRealm();
// The host's timers are real: `within` fails a call the fake clock holds, after 5 s of real time.
const settlesWithin = (promise, what) => within(promise, 5000, what);

/** Jest's default set (`useFakeTimers()` fakes queueMicrotask too), the clock at the real time. */
function install(t) {
  const clock = FakeTimers.withGlobal(realm).install({
    now: Date.now(),
    toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'queueMicrotask', 'Date'],
  });
  t.after(() => clock.uninstall());
  return clock;
}

test('under fake timers, a client with apiv3Key alone downloads the platform certificates and its request is answered (before, the download waited for the clock: ERR_CERTIFICATE_DOWNLOAD after 31 s)', async (t) => {
  const { sb } = ctx;
  const { certs: _, ...rest } = options(sb);
  const wxpay = new Wxpay({ ...rest, apiv3Key: sb.apiv3Key });
  install(t);
  const { status, data } = await settlesWithin(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'the first request');
  assert.equal(status, 200);
  assert.equal(data.code, CODE);
  assert.deepEqual(sb.requests.map((r) => r.url.split('?')[0]), ['/v3/certificates', `/v3/marketing/membercard-open/cards/${CARD_ID}/codes/${CODE}`]);
  assert.ok(sb.requests.every((r) => r.verified));
  assert.equal((await settlesWithin(wxpay.certificates(), 'certificates()')).length, 1);
});

test('under fake timers, a GZIP bill downloads whole', async (t) => {
  const wxpay = new Wxpay(options(ctx.sb));
  install(t);
  const { data } = await settlesWithin(wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', tar_type: 'GZIP', sandbox_rows: 2000 } }), 'the bill query');
  const bytes = await settlesWithin(wxpay.download(data), 'the download');
  const text = new TextDecoder().decode(bytes);
  assert.match(text, /^交易时间/);
  assert.equal(text.split('\n').filter((line) => line.startsWith('`')).length, 2000 + 1, 'every row and the summary');
});

test("under fake timers, a request's timeout and retry waits follow the test's clock", async (t) => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const clock = install(t);
  // A slow answer: the timeout fires once the test moves its clock, not before.
  let outcome = 'pending';
  const slow = wxpay.v3.sandbox.slow.get({ params: { ms: '3000' }, timeout: 1000 }).then(
    (r) => { outcome = `resolved ${r.status}`; },
    (e) => { outcome = e.code; },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(outcome, 'pending', 'real time alone ends nothing');
  await clock.tickAsync(1000);
  await settlesWithin(slow, 'the slow request');
  assert.equal(outcome, 'ERR_TIMEOUT');
  // A 503, then a back-off the clock runs through, then the answer.
  sb.misbehave('error-503', 1);
  let answered;
  const retried = memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }).then((r) => { answered = r; });
  await new Promise((resolve) => setTimeout(resolve, 400)); // twice the longest first wait, real
  assert.equal(answered, undefined, 'the back-off waits for the clock');
  assert.deepEqual(sb.requests.slice(-1).map((r) => r.status), [503]);
  // The test moves its clock (as `advanceTimersByTimeAsync` does) until the back-off has passed.
  for (let i = 0; i < 100 && answered === undefined; i++) {
    await clock.tickAsync(100);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await settlesWithin(retried, 'the retried request');
  assert.equal(answered.status, 200);
  assert.deepEqual(sb.requests.slice(-2).map((r) => r.status), [503, 200]);
});
