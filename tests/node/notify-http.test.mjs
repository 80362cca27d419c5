// notifications.parse(req): node:http's request handed over itself, its body read by the package
// (README, Notifications), on a real node:http server, its clients real sockets: the body within
// 1 MiB, a body that never ends when unsigned, a client that goes away mid-body, a body a parser
// read first, text chunks.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { EventEmitter, once } from 'node:events';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { useSandbox, options } from './helpers.mjs';

const ctx = useSandbox();
const PAID = { out_trade_no: 'HTTP-1', trade_state: 'SUCCESS' };

/**
 * A node:http server whose handler is README's: parse(req), 204 when handled, 401 and a fixed
 * message when refused. `before(req)` runs first (to read the body, set an encoding). Each
 * outcome is pushed to `outcomes`, a promise per request.
 */
async function merchant(t, before = () => {}) {
  const wxpay = new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key }));
  const outcomes = [];
  const server = http.createServer((req, res) => {
    outcomes.push((async () => {
      await before(req);
      try {
        const notification = await wxpay.notifications.parse(req);
        res.writeHead(204).end();
        return notification;
      } catch (err) {
        const answer = wxpay.notifications.failure('rejected', err.code === 'ERR_INVALID_PARAM' ? 400 : 401);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
        return err;
      }
    })());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  return { wxpay, outcomes, port: server.address().port, url: `http://127.0.0.1:${server.address().port}/notify` };
}

/** The outcome of the server's first request, once it has one. */
async function first(outcomes) {
  while (outcomes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  return outcomes[0];
}

/** A raw socket to `port` that sends `n`'s head and ten bytes of its body, then goes away. */
async function leaveMidBody(port, n) {
  const { s } = await socket(port);
  s.write(head(n.headers, `Content-Length: ${n.body.length}\r\n`));
  s.write(n.body.subarray(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 50));
  s.destroy();
}

/**
 * Node's request as a caller could make it: an EventEmitter with `n`'s headers (lower-case names,
 * as node:http gives them), a `resume` that counts its calls, and `extra`'s members.
 */
function emitterRequest(n, extra = {}) {
  const headers = Object.fromEntries(Object.entries(n.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.assign(new EventEmitter(), { headers, resumed: 0, resume() { this.resumed++; } }, extra);
}

/** The raw HTTP head of a POST to the server with `headers` (an object). */
const head = (headers, framing) => `POST /notify HTTP/1.1\r\nHost: merchant.example\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}${framing}\r\n`;

/** A raw socket to `port`, its answer's status line once it comes. */
async function socket(port) {
  const s = net.connect(port, '127.0.0.1');
  await once(s, 'connect');
  let text = '';
  const answered = new Promise((resolve) => s.on('data', (c) => {
    text += c;
    if (text.includes('\r\n\r\n')) resolve(text.slice(0, text.indexOf('\r\n')));
  }));
  s.on('error', () => {});
  return { s, answered };
}

test('node:http: parse(req) reads the body and verifies it; the same notification as given by { headers, body }', async (t) => {
  const { wxpay, outcomes, url } = await merchant(t);
  const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID });
  const r = await fetch(url, { method: 'POST', headers: n.headers, body: n.body });
  assert.equal(r.status, 204);
  const got = await outcomes[0];
  assert.ok(!(got instanceof Error), String(got));
  assert.deepEqual(got, await wxpay.notifications.parse({ headers: n.headers, body: n.body }));
  assert.equal(got.resource.out_trade_no, 'HTTP-1');
  // In many chunks (chunked framing), and forged: refused as the signature says.
  const chunked = await fetch(url, { method: 'POST', headers: n.headers, body: new Blob([n.body]).stream(), duplex: 'half' });
  assert.equal(chunked.status, 204);
  const forged = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID, misbehave: 'forged' });
  assert.equal((await fetch(url, { method: 'POST', headers: forged.headers, body: forged.body })).status, 401);
  assert.equal((await outcomes[2]).code, 'ERR_NOTIFY_SIGNATURE');
});

