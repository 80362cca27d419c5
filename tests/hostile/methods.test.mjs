// The client's other entry points with hostile arguments (issue 10, item 1):
// `notifications.parse`, `sign`, `verify`, `encrypt`, `decrypt`, `decryptResource`. Each must
// return a promise that rejects ERR_INVALID_PARAM (never throw synchronously, never a raw
// Error), LOOPS times in a row, with health checks as in caller.test.mjs. Where a Proxy of a
// valid argument has a trap the package never reaches, the call must simply succeed.
import test from 'node:test';
import crypto from 'node:crypto';
import { useHealth, hostileLoop, rejects, outcome, thrown, throwingGetter, trapProxy, TRAPS, revoked, detachedBuffer, outOfBounds } from './harness.mjs';

const h = useHealth({ extra: (sb) => ({ apiv3Key: sb.apiv3Key }) });
const PAYMENT = { out_trade_no: 'H-1', trade_state: 'SUCCESS', amount: { total: 1 } };

/** `make()` gives `{ value, hits? }`; without `hits` the call must reject whatever happens. */
function methodCase(name, make, call, ok) {
  test(name, async () => {
    const made = make(); // { value, hits? } or the { obj, hits } of throwingGetter/trapProxy
    const { hits } = made;
    const value = 'value' in made ? made.value : made.obj;
    let before = 0;
    await hostileLoop(name, {
      call: () => {
        before = hits ? hits.n : 0;
        return call(h.client, value);
      },
      expect: (r) => {
        if (hits && hits.n === before) return 'value' in r && ok(r.value) ? null : `${outcome(r)}; nothing threw, so the call should have succeeded`;
        return rejects('ERR_INVALID_PARAM')(r);
      },
      health: (label) => h.check(label),
    });
  });
}

test('baseline: the health check passes before any hostile case', () => h.check('baseline'));

// ---- notifications.parse ----
// A fresh, valid notification per case (its timestamp must be within 300 s of the loop).
const notification = () => h.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT });
const parse = (client, input) => client.notifications.parse(input);
const parsed = (n) => n?.resource?.out_trade_no === 'H-1';

methodCase('parse: input with a throwing `headers` getter', () => {
  const { body } = notification();
  return throwingGetter('headers', thrown('input.headers'), { body });
}, parse, parsed);
methodCase('parse: input with a throwing `body` getter', () => {
  const { headers } = notification();
  return throwingGetter('body', thrown('input.body'), { headers });
}, parse, parsed);
methodCase('parse: input.headers with a throwing Wechatpay-Signature getter', () => {
  const { headers, body } = notification();
  const { ['Wechatpay-Signature']: _, ...rest } = headers;
  const { obj, hits } = throwingGetter('Wechatpay-Signature', thrown('headers getter'), rest);
  return { value: { headers: obj, body }, hits };
}, parse, parsed);
methodCase('parse: a Headers-like input.headers whose get() throws', () => {
  const { body } = notification();
  const hits = { n: 0 };
  const err = thrown('headers.get');
  return { value: { headers: { get() { hits.n++; throw err; } }, body }, hits };
}, parse, parsed);
for (const trap of TRAPS) {
  methodCase(`parse: input.headers a Proxy whose ${trap} trap throws`, () => {
    const { headers, body } = notification();
    const { obj, hits } = trapProxy(trap, thrown(`headers ${trap}`), { ...headers });
    return { value: { headers: obj, body }, hits };
  }, parse, parsed);
  methodCase(`parse: input a Proxy whose ${trap} trap throws`, () => {
    const { headers, body } = notification();
    return trapProxy(trap, thrown(`input ${trap}`), { headers, body });
  }, parse, parsed);
}
methodCase('parse: input.headers a revoked Proxy', () => ({ value: { headers: revoked(), body: notification().body } }), parse);
methodCase('parse: input a revoked Proxy', () => ({ value: revoked() }), parse);
methodCase('parse: a Request-like input whose arrayBuffer() throws', () => {
  const { headers } = notification();
  const hits = { n: 0 };
  const err = thrown('arrayBuffer()');
  return { value: { headers: new Headers(headers), arrayBuffer() { hits.n++; throw err; } }, hits };
}, parse, parsed);
methodCase('parse: a Request-like input whose arrayBuffer() rejects', () => {
  const { headers } = notification();
  const hits = { n: 0 };
  const err = thrown('arrayBuffer() rejection');
  return { value: { headers: new Headers(headers), arrayBuffer() { hits.n++; return Promise.reject(err); } }, hits };
}, parse, parsed);
methodCase('parse: a Request-like input whose arrayBuffer getter throws', () => {
  const { headers } = notification();
  return throwingGetter('arrayBuffer', thrown('arrayBuffer getter'), { headers: new Headers(headers) });
}, parse, parsed);
methodCase('parse: input.body a detached ArrayBuffer', () => ({ value: { headers: notification().headers, body: detachedBuffer(300) } }), parse);
methodCase('parse: input.body a Uint8Array on a detached ArrayBuffer', () => {
  const { headers, body } = notification();
  const bytes = new Uint8Array(body);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return { value: { headers, body: bytes } };
}, parse);

