// Test-only Worker. Every route answers JSON; a WxpayError becomes { error: { code, attempts } }.
//   GET  /bootstrap?client=K&n=N   N concurrent seed GETs on client K (no certs: downloads them)
//                                   -> { statuses, serial, certificates }
//   GET  /slowcerts?client=K&delay=MS&timeout=T&detach  the seed GET on client K (APIv3 key
//                                   only), its certificate downloads held MS ms, T its own timeout
//                                   -> { status }; with detach, answered before it ends -> { detached }
//   POST /echo?retry=R             POST /v3/sandbox/echo on a client with certs -> { status }
//   GET  /seed                     the seed GET on a client with certs -> { status }
//   GET  /backup?dead=URL          the seed GET with baseURL=dead, backupBaseURL=sandbox -> { status }
//   POST /params                   body { appId, prepay_id } -> { jsapi, app }
//   POST /payscore                 body { fields, apiv2Key, input } -> { v2: signV2(fields, apiv2Key),
//                                   params: payscoreParams(input), bad: the code of a short key }
//   GET  /runtime                  the chain's segment rule and config checks -> { templates, sent, codes }
//   GET  /early                    the seed GET on a client made in the global scope (APIv3 key
//                                   only) -> { status, certificates }, or { made: its error }
import { env as moduleEnv } from 'cloudflare:workers';
import { Wxpay, WxpayError, payscoreParams, signV2 } from 'wxpay-wasm';

const base = (env) => ({ mchid: env.WXPAY_MCHID, serial: env.WXPAY_SERIAL, privateKey: env.WXPAY_PRIVATE_KEY, baseURL: env.WXPAY_BASE_URL });
const certs = (env) => ({ [env.WXPAY_PLATFORM_SERIAL]: env.WXPAY_PLATFORM_CERT });
const clients = new Map();
// /slowcerts: how long this isolate's fetch holds the next /v3/certificates answers.
let certDelay = 0;
const slowCerts = async (input, init) => {
  if (String(input.url ?? input).includes('/v3/certificates') && certDelay) await new Promise((r) => setTimeout(r, certDelay));
  return fetch(input, init);
};
const seed = (w, env) => w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: env.CARD_ID, code: env.CODE });
// /early: a client made in the global scope, where workerd refuses I/O, timers and AbortControllers.
let early;
try {
  early = new Wxpay({ ...base(moduleEnv), apiv3Key: moduleEnv.WXPAY_APIV3_KEY });
} catch (e) {
  early = e;
}

async function route(url, request, env) {
  switch (url.pathname) {
    case '/early': {
      if (!(early instanceof Wxpay)) return { made: String(early) };
      const { status } = await seed(early, env);
      return { status, certificates: (await early.certificates()).length };
    }
    case '/bootstrap': {
      const name = url.searchParams.get('client');
      if (!clients.has(name)) clients.set(name, new Wxpay({ ...base(env), apiv3Key: env.WXPAY_APIV3_KEY, certsRefreshInterval: 0 }));
      const w = clients.get(name);
      const n = Number(url.searchParams.get('n') ?? 1);
      const results = await Promise.all(Array.from({ length: n }, () => seed(w, env).then((r) => r.status, (e) => e.code)));
      return { statuses: results, serial: w.wechatpaySerial, certificates: await w.certificates().then((l) => l.map((c) => c.serial), (e) => e.code) };
    }
    case '/slowcerts': {
      // A client with only the APIv3 key and a 1 s client timeout; `delay` holds its downloads,
      // `timeout` is the seed GET's own.
      const name = url.searchParams.get('client');
      if (!clients.has(name)) clients.set(name, new Wxpay({ ...base(env), apiv3Key: env.WXPAY_APIV3_KEY, timeout: 1000, fetch: slowCerts }));
      certDelay = Number(url.searchParams.get('delay') ?? 0);
      const t = url.searchParams.get('timeout');
      const w = clients.get(name);
      const made = w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: env.CARD_ID, code: env.CODE, ...(t ? { timeout: Number(t) } : {}) });
      // `detach`: answered without awaiting the call (which a Worker must not do): its I/O ends now.
      if (url.searchParams.has('detach')) {
        made.catch(() => {});
        return { detached: true };
      }
      return { status: (await made).status };
    }
    case '/echo': {
      const w = new Wxpay({ ...base(env), certs: certs(env) });
      const r = url.searchParams.get('retry');
      const config = r === null ? undefined : { retry: r === 'true' ? true : Number(r) };
      return { status: (await w.v3.sandbox.echo.post({ at: Date.now() }, config)).status };
    }
    case '/seed':
      return { status: (await seed(new Wxpay({ ...base(env), certs: certs(env) }), env)).status };
    case '/backup': {
      const w = new Wxpay({ ...base(env), certs: certs(env), baseURL: url.searchParams.get('dead'), backupBaseURL: env.WXPAY_BASE_URL });
      return { status: (await seed(w, env)).status };
    }
    case '/params': {
      const w = new Wxpay({ ...base(env), certs: certs(env) });
      const { appId, prepay_id } = await request.json();
      return { jsapi: await w.jsapiParams({ appId, prepay_id }), app: await w.appParams({ appid: appId, prepay_id }) };
    }
    case '/payscore': {
      // No nodejs_compat here: the HMAC is WebCrypto's.
      const { fields, apiv2Key, input } = await request.json();
      const bad = await signV2(fields, apiv2Key.slice(1)).then(() => 'signed', (e) => e.code);
      return { v2: await signV2(fields, apiv2Key), params: await payscoreParams(input), bad, node: typeof globalThis.process?.getBuiltinModule };
    }
    case '/runtime': {
      const w = new Wxpay({ ...base(env), certs: certs(env) });
      const code = (p) => p.then(() => 'resolved', (e) => e.code);
      const templates = [
        String(w.v3.pay.transactions.outTradeNo.N123123),
        String(w.v3.pay.transactions.outTradeNo['WX20240101ABCdef']),
        String(w.v3['pay/transactions/out-trade-no/N123123']),
        String(w.v3.marketing.membercardOpen),
      ];
      const sent = (await w.v3.sandbox.echo['N123123'].Abc.get()).data.url;
      const codes = await Promise.all([
        code(w.v3.sandbox.echo.get({ parmas: { a: 1 } })),
        code(w.v3.sandbox.echo.get({ baseURL: 'https://example.com/' })),
        code(w.v3.sandbox.echo.post(new Map([['a', 1]]))),
        code(w.v3.sandbox.echo.post(new Blob(['x']))),
      ]);
      return { templates, sent, codes };
    }
    default:
      return { error: { code: 'NOT_FOUND' } };
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      return Response.json(await route(url, request, env));
    } catch (err) {
      if (!(err instanceof WxpayError)) throw err;
      return Response.json({ error: { code: err.code, attempts: err.attempts, message: url.searchParams.has('why') ? err.message : undefined } });
    }
  },
};
