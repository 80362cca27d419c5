// What making a result's `headers` costs in Node, step by step: each build's `headerObject` (taken
// from its boundary.js as text), beside iterating undici's `Headers` alone, `Object.fromEntries` of
// it and the six `get()`s the floor makes. Each request is a fresh answer from a local server with
// ten headers, one at a time, the ways taken in turn (the network code runs between them, as in real
// use); the first quarter of the requests is not counted. µs a way, medians and means.
//   node bench/profile/headers.mjs [requests=12000] dir...
//   node bench/profile/headers.mjs 12000 .work/pkg-before pkg
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [count = '12000', ...dirs] = process.argv.slice(2);
const requests = Number(count);
if (!(requests > 0) || !dirs.length) {
  console.error('usage: node bench/profile/headers.mjs [requests] dir...');
  process.exit(2);
}

/**
 * The `headerObject` of the build in `dir`, made from its source (with the two names it uses, and
 * `fieldValue` where the build has it: since 2026-12-07).
 */
function headerObjectOf(dir) {
  const text = readFileSync(resolve(dir, 'boundary.js'), 'utf8');
  const fn = (name) => {
    const at = text.indexOf(`\nfunction ${name}(`);
    const end = text.indexOf('\n}\n', at);
    return at === -1 || end === -1 ? undefined : text.slice(at, end + 2);
  };
  const source = fn('headerObject');
  if (source === undefined) throw new Error(`${dir}/boundary.js has no headerObject`);
  return new Function('MAX_TEXT', 'headersTooLarge', `${fn('fieldValue') ?? ''}${source}\nreturn headerObject;`)(1 << 20, () => new Error('too large'));
}

const SIGNATURE = 'b'.repeat(344);
const server = http.createServer((req, res) => {
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Request-ID': '08F78BB5AF0610C1E6F2D9F50F2E0A1A0',
    'Wechatpay-Nonce': 'a'.repeat(32),
    'Wechatpay-Serial': '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    'Wechatpay-Signature': SIGNATURE,
    'Wechatpay-Timestamp': String(Math.floor(Date.now() / 1000)),
    Server: 'nginx',
    'Cache-Control': 'no-cache, must-revalidate',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end('{"card_id":"pY7xGs0sMdNN9PVCvtJNl-6DJdIY","code":"300000001","state":"ACTIVE"}');
}).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const ways = {
  nothing: () => undefined,
  'iterate only': (h) => { let n = 0; for (const pair of h) n += pair[1].length; return n; },
  'six get()s': (h) => [h.get('wechatpay-serial'), h.get('wechatpay-signature'), h.get('wechatpay-timestamp'), h.get('wechatpay-nonce'), h.get('request-id'), h.get('content-type')],
  'Object.fromEntries': (h) => Object.fromEntries(h),
  ...Object.fromEntries(dirs.map((dir) => {
    const headerObject = headerObjectOf(dir);
    return [`headerObject of ${dir}`, (h) => headerObject(h, 200)];
  })),
};
const names = Object.keys(ways);
const times = names.map(() => []);
let kept;
for (let i = 0; i < requests; i++) {
  const k = i % names.length;
  const response = await fetch(url);
  const t0 = performance.now();
  kept = ways[names[k]](response.headers);
  const t1 = performance.now();
  await response.arrayBuffer();
  if (i >= requests / 4) times[k].push((t1 - t0) * 1000);
}
server.close();
if (kept === null) console.log(kept);
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log(`${requests} requests, one at a time, the ways in turn: µs a way`);
names.forEach((name, k) => {
  const mean = times[k].reduce((a, b) => a + b, 0) / times[k].length;
  console.log(`${name.padEnd(36)} median ${median(times[k]).toFixed(2).padStart(6)}  mean ${mean.toFixed(2).padStart(6)}`);
});
