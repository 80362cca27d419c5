// Preloaded (`node --import`) into each README snippet's process by tests/node/readme.test.mjs,
// before the snippet runs: the global fetch sends WeChat Pay's hosts (https://api.mch.weixin.qq.com,
// https://api2.mch.weixin.qq.com) to the local sandbox at $WXPAY_README_SANDBOX instead, path and
// query unchanged (the signature covers those, not the host), and refuses every other host, so a
// snippet can neither reach the network nor pass by writing the sandbox's address itself.
const sandbox = new URL(process.env.WXPAY_README_SANDBOX);
const HOSTS = new Set(['api.mch.weixin.qq.com', 'api2.mch.weixin.qq.com']);
const realFetch = globalThis.fetch;

function routed(url) {
  const u = new URL(url);
  if (u.protocol !== 'https:' || !HOSTS.has(u.hostname)) throw new TypeError(`the README test routes only WeChat Pay's hosts; refused ${u.origin}`);
  u.protocol = sandbox.protocol;
  u.host = sandbox.host;
  return u.href;
}

globalThis.fetch = async function fetch(input, init) {
  if (input instanceof Request) return realFetch(new Request(routed(input.url), input), init);
  return realFetch(routed(input instanceof URL ? input.href : String(input)), init);
};