// One of the client's own chain nodes as the input or its headers (helper-173): its `headers.get`
// is a verb, each call of which starts a request that rejects (a header name is no request
// config). Those promises are no header, and none may be left unhandled (hostileLoop checks).
methodCase("parse: input one of the client's chain nodes", () => ({ value: h.client.v3.pay.transactions }), parse);
test("parse: input.headers one of the client's chain nodes", async () => {
  const name = "parse: input.headers one of the client's chain nodes";
  const { body } = notification();
  await hostileLoop(name, {
    call: () => parse(h.client, { headers: h.client.v3.pay.transactions, body }),
    expect: rejects('ERR_NOTIFY_UNSIGNED'),
    health: (label) => h.check(label),
  });
});

// ---- sign, verify, encrypt, decrypt: arguments that are neither text nor bytes, or unreadable ----
function hostileArgs(label) {
  const args = TRAPS.map((trap) => [`a Proxy whose ${trap} trap throws`, () => trapProxy(trap, thrown(`${label} ${trap}`)).obj]);
  args.push(['a revoked Proxy', () => revoked()]);
  args.push(['an object whose toString and Symbol.toPrimitive throw', () => {
    const err = thrown(`${label} coercion`);
    return { toString() { throw err; }, [Symbol.toPrimitive]() { throw err; } };
  }]);
  args.push(['a Uint8Array on a detached ArrayBuffer', () => {
    const bytes = new Uint8Array(32);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    return bytes;
  }]);
  args.push(['a detached ArrayBuffer', () => detachedBuffer(32)]);
  // Its getters read 0 bytes: once taken for an empty message, and signed (helper-173).
  args.push(['a Uint8Array out of the bounds of its resizable ArrayBuffer, shrunk since', () => outOfBounds(32)]);
  return args;
}
const MESSAGE = 'pay 中文';
const signatureOf = () => crypto.sign('sha256', Buffer.from(MESSAGE), h.key).toString('base64');
for (const [what, make] of hostileArgs('sign')) {
  methodCase(`sign(${what})`, () => ({ value: make() }), (c, v) => c.sign(v));
  methodCase(`verify(${what}, signature, serial)`, () => ({ value: make() }), (c, v) => c.verify(v, signatureOf(), h.sb.merchant.serial));
  methodCase(`verify(message, ${what}, serial)`, () => ({ value: make() }), (c, v) => c.verify(MESSAGE, v, h.sb.platform.serial));
  methodCase(`verify(message, signature, ${what})`, () => ({ value: make() }), (c, v) => c.verify(MESSAGE, signatureOf(), v));
  methodCase(`encrypt(${what})`, () => ({ value: make() }), (c, v) => c.encrypt(v));
  methodCase(`decrypt(${what})`, () => ({ value: make() }), (c, v) => c.decrypt(v));
}

// ---- decryptResource ----
const resource = () => notification().envelope.resource;
const decrypted = (text) => typeof text === 'string' && JSON.parse(text).out_trade_no === 'H-1';
const decryptResource = (c, v) => c.decryptResource(v);
for (const key of ['ciphertext', 'nonce', 'associated_data', 'algorithm']) {
  methodCase(`decryptResource: resource with a throwing \`${key}\` getter`, () => {
    const { [key]: _, ...rest } = resource();
    return throwingGetter(key, thrown(`resource.${key}`), rest);
  }, decryptResource, decrypted);
}
for (const trap of TRAPS) {
  methodCase(`decryptResource: a Proxy whose ${trap} trap throws`, () => trapProxy(trap, thrown(`resource ${trap}`), resource()), decryptResource, decrypted);
}
methodCase('decryptResource: a revoked Proxy', () => ({ value: revoked() }), decryptResource);
