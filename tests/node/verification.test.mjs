// Every 2xx answer is verified before the caller sees it: each misbehaviour of the sandbox
// rejects with its code and the Request-ID, and the answer's data is never handed out.
import test from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import crypto from 'node:crypto';
import http from 'node:http';
import { Wxpay } from 'wxpay-wasm';
import { MODES } from '../sandbox/index.mjs';
import { useSandbox, options, memberCode, rejectsWith, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();

const EXPECTED = {
  forged: 'ERR_RESPONSE_SIGNATURE',
  tampered: 'ERR_RESPONSE_SIGNATURE',
  signtest: 'ERR_RESPONSE_SIGNATURE',
  stale: 'ERR_RESPONSE_TIMESTAMP',
  future: 'ERR_RESPONSE_TIMESTAMP',
  'bad-timestamp': 'ERR_RESPONSE_TIMESTAMP',
  'decimal-timestamp': 'ERR_RESPONSE_TIMESTAMP',
  'unknown-serial': 'ERR_RESPONSE_SERIAL',
  unsigned: 'ERR_RESPONSE_UNSIGNED',
  'missing-timestamp': 'ERR_RESPONSE_UNSIGNED',
  'missing-nonce': 'ERR_RESPONSE_UNSIGNED',
  'missing-signature': 'ERR_RESPONSE_UNSIGNED',
  'missing-serial': 'ERR_RESPONSE_UNSIGNED',
};
const MISSING_HEADER = {
  'missing-timestamp': 'Wechatpay-Timestamp',
  'missing-nonce': 'Wechatpay-Nonce',
  'missing-signature': 'Wechatpay-Signature',
  'missing-serial': 'Wechatpay-Serial',
};

test('every verification misbehaviour of the sandbox is covered here', () => {
  // error-* and reset are transport faults, covered by errors.test.mjs and retry.test.mjs
  assert.deepEqual(Object.keys(EXPECTED).sort(), MODES.filter((m) => !m.startsWith('error-') && m !== 'reset').sort());
});

/** Asserts the rejection names this answer and holds none of its data. */
function assertNothingHandedOut(err, secretBits) {
  assert.equal('response' in err, false, 'no response attached to a failed verification');
  assert.equal('data' in err, false);
  assert.equal(err.detail, undefined);
  const everything = util.inspect(err, { depth: Infinity, showHidden: true }) + err.message;
  for (const bit of secretBits) assert.ok(!everything.includes(bit), `the error carries answer data: ${bit}`);
}

for (const backend of ['node', 'webcrypto', 'rust']) {
  for (const [mode, code] of Object.entries(EXPECTED)) {
    test(`GET answer ${mode} -> ${code}, with the Request-ID, data withheld (${backend})`, async () => {
      const { sb } = ctx;
      const wxpay = new Wxpay(options(sb, { crypto: backend }));
      sb.misbehave(mode);
      const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), code);
      const req = sb.requests.at(-1);
      assert.equal(req.misbehaviour, mode, 'the sandbox applied the mode to this answer');
      assert.equal(req.verified, true);
      assert.equal(err.requestId, req.requestId);
      assert.equal(err.status, 200);
      if (MISSING_HEADER[mode]) assert.ok(err.message.includes(MISSING_HEADER[mode]), err.message);
      assertNothingHandedOut(err, ['obLatjhnqgy2syxrXVM3MJ5TmTsM', '13800000000', 'head.png']);

      // the next, honest answer goes through
      const { status, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
      assert.equal(status, 200);
      assert.equal(data.openid, 'obLatjhnqgy2syxrXVM3MJ5TmTsM');
    });
  }
}

for (const [mode, code] of Object.entries(EXPECTED)) {
  test(`PATCH 204 answer ${mode} -> ${code}: the caller is not told it succeeded`, async () => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb));
    sb.misbehave(mode);
    let told = false;
    const err = await rejectsWith(
      memberCode(wxpay)
        .patch({ level: 'SILVER', out_request_no: `v-${mode}` }, { card_id: CARD_ID, code: CODE })
        .then(({ status }) => { told = true; return status === 204; }),
      code,
    );
    assert.equal(told, false);
    const req = sb.requests.at(-1);
    assert.equal(req.misbehaviour, mode);
    assert.equal(err.requestId, req.requestId);
    // 'tampered' cannot add a body to a 204, so the sandbox answers 200 "{}" signed over nothing
    assert.equal(err.status, mode === 'tampered' ? 200 : 204);
    assertNothingHandedOut(err, []);
  });
}

test('queued misbehaviour: three forged answers in a row all rejected, the fourth verified', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  sb.misbehave('forged', 3);
  for (let i = 0; i < 3; i++) {
    const err = await rejectsWith(wxpay.v3.sandbox.echo.get(), 'ERR_RESPONSE_SIGNATURE');
    assert.equal(err.requestId, sb.requests[i].requestId);
  }
  assert.equal((await wxpay.v3.sandbox.echo.get()).status, 200);
  assert.deepEqual(sb.requests.map((r) => r.misbehaviour), ['forged', 'forged', 'forged', null]);
});

