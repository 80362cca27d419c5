// 200 requests in flight at once: every one signed with its own nonce and verified by the
// sandbox, every answer verified by us and matched to its own request.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Wxpay } from 'wxpay-wasm';
import { startSandbox } from '../sandbox/index.mjs';
import { options, memberCode, within, CARD_ID, CODE } from './helpers.mjs';

const N = 200;

// Each test gets a sandbox of its own, on a fresh port: the sandbox shares this process's event
// loop, and with the 'rust' backend the 200 signatures run back to back before the first fetch.
// Idle keep-alive sockets left by an earlier test would time out on the server side during
// that stretch and be reset under the new requests (ECONNRESET), which is not what this tests.
async function freshSandbox(t) {
  const sb = await startSandbox();
  t.after(() => sb.close());
  return sb;
}

for (const backend of ['node', 'webcrypto', 'rust']) {
  test(`${N} concurrent requests: all verified, ${N} distinct nonces, each answer its own (${backend})`, async (t) => {
    const sb = await freshSandbox(t);
    const wxpay = new Wxpay(options(sb, { crypto: backend }));
    const started = Math.floor(Date.now() / 1000);
    const results = await within(
      Promise.all(Array.from({ length: N }, (_, i) => wxpay.v3.sandbox.echo._i_.post({ i }, { i: `r${i}`, params: { n: `${i}` } }))),
      60_000,
      `${N} concurrent requests`,
    );

    assert.equal(results.length, N);
    results.forEach((r, i) => {
      assert.equal(r.status, 200);
      assert.equal(r.data.url, `/v3/sandbox/echo/r${i}?n=${i}`, 'answer matched to its request');
      assert.equal(r.data.body, JSON.stringify({ i }));
    });

    assert.equal(sb.requests.length, N);
    const failed = sb.requests.filter((r) => !r.verified);
    assert.deepEqual(failed.map((r) => r.reason), [], 'the sandbox verified every signature');
    const nonces = sb.requests.map((r) => r.auth.nonce_str);
    for (const n of nonces) assert.match(n, /^[0-9A-Za-z]{32}$/);
    assert.equal(new Set(nonces).size, N, 'every nonce distinct');
    const answerNonces = results.map((r) => r.headers['wechatpay-nonce']);
    assert.equal(new Set(answerNonces).size, N);
    for (const r of sb.requests) assert.ok(Math.abs(Number(r.auth.timestamp) - started) <= 60);
  });
}

test(`${N} concurrent seed GETs on one client, with one forged answer among them`, async (t) => {
  const sb = await freshSandbox(t);
  const wxpay = new Wxpay(options(sb));
  sb.misbehave('forged'); // the first answer the sandbox writes
  const settled = await within(
    Promise.allSettled(Array.from({ length: N }, () => memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }))),
    60_000,
    `${N} concurrent GETs`,
  );
  const rejected = settled.filter((s) => s.status === 'rejected');
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].reason.code, 'ERR_RESPONSE_SIGNATURE');
  const forgedEntry = sb.requests.find((r) => r.misbehaviour === 'forged');
  assert.equal(rejected[0].reason.requestId, forgedEntry.requestId);
  for (const s of settled.filter((x) => x.status === 'fulfilled')) assert.deepEqual(s.value.data, sb.cards[CARD_ID][CODE]);
  assert.equal(new Set(sb.requests.map((r) => r.auth.nonce_str)).size, N);
});