test('node:http: a body past 1 MiB is refused as it passes, and the server still answers on the connection', async (t) => {
  const { outcomes, port } = await merchant(t);
  const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID });
  // Announced as 8 MiB; 1.5 MiB is sent, and nothing more until the answer.
  const { s, answered } = await socket(port);
  s.write(head(n.headers, `Content-Length: ${8 << 20}\r\n`));
  s.write(Buffer.alloc(1536 * 1024, 0x20));
  const err = await first(outcomes);
  assert.ok(err instanceof WxpayError, String(err));
  assert.equal(err.code, 'ERR_INVALID_PARAM');
  assert.equal(err.message, 'notifications.parse(input): the request body is longer than 1048576 bytes');
  assert.equal(await answered, 'HTTP/1.1 400 Bad Request');
  s.destroy();
});

test('node:http: an unsigned request is refused on its headers, its body (one that never ends) not waited for', async (t) => {
  const { outcomes, port } = await merchant(t);
  const { s, answered } = await socket(port);
  s.write(head({ 'Content-Type': 'application/json', 'Request-ID': 'rid-http' }, 'Transfer-Encoding: chunked\r\n'));
  s.write('4\r\n{"a"\r\n');
  // The chunked body is never ended.
  assert.equal(await answered, 'HTTP/1.1 401 Unauthorized');
  const err = await first(outcomes);
  assert.equal(err.code, 'ERR_NOTIFY_UNSIGNED');
  assert.equal(err.requestId, 'rid-http');
  s.destroy();
});

test('node:http: a client that goes away mid-body: parse rejects, nothing reaches the process, the server goes on', async (t) => {
  const { outcomes, port, url } = await merchant(t);
  const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID });
  const faults = [];
  const fault = (e) => faults.push(e);
  process.on('uncaughtException', fault);
  process.on('unhandledRejection', fault);
  t.after(() => {
    process.off('uncaughtException', fault);
    process.off('unhandledRejection', fault);
  });
  await leaveMidBody(port, n);
  const err = await first(outcomes);
  assert.ok(err instanceof WxpayError, String(err));
  assert.equal(err.code, 'ERR_INVALID_PARAM');
  // Node emits the request's `error` (ECONNRESET, "aborted") before its `close`.
  assert.equal(err.message, 'notifications.parse(input): reading the request body failed (its client went away?): Error: aborted');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(faults, []);
  // The server, and the client, go on.
  assert.equal((await fetch(url, { method: 'POST', headers: n.headers, body: n.body })).status, 204);
});

test('node:http: a body read already, or read as text, is refused saying so', async (t) => {
  const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID });
  // A parser (here, the handler itself) read it first.
  const read = await merchant(t, async (req) => {
    for await (const chunk of req) void chunk;
  });
  assert.equal((await fetch(read.url, { method: 'POST', headers: n.headers, body: n.body })).status, 400);
  assert.equal((await read.outcomes[0]).message, `notifications.parse(input): input is Node's request, whose body has been read already (by a body parser: express.json(), express.raw(), koa-bodyparser?): pass { headers: req.headers, body } with the raw body the parser kept (README, "In Node's frameworks")`);
  // Its encoding set: the chunks are text.
  const text = await merchant(t, (req) => req.setEncoding('utf8'));
  assert.equal((await fetch(text.url, { method: 'POST', headers: n.headers, body: n.body })).status, 400);
  assert.equal((await text.outcomes[0]).message, "notifications.parse(input): the request's body came as text (req.setEncoding() was called), not bytes: the signature covers the raw bytes, so leave its encoding unset");
});

