// A hostile WeChat Pay peer on 127.0.0.1, on raw TCP so it can do what no well-behaved HTTP
// server does: reset mid-headers or mid-body, drip, repeat the Wechatpay-* headers, send a
// gzip bomb, redirect, stream answers of any size without holding them, or declare a body it
// never sends. Answers are signed (when a case calls for it) with the sandbox's platform key,
// so the only fault is the one under test. Not a test file.
//
// Routes, all under /v3/hostile/ (query in brackets):
//   reset-headers            200 status line and half a header, then a TCP reset
//   reset-body               signed headers for 1000 bytes, 100 bytes, then a TCP reset
//   drip [ms=50]             a signed 40-byte JSON answer, one byte every `ms`
//   dup-identical            each Wechatpay-* header twice, same value
//   dup-signature            Wechatpay-Signature twice: a forged one, then the right one
//   dup-timestamp            Wechatpay-Timestamp twice: now and 400 s ago (signed over now)
//   dup-serial               Wechatpay-Serial twice: the platform's, then an unknown one
//   gzip-bomb                Content-Encoding: gzip, ~1.2 MB compressed, 1.25 GiB inflated (signed)
//   redirect [to]            302 to `to`
//   invalid-utf8             a signed application/json body that is not UTF-8
//   big [bytes, signed=0|1, declare=0|1, status=200]
//                            `bytes` of answer streamed (chunked unless declare=1), never
//                            held in memory; signed=1 signs it (computed by streaming)
//   declared [bytes]         signed headers declaring Content-Length `bytes`, then no body
import net from 'node:net';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { signAnswer, nonce as makeNonce } from '../sandbox/index.mjs';

const CHUNK = 1 << 20;
const unixNow = () => Math.floor(Date.now() / 1000);

/** The answer of `/big`: `{"pad":"aaa..."}` of exactly `bytes` bytes, as a chunk generator. */
function* bigBody(bytes) {
  const head = Buffer.from('{"pad":"');
  const tail = Buffer.from('"}');
  if (bytes < head.length + tail.length) {
    yield Buffer.alloc(bytes, 0x61);
    return;
  }
  yield head;
  const fill = Buffer.alloc(CHUNK, 0x61);
  let left = bytes - head.length - tail.length;
  while (left > 0) {
    const n = Math.min(left, CHUNK);
    yield n === CHUNK ? fill : fill.subarray(0, n);
    left -= n;
  }
  yield tail;
}

/** RSA-SHA256 over `${ts}\n${nonce}\n${body}\n`, the body given as chunks. */
function signChunks(privateKey, ts, nonceStr, chunks) {
  const s = crypto.createSign('sha256');
  s.update(`${ts}\n${nonceStr}\n`);
  for (const c of chunks) s.update(c);
  s.update('\n');
  return s.sign(privateKey, 'base64');
}