test('every answer kind is verified: an echo POST with a body, tampered, is rejected', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  sb.misbehave('tampered');
  const err = await rejectsWith(wxpay.v3.sandbox.echo.post({ secret: 'do-not-leak-4711' }), 'ERR_RESPONSE_SIGNATURE');
  assertNothingHandedOut(err, ['do-not-leak-4711']);
});

// protocol.md: file downloads (/v3/billdownload/file, statements) are not signed, so they are
// not verified. That exemption is for those API paths, not for any path that contains one.
test('a file download (here behind a baseURL path prefix) is exempt from verification, as documented', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb, { baseURL: `${sb.baseURL}v3/sandbox/echo/` }));
  sb.misbehave('unsigned');
  const { status, data } = await wxpay.v3.billdownload.file.get({ params: { token: 't1' } });
  assert.equal(status, 200);
  // A file comes back as its bytes, whatever its content type (issue 13).
  assert.ok(data instanceof Uint8Array);
  assert.equal(JSON.parse(Buffer.from(data).toString()).url, '/v3/sandbox/echo/v3/billdownload/file?token=t1');
  assert.equal(sb.requests.at(-1).misbehaviour, 'unsigned');
});

test('an API path that only contains a download path further in is still verified', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  for (const node of [wxpay.v3.sandbox.echo['v3/billdownload/file'], wxpay.v3.sandbox.echo.v3.statements]) {
    sb.misbehave('forged');
    const err = await rejectsWith(node.get(), 'ERR_RESPONSE_SIGNATURE');
    assert.equal(err.requestId, sb.requests.at(-1).requestId);
    assert.equal(sb.requests.at(-1).misbehaviour, 'forged');
  }
});

// RFC 9110: the spaces and tabs around a field's value are not part of it. Node's fetch keeps a
// value's trailing ones (Deno's, workerd's and browsers' take them off): a gateway that pads the
// signature headers must not fail the check in Node alone, nor in notifications.parse.
test('spaces and tabs around the signature headers are not part of their values: an answer, a statement and a notification verify', async (t) => {
  const key = crypto.createPrivateKey(ctx.sb.platform.privateKeyPkcs8);
  const pads = [[' ', ''], ['', ' '], ['\t', ' \t'], ['  ', '\t']];
  const sign = (body) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = crypto.randomBytes(16).toString('hex');
    return { ts, nonce, signature: crypto.sign('sha256', Buffer.from(`${ts}\n${nonce}\n${body}\n`), key).toString('base64') };
  };
  let pad = pads[0];
  const server = http.createServer((req, res) => {
    const padded = (v) => `${pad[0]}${v}${pad[1]}`;
    if (req.url.startsWith('/v3/statements')) {
      const body = Buffer.from('statement\r\n`1\r\n');
      const sha1 = crypto.createHash('sha1').update(body).digest('hex');
      const s = sign(JSON.stringify({ sha1 }));
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Wechatpay-Timestamp': padded(s.ts), 'Wechatpay-Nonce': padded(s.nonce), 'Wechatpay-Signature': padded(s.signature), 'Wechatpay-Serial': padded(ctx.sb.platform.serial), 'Wechatpay-Statement-Sha1': padded(sha1) });
      res.end(body);
      return;
    }
    const body = JSON.stringify({ ok: true });
    const s = sign(body);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Wechatpay-Timestamp': padded(s.ts), 'Wechatpay-Nonce': padded(s.nonce), 'Wechatpay-Signature': padded(s.signature), 'Wechatpay-Serial': padded(ctx.sb.platform.serial) });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const wxpay = new Wxpay(options(ctx.sb, { baseURL: `http://127.0.0.1:${server.address().port}/`, apiv3Key: ctx.sb.apiv3Key }));
  t.after(() => wxpay.free());
  for (pad of pads) {
    const at = JSON.stringify(pad);
    // Node's fetch hands the trailing ones over as sent (what this test is about).
    if (pad[1]) assert.ok((await fetch(`http://127.0.0.1:${server.address().port}/x`)).headers.get('wechatpay-nonce').endsWith(pad[1].at(-1)), at);
    const { status, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
    assert.deepEqual([status, data], [200, { ok: true }], at);
    const statement = await wxpay.v3.statements.get({ params: { date: '2024-01-02' } });
    assert.equal(Buffer.from(statement.data).toString(), 'statement\r\n`1\r\n', at);
    // A notification whose headers come padded (a plain object, as a gateway's event may give them).
    const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'o1' } });
    const headers = Object.fromEntries(Object.entries(n.headers).map(([k, v]) => [k, `${pad[0]}${v}${pad[1]}`]));
    const parsed = await wxpay.notifications.parse({ headers, body: n.body });
    assert.equal(parsed.resource.out_trade_no, 'o1', at);
  }
});
