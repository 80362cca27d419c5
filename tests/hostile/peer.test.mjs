// Hostile servers, on every backend (`crypto: 'node' | 'webcrypto' | 'rust'`): resets
// mid-headers and mid-body, a dripping body against a timeout, repeated Wechatpay-* headers, a
// redirect to another host, invalid UTF-8 in a JSON answer, clock skew, a wrong signature, an
// unknown serial, no signature. Each has its stable code, nothing escapes, and the health
// check passes after each case. (Oversized answers and the gzip bomb: large.test.mjs.)
import test, { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Wxpay } from 'wxpay-wasm';
import { useHealth, hostileLoop, rejects, outcome, settle, options, memberCode, BACKENDS, CARD_ID, CODE } from './harness.mjs';
import { startHostileServer } from './server.mjs';

const CALLS = 3;

describe('hostile servers', () => {
  const h = useHealth({ backends: BACKENDS });
  let peer;
  before(async () => { peer = await startHostileServer(h.sb); });
  after(() => peer?.close());

  for (const backend of BACKENDS) {
    describe(`crypto: '${backend}'`, () => {
      let wxpay;
      before(() => { wxpay = new Wxpay(options(h.sb, { crypto: backend, baseURL: peer.baseURL })); });
      after(() => wxpay?.free());
      const check = (label) => h.check(label, backend);

      /** `path` on the hostile server, CALLS times, each rejecting `code`. */
      const peerCase = (name, path, code, config = {}) => test(name, () => hostileLoop(`${backend}: ${name}`, {
        n: CALLS,
        call: () => wxpay.v3.hostile[path].get(config),
        expect: rejects(code),
        health: check,
      }));

      test('the client works against the sandbox', () => check('baseline'));
      peerCase('connection reset mid-headers: ERR_NETWORK', 'reset-headers', 'ERR_NETWORK');
      peerCase('connection reset mid-body: ERR_NETWORK', 'reset-body', 'ERR_NETWORK');
      test('a body dripping one byte per 50 ms against timeout 300: ERR_TIMEOUT in time', async () => {
        const t0 = performance.now();
        const r = await settle(() => wxpay.v3.hostile.drip.get({ timeout: 300 }), 3000);
        const elapsed = performance.now() - t0;
        assert.equal(rejects('ERR_TIMEOUT')(r), null, outcome(r));
        assert.ok(elapsed >= 290 && elapsed < 1300, `settled after ${elapsed.toFixed(0)} ms`);
        await check('drip');
      });
      peerCase('each Wechatpay-* header twice, same value: ERR_RESPONSE_TIMESTAMP', 'dup-identical', 'ERR_RESPONSE_TIMESTAMP');
      peerCase('Wechatpay-Signature twice (forged, right): ERR_RESPONSE_SIGNATURE', 'dup-signature', 'ERR_RESPONSE_SIGNATURE');
      peerCase('Wechatpay-Timestamp twice (now, 400 s ago): ERR_RESPONSE_TIMESTAMP', 'dup-timestamp', 'ERR_RESPONSE_TIMESTAMP');
      peerCase('Wechatpay-Serial twice (right, unknown): ERR_RESPONSE_SERIAL', 'dup-serial', 'ERR_RESPONSE_SERIAL');
      peerCase('a signed JSON answer that is not UTF-8: ERR_RESPONSE_BODY', 'invalid-utf8', 'ERR_RESPONSE_BODY');

      test('a 302 to another host: the Authorization header never reaches it', async (t) => {
        // localhost is another origin than 127.0.0.1: the sandbox there records what it gets.
        const to = `${h.sb.baseURL.replace('127.0.0.1', 'localhost')}v3/sandbox/echo`;
        const before = h.sb.requests.length;
        const r = await settle(() => wxpay.v3.hostile.redirect.get({ params: { to } }));
        const reached = h.sb.requests.slice(before);
      t.diagnostic(`${outcome(r)}; the other host got ${reached.length} request(s)`);
        for (const req of reached) assert.equal(req.headers.authorization, undefined, 'the redirect target received our Authorization header');
        // Followed without credentials, the target refuses it (401 SIGN_ERROR); not followed, the
        // 302 itself is the error. Either way it never resolves as a success.
        assert.ok('error' in r, outcome(r));
        assert.ok(reached.length ? r.error.code === 'SIGN_ERROR' : r.error.code === 'ERR_HTTP_STATUS', `${outcome(r)} (target reached ${reached.length}×)`);
        await check('redirect');
      });

      // The sandbox's own misbehaviour modes, on this backend.
      const sandboxCase = (name, mode, code) => test(name, () => hostileLoop(`${backend}: ${name}`, {
        n: CALLS,
        call: () => {
          h.sb.misbehave(mode);
          return memberCode(h.clients[backend]).get({ card_id: CARD_ID, code: CODE });
        },
        expect: rejects(code),
        health: check,
      }));
      sandboxCase('clock skew: a timestamp 360 s old: ERR_RESPONSE_TIMESTAMP', 'stale', 'ERR_RESPONSE_TIMESTAMP');
      sandboxCase('clock skew: a timestamp 360 s ahead: ERR_RESPONSE_TIMESTAMP', 'future', 'ERR_RESPONSE_TIMESTAMP');
      sandboxCase('a wrong signature: ERR_RESPONSE_SIGNATURE', 'forged', 'ERR_RESPONSE_SIGNATURE');
      sandboxCase('an unknown serial: ERR_RESPONSE_SERIAL', 'unknown-serial', 'ERR_RESPONSE_SERIAL');
      sandboxCase('unsigned: ERR_RESPONSE_UNSIGNED', 'unsigned', 'ERR_RESPONSE_UNSIGNED');
    });
  }
});
