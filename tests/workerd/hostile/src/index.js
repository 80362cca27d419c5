// Test-only Worker: the caller-object cases of tests/hostile that make sense in workerd.
//   GET /case?name=N&n=COUNT&crypto=B  runs case N COUNT times on a client made before it;
//        -> { outcomes: { "<outcome>": count }, first: { "<outcome>": call# } }
//   POST /health?crypto=B  body: message  the seed GET on the earlier client, a signature of
//        the body by it, and the seed GET on a new client -> { seed, signature, fresh }
// Every call is raced against 3 s, so a call that never settles is an outcome, not a hang.
import { Wxpay, WxpayError } from 'wxpay-wasm';

const options = (env, extra = {}) => ({
  mchid: env.WXPAY_MCHID,
  serial: env.WXPAY_SERIAL,
  privateKey: env.WXPAY_PRIVATE_KEY,
  certs: JSON.parse(env.WXPAY_CERTS),
  baseURL: env.WXPAY_BASE_URL,
  apiv3Key: env.WXPAY_APIV3_KEY,
  ...extra,
});
const clients = new Map();
const client = (env, crypto) => {
  if (!clients.has(crypto)) clients.set(crypto, new Wxpay(options(env, { crypto })));
  return clients.get(crypto);
};
const seed = (w, env) => w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: env.CARD_ID, code: env.CODE });

const boom = () => new Error('hostile');
const getter = (key, base = {}) => Object.defineProperty({ ...base }, key, { enumerable: true, get() { throw boom(); } });
const trap = (name, target = {}) => new Proxy(target, { [name]() { throw boom(); } });
const revoked = () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; };
const detached = () => { const b = new ArrayBuffer(16); structuredClone(b, { transfer: [b] }); return b; };

/** name -> (client, env) => the call. Each must reject (or, for constructors, throw) a WxpayError. */
const CASES = {
  'config-params-getter': (w) => w.v3.sandbox.echo.get(getter('params')),
  'params-getter': (w) => w.v3.sandbox.echo.get({ params: getter('a') }),
  'params-ownKeys': (w) => w.v3.sandbox.echo.get({ params: trap('ownKeys', { a: '1' }) }),
  'headers-getter': (w) => w.v3.sandbox.echo.get({ headers: getter('x-a') }),
  'headers-get-trap': (w) => w.v3.sandbox.echo.get({ headers: trap('get', { 'x-a': '1' }) }),
  'config-revoked': (w) => w.v3.sandbox.echo.get(revoked()),
  'body-toJSON': (w) => w.v3.sandbox.echo.post({ toJSON() { throw boom(); } }),
  'body-cyclic': (w) => { const o = {}; o.o = o; return w.v3.sandbox.echo.post(o); },
  'body-detached': (w) => w.v3.sandbox.echo.post(detached()),
  'options-certs-getter': (w, env) => new Wxpay(getter('certs', options(env))),
  'certs-entry-getter': (w, env) => new Wxpay(options(env, { certs: getter(env.WXPAY_PLATFORM_SERIAL) })),
  'options-ownKeys': (w, env) => new Wxpay(options(env, { certs: trap('ownKeys', JSON.parse(env.WXPAY_CERTS)) })),
  'parse-headers-getter': (w) => w.notifications.parse({ headers: getter('wechatpay-signature'), body: '{}' }),
  'parse-headers-get-throws': (w) => w.notifications.parse({ headers: { get() { throw boom(); } }, body: '{}' }),
  'sign-detached': (w) => { const b = new ArrayBuffer(16); const view = new Uint8Array(b); structuredClone(b, { transfer: [b] }); return w.sign(view); },
  'fetch-null': (w, env) => withFetch(env, 'null', () => Promise.resolve(null)).v3.sandbox.echo.get(),
  'fetch-status-getter': (w, env) => withFetch(env, 'status', () => Promise.resolve(getter('status', { headers: new Headers(), arrayBuffer: async () => new ArrayBuffer(0) }))).v3.sandbox.echo.get(),
};

/** One client per hostile fetch, made on first use (before its loop's first call). */
const fetchClients = new Map();
function withFetch(env, name, fetch) {
  // retry: 0: each call is one fetch (retries are tested in tests/workerd/lifecycle.test.mjs)
  if (!fetchClients.has(name)) fetchClients.set(name, new Wxpay(options(env, { fetch, retry: 0 })));
  return fetchClients.get(name);
}

const within = (p, ms) => {
  let t;
  return Promise.race([p, new Promise((resolve) => { t = setTimeout(() => resolve({ hang: true }), ms); })]).finally(() => clearTimeout(t));
};

async function outcome(call) {
  let p;
  try {
    p = call();
  } catch (e) {
    return e instanceof WxpayError ? `threw WxpayError ${e.code}` : `threw synchronously ${e?.name}: ${e?.message}`;
  }
  if (!(p instanceof Promise)) {
    p?.free?.();
    return 'returned without throwing';
  }
  const r = await within(p.then((value) => ({ value }), (error) => ({ error })), 3000);
  if (r.hang) return 'never settled (3 s)';
  if ('value' in r) return `resolved (status ${r.value?.status})`;
  return r.error instanceof WxpayError ? `rejected WxpayError ${r.error.code}` : `rejected with a non-WxpayError ${r.error?.name}: ${r.error?.message}`;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const crypto = url.searchParams.get('crypto') ?? 'auto';
    const w = client(env, crypto);
    if (url.pathname === '/case') {
      const make = CASES[url.searchParams.get('name')];
      if (!make) return new Response('no such case', { status: 404 });
      const n = Number(url.searchParams.get('n') ?? 1);
      const outcomes = {};
      const first = {};
      let hangs = 0;
      for (let i = 0; i < n && hangs < 3; i++) {
        const o = await outcome(() => make(w, env));
        if (o.startsWith('never')) hangs++;
        outcomes[o] = (outcomes[o] ?? 0) + 1;
        first[o] ??= i + 1;
      }
      return Response.json({ outcomes, first });
    }
    if (url.pathname === '/health') {
      const message = new Uint8Array(await request.arrayBuffer());
      const result = {};
      for (const [key, run] of [
        ['seed', async () => { const r = await seed(w, env); return { status: r.status, code: r.data?.code }; }],
        ['signature', () => w.sign(message)],
        ['fresh', async () => { const f = new Wxpay(options(env, { crypto })); try { const r = await seed(f, env); return { status: r.status, code: r.data?.code }; } finally { f.free(); } }],
      ]) {
        try {
          result[key] = await within(run(), 5000);
        } catch (e) {
          result[key] = { error: `${e?.name}${e?.code ? `[${e.code}]` : ''}: ${e?.message}` };
        }
      }
      return Response.json(result);
    }
    return new Response('not found', { status: 404 });
  },
};
