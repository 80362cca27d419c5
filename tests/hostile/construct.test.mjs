// `new Wxpay(options)` with options that throw while they are read (issue 10, item 1): a
// constructor throws synchronously, so each case must throw a WxpayError with code
// ERR_INVALID_CONFIG (ERR_INVALID_KEY where the key is what cannot be read), never a raw
// Error, and leave the module working. LOOPS calls per case, health checks as in caller.test.
// A Proxy trap the package never reaches throws nothing: then the client must be built.
import test from 'node:test';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { useHealth, hostileLoop, outcome, options, thrown, throwingGetter, trapProxy, TRAPS, revoked, detachedBuffer } from './harness.mjs';

const h = useHealth();
const CONFIG = ['ERR_INVALID_CONFIG'];
const CONFIG_OR_KEY = ['ERR_INVALID_CONFIG', 'ERR_INVALID_KEY'];

/** `make(sb)` gives `{ value: options, hits? }` once per case. */
function constructCase(name, make, codes = CONFIG) {
  test(name, async () => {
    const { value, hits } = make(h.sb);
    let before = 0;
    await hostileLoop(name, {
      call: () => {
        before = hits ? hits.n : 0;
        return new Wxpay(value);
      },
      expect: (r) => {
        const fired = !hits || hits.n > before;
        if ('notPromise' in r) {
          r.notPromise?.free?.();
          return fired ? `constructed a client though reading the options threw; expected ${codes.join(' or ')}` : null;
        }
        if (!('sync' in r)) return `${outcome(r)}; expected a synchronous throw`;
        const e = r.sync;
        if (!(e instanceof WxpayError)) return `threw a non-WxpayError ${e?.name}: ${String(e?.message).slice(0, 120)}`;
        if (!fired) return `${outcome(r)}; the trap never fired, so the client should have been built`;
        return codes.includes(e.code) ? null : `threw WxpayError ${e.code}; expected ${codes.join(' or ')}`;
      },
      health: (label) => h.check(label),
    });
  });
}

test('baseline: the health check passes before any hostile case', () => h.check('baseline'));

const KEYS = ['mchid', 'serial', 'privateKey', 'certs', 'baseURL', 'fetch', 'timeout', 'crypto', 'apiv3Key', 'wechatpaySerial', 'maxBodyBytes'];
for (const key of KEYS) {
  constructCase(`options with a throwing \`${key}\` getter`, (sb) => {
    const { [key]: _, ...rest } = options(sb);
    const { obj, hits } = throwingGetter(key, thrown(`options.${key}`), rest);
    return { value: obj, hits };
  });
}
for (const trap of TRAPS) {
  constructCase(`options: a Proxy whose ${trap} trap throws`, (sb) => {
    const { obj, hits } = trapProxy(trap, thrown(`options ${trap}`), options(sb));
    return { value: obj, hits };
  });
}
constructCase('options: a revoked Proxy', () => ({ value: revoked() }));

constructCase('certs with a throwing getter for its serial', (sb) => {
  const { obj, hits } = throwingGetter(sb.platform.serial, thrown('certs entry'));
  return { value: options(sb, { certs: obj }), hits };
});
for (const trap of TRAPS) {
  constructCase(`certs: a Proxy whose ${trap} trap throws`, (sb) => {
    const { obj, hits } = trapProxy(trap, thrown(`certs ${trap}`), { [sb.platform.serial]: sb.platform.certificate });
    return { value: options(sb, { certs: obj }), hits };
  });
}
constructCase('certs: a revoked Proxy', (sb) => ({ value: options(sb, { certs: revoked() }) }));

constructCase('privateKey: a detached ArrayBuffer', (sb) => ({ value: options(sb, { privateKey: detachedBuffer(1200) }) }), CONFIG_OR_KEY);
constructCase('privateKey: a Uint8Array on a detached ArrayBuffer', (sb) => {
  const bytes = new TextEncoder().encode(sb.merchant.privateKeyPkcs8);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return { value: options(sb, { privateKey: bytes }) };
}, CONFIG_OR_KEY);
constructCase('certs value: a detached ArrayBuffer', (sb) => ({ value: options(sb, { certs: { [sb.platform.serial]: detachedBuffer(900) } }) }), CONFIG_OR_KEY);
constructCase('certs value: a Uint8Array on a detached ArrayBuffer', (sb) => {
  const bytes = new TextEncoder().encode(sb.platform.certificate);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return { value: options(sb, { certs: { [sb.platform.serial]: bytes } }) };
}, CONFIG_OR_KEY);

test('certs as an array ([pem]) throws ERR_INVALID_CONFIG', async () => {
  const { sb } = h;
  await hostileLoop('certs: [pem]', {
    n: 1,
    call: () => new Wxpay(options(sb, { certs: [sb.platform.certificate] })),
    expect: (r) => {
      if ('notPromise' in r) {
        const serial = r.notPromise.wechatpaySerial;
        r.notPromise.free();
        return `accepted certs: [pem] (wechatpaySerial ${JSON.stringify(serial)})`;
      }
      return r.sync instanceof WxpayError && r.sync.code === 'ERR_INVALID_CONFIG' ? null : `${outcome(r)}; expected ERR_INVALID_CONFIG`;
    },
    health: (label) => h.check(label),
  });
});