test("Node's request as the caller made it: methods and chunks that throw reject ERR_INVALID_PARAM, nothing is thrown into its emitter", async () => {
  const wxpay = new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key }));
  const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID });
  const request = (extra) => emitterRequest(n, extra);
  const refused = async (req, message) => {
    const err = await wxpay.notifications.parse(req).then(() => assert.fail('parsed'), (e) => e);
    assert.ok(err instanceof WxpayError && err.code === 'ERR_INVALID_PARAM', String(err));
    assert.match(err.message, message);
  };
  // Its `on` throws.
  await refused(request({ on() { throw new Error('on'); } }), /^notifications\.parse\(input\): reading the request body threw: Error: on$/);
  // A chunk whose tag getter throws, emitted: parse rejects, emit returns.
  const tagged = request();
  const parsing = refused(tagged, /^notifications\.parse\(input\): reading a chunk of the request body threw: Error: tag$/);
  assert.equal(tagged.emit('data', { get [Symbol.toStringTag]() { throw new Error('tag'); } }), true);
  await parsing;
  // `removeListener` that throws, once the body is read: parsed all the same.
  const stuck = request({ removeListener() { throw new Error('removeListener'); } });
  const parsed = wxpay.notifications.parse(stuck);
  stuck.emit('data', n.body.subarray(0, 7));
  stuck.emit('data', n.body.subarray(7));
  stuck.emit('end');
  assert.equal((await parsed).resource.out_trade_no, 'HTTP-1');
  // Its chunks after a refusal, and its error, do nothing: the error still has a listener.
  stuck.emit('data', n.body);
  assert.doesNotThrow(() => stuck.emit('error', new Error('late')));
});

test("Node's request: a body a byte at a time is read whole; 1 MiB is within the limit, a byte more is not", async () => {
  const wxpay = new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key }));
  const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID });
  const request = () => emitterRequest(n);
  const bytewise = request();
  const parsed = wxpay.notifications.parse(bytewise);
  for (const byte of n.body) bytewise.emit('data', Buffer.of(byte));
  bytewise.emit('end');
  assert.deepEqual((await parsed).resource, (await wxpay.notifications.parse({ headers: n.headers, body: n.body })).resource);
  // Past the first buffer's 16 KiB, in chunks of 64 KiB, up to 1 MiB exactly: read whole (then
  // refused by its signature, the bytes being spaces); one byte more: too long, at that chunk.
  for (const [extra, code] of [[0, 'ERR_NOTIFY_SIGNATURE'], [1, 'ERR_INVALID_PARAM']]) {
    const req = request();
    const outcome = wxpay.notifications.parse(req).then(() => assert.fail('parsed'), (e) => e);
    for (let i = 0; i < 16; i++) req.emit('data', Buffer.alloc(65536, 0x20));
    if (extra) req.emit('data', Buffer.of(0x20));
    req.emit('end');
    const err = await outcome;
    assert.equal(err.code, code, err.message);
    assert.equal(req.resumed, extra ? 2 : 1, 'resumed when read, and again to drop the rest past the limit');
  }
});

test('node:http: a request whose client went away before parse was called says so, not that a parser read it', async (t) => {
  const { outcomes, port } = await merchant(t, () => new Promise((resolve) => setTimeout(resolve, 200)));
  const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID });
  await leaveMidBody(port, n);
  const err = await first(outcomes);
  assert.equal(err.message, "notifications.parse(input): input is Node's request, closed before its body was read (its client went away?)");
});

test("Express 4's empty body on a request its parser did not read (another content type): the request's own body is read", async () => {
  const wxpay = new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key }));
  const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAID });
  const req = emitterRequest(n, { body: {}, readableEnded: false });
  const parsed = wxpay.notifications.parse(req);
  req.emit('data', n.body);
  req.emit('end');
  assert.equal((await parsed).resource.out_trade_no, 'HTTP-1');
  // Read already (express.json() of a body "{}"): the parsed body, refused as one.
  const read = emitterRequest(n, { body: {}, readableEnded: true });
  const err = await wxpay.notifications.parse(read).then(() => assert.fail('parsed'), (e) => e);
  assert.match(err.message, /^notifications\.parse\(input\): input\.body is an object \(a parsed body: express\.json\(\)/);
});
