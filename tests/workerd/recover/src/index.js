// Test-only Worker over the test build of the package. Routes:
//   GET /trap?kind=K       K = unreachable | out of memory | stack overflow
//                          -> { threw, code, cause: { name, message }, recoveries }
//   GET /check?message=M   with the client made at the first request: the seed GET, sign(M);
//                          and the seed GET on a new client -> { status, signature, fresh, memory }
//   GET /inflight          a slow request on the long-lived client, then a trap in a microtask
//                          -> { code, cause }, then the seed GET -> { after }
//   GET /soak?n=N          N times: a trap (kinds in turn), then the seed GET and a signature
//                          on the long-lived client -> { n, memory: [...], ms: [...] }
//   GET /forget?n=N[&timeout=T]  N slow GETs (60 s; with `timeout: T` if given) on the
//                          long-lived client, not awaited: the request ends at once, and workerd
//                          with it their fetches and timers -> { parked }
//   GET /parked            garbage made, and a few macrotasks -> { parked, memory }
import { Wxpay, WxpayError } from '../../../../.work/test-pkg/workerd.mjs';
import { kinds, trapAfter, memoryBytes, parkedCount } from '../../../../.work/test-pkg/traps.mjs';
import { makeGarbage } from '../../../common/streams.mjs';

let client;
let recoveries = 0;
Wxpay.onRecover = (info) => {
  recoveries = info.count;
};

const options = (env) => ({
  mchid: env.WXPAY_MCHID,
  serial: env.WXPAY_SERIAL,
  privateKey: env.WXPAY_PRIVATE_KEY,
  certs: { [env.WXPAY_PLATFORM_SERIAL]: env.WXPAY_PLATFORM_CERT },
  baseURL: env.WXPAY_BASE_URL,
});
const seed = (w, env) => w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: env.CARD_ID, code: env.CODE });
const described = (e) => ({ threw: true, code: e instanceof WxpayError ? e.code : null, cause: { name: e.cause?.name, message: e.cause?.message } });

function trap(kind) {
  try {
    kinds[kind]();
    return { threw: false };
  } catch (e) {
    return described(e);
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    client ??= new Wxpay(options(env));
    const node = client.v3.marketing.membercardOpen.cards._card_id_.codes._code_;
    switch (url.pathname) {
      case '/trap': {
        const r = trap(url.searchParams.get('kind'));
        await null; // onRecover runs in a microtask
        return Response.json({ ...r, recoveries });
      }
      case '/check': {
        const { status } = await node.get({ card_id: env.CARD_ID, code: env.CODE });
        const signature = await client.sign(url.searchParams.get('message'));
        const fresh = (await seed(new Wxpay(options(env)), env)).status;
        return Response.json({ status, signature, fresh, memory: memoryBytes() });
      }
      case '/inflight': {
        const slow = client.v3.sandbox.slow.get({ params: { ms: 300 } });
        trapAfter(new Promise((resolve) => setTimeout(resolve, 20)));
        const r = await slow.then(() => ({ threw: false }), described);
        return Response.json({ ...r, after: (await seed(client, env)).status });
      }
      case '/soak': {
        const n = Number(url.searchParams.get('n'));
        const names = Object.keys(kinds);
        const memory = [];
        const ms = [];
        for (let i = 0; i < n; i++) {
          const r = trap(names[i % names.length]);
          if (r.code !== 'ERR_INTERNAL') return Response.json({ failed: i, r }, { status: 500 });
          const t0 = Date.now(); // advances at I/O only in workerd: the trap-to-answer time
          const { status } = await node.get({ card_id: env.CARD_ID, code: env.CODE });
          ms.push(Date.now() - t0);
          if (status !== 200) return Response.json({ failed: i, status }, { status: 500 });
          await client.sign('soak');
          if ((i + 1) % (n / 10) === 0) memory.push(memoryBytes());
        }
        return Response.json({ n, memory, ms, recoveries });
      }
      case '/forget': {
        const timeout = url.searchParams.has('timeout') ? Number(url.searchParams.get('timeout')) : undefined;
        for (let i = 0; i < Number(url.searchParams.get('n')); i++) client.v3.sandbox.slow.get({ params: { ms: 60000 }, timeout }).catch(() => {});
        return Response.json({ parked: parkedCount() });
      }
      case '/parked': {
        for (let i = 0; i < 20; i++) {
          makeGarbage();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return Response.json({ parked: parkedCount(), memory: memoryBytes() });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