/** gzip of 1.25 GiB of zeros in ~1.2 MB: one deflate stream of 20 independent 64 MiB blocks. */
let bombCache;
function gzipBomb() {
  if (bombCache) return bombCache;
  const block = Buffer.alloc(64 << 20);
  const times = 20;
  // Z_FULL_FLUSH ends the part on a byte boundary with no back-references into it, so
  // identical parts can be concatenated; an empty final block closes the stream.
  const part = zlib.deflateRawSync(block, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const last = zlib.deflateRawSync(Buffer.alloc(0));
  let crc = 0;
  for (let i = 0; i < times; i++) crc = zlib.crc32(block, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((block.length * times) % 2 ** 32, 4);
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
  const gz = Buffer.concat([header, ...Array(times).fill(part), last, trailer]);
  bombCache = { gz, inflated: block.length * times, chunks: () => Array(times).fill(block) };
  return bombCache;
}

/**
 * Starts the hostile server. `sb` is a started sandbox (its platform key signs).
 * Returns { baseURL, requests, written, close() }: `requests` lists { method, path, headers }
 * as received, `written` the body bytes each /big answer got onto the wire.
 */
export async function startHostileServer(sb) {
  const platformKey = crypto.createPrivateKey(sb.platform.privateKeyPkcs8);
  const serial = sb.platform.serial;
  const requests = [];
  const written = [];
  const sockets = new Set();
  const signCache = new Map();

  const signedHeaders = (body, { ts = `${unixNow()}`, n = makeNonce() } = {}) => ({
    'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': n, 'Wechatpay-Signature': signAnswer(platformKey, ts, n, body), 'Wechatpay-Serial': serial,
  });
  const head = (status, headers) => {
    const lines = [`HTTP/1.1 ${status} ${status === 200 ? 'OK' : status === 302 ? 'Found' : 'Status'}`, 'Request-ID: hostile', 'Connection: close'];
    for (const [k, v] of Array.isArray(headers) ? headers : Object.entries(headers)) lines.push(`${k}: ${v}`);
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  };
  const answer = (socket, status, headers, body) => {
    socket.end(Buffer.concat([head(status, { ...headers, 'Content-Length': body.length }), body]));
  };

  /** Writes chunks with backpressure until done or the peer leaves; returns the bytes written. */
  async function stream(socket, chunks, chunked) {
    let total = 0;
    for (const c of chunks) {
      if (socket.destroyed) break;
      const framed = chunked ? [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')] : [c];
      let ok = true;
      for (const f of framed) ok = socket.write(f) && ok;
      total += c.length;
      if (!ok) {
        await new Promise((resolve) => {
          const done = () => { socket.off('drain', done); socket.off('close', done); resolve(); };
          socket.on('drain', done);
          socket.on('close', done);
        });
      }
    }
    if (!socket.destroyed) socket.end(chunked ? Buffer.from('0\r\n\r\n') : undefined);
    return total;
  }

  async function route(socket, method, path, query) {
    const q = new URLSearchParams(query);
    const name = path.replace(/^\/v3\/hostile\//, '');
    const json = (o) => Buffer.from(JSON.stringify(o));
    switch (name) {
      case 'reset-headers':
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: applic');
        setTimeout(() => socket.resetAndDestroy(), 20);
        return;
      case 'reset-body': {
        const body = Buffer.alloc(1000, 0x61);
        socket.write(head(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 1000, ...signedHeaders(body) }));
        socket.write(body.subarray(0, 100));
        setTimeout(() => socket.resetAndDestroy(), 20);
        return;
      }
      case 'drip': {
        const body = json({ drip: 'x'.repeat(28) }); // 40 bytes
        const ms = Number(q.get('ms') ?? 50);
        socket.write(head(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, ...signedHeaders(body) }));
        for (let i = 0; i < body.length && !socket.destroyed; i++) {
          socket.write(body.subarray(i, i + 1));
          await new Promise((r) => setTimeout(r, ms));
        }
        socket.end();
        return;
      }
      case 'dup-identical':
      case 'dup-signature':
      case 'dup-timestamp':
      case 'dup-serial': {
        const body = json({ ok: true });
        const ts = `${unixNow()}`;
        const good = signedHeaders(body, { ts });
        const list = [['Content-Type', 'application/json'], ['Content-Length', body.length]];
        for (const [k, v] of Object.entries(good)) {
          list.push([k, v]);
          if (name === 'dup-identical') list.push([k, v]);
        }
        if (name === 'dup-signature') list.splice(2, 0, ['Wechatpay-Signature', signAnswer(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, ts, good['Wechatpay-Nonce'], body)]);
        if (name === 'dup-timestamp') list.push(['Wechatpay-Timestamp', `${unixNow() - 400}`]);
        if (name === 'dup-serial') list.push(['Wechatpay-Serial', '7'.repeat(40)]);
        socket.end(Buffer.concat([head(200, list), body]));
        return;
      }
      case 'gzip-bomb': {
        const bomb = gzipBomb();
        const key = 'gzip-bomb';
        const ts = `${unixNow()}`;
        const n = makeNonce();
        if (!signCache.has(key) || unixNow() - signCache.get(key).at > 60) signCache.set(key, { at: unixNow(), ts, n, sig: signChunks(platformKey, ts, n, bomb.chunks()) });
        const s = signCache.get(key);
        socket.write(head(200, {
          'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip', 'Content-Length': bomb.gz.length,
          'Wechatpay-Timestamp': s.ts, 'Wechatpay-Nonce': s.n, 'Wechatpay-Signature': s.sig, 'Wechatpay-Serial': serial,
        }));
        await stream(socket, [bomb.gz], false);
        return;
      }
      case 'redirect':
        socket.end(head(302, { Location: q.get('to'), 'Content-Length': 0 }));
        return;
      case 'invalid-utf8': {
        const body = Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]);
        answer(socket, 200, { 'Content-Type': 'application/json; charset=utf-8', ...signedHeaders(body) }, body);
        return;
      }
      case 'big': {
        const bytes = Number(q.get('bytes'));
        const status = Number(q.get('status') ?? 200);
        const declare = q.get('declare') === '1';
        const headers = { 'Content-Type': q.get('type') ?? 'application/json' };
        if (declare) headers['Content-Length'] = bytes;
        else headers['Transfer-Encoding'] = 'chunked';
        if (q.get('signed') === '1') {
          const key = `big:${bytes}`;
          if (!signCache.has(key) || unixNow() - signCache.get(key).at > 60) {
            const ts = `${unixNow()}`;
            const n = makeNonce();
            signCache.set(key, { at: unixNow(), ts, n, sig: signChunks(platformKey, ts, n, bigBody(bytes)) });
          }
          const s = signCache.get(key);
          Object.assign(headers, { 'Wechatpay-Timestamp': s.ts, 'Wechatpay-Nonce': s.n, 'Wechatpay-Signature': s.sig, 'Wechatpay-Serial': serial });
        }
        socket.write(head(status, headers));
        const entry = { path: `${path}?${query}`, written: 0, done: false };
        written.push(entry);
        entry.written = await stream(socket, bigBody(bytes), !declare);
        entry.done = true;
        return;
      }
      case 'declared': {
        const bytes = Number(q.get('bytes'));
        socket.write(head(200, { 'Content-Type': 'application/json', 'Content-Length': bytes, ...signedHeaders(Buffer.alloc(0)) }));
        return; // and never a byte of body: only the client can end this
      }
      default:
        answer(socket, 404, { 'Content-Type': 'application/json' }, json({ code: 'RESOURCE_NOT_EXISTS', message: `hostile: no route ${method} ${path}` }));
    }
  }

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    const onData = (d) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.on('data', () => {}); // drain any request body
      const [line, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const [method, target] = line.split(' ');
      const headers = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const qi = target.indexOf('?');
      const [path, query] = qi < 0 ? [target, ''] : [target.slice(0, qi), target.slice(qi + 1)];
      requests.push({ method, path, query, headers });
      route(socket, method, path, query).catch((e) => {
        if (!socket.destroyed) socket.destroy(e);
      });
    };
    socket.on('data', onData);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${server.address().port}/`,
    requests,
    written,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
