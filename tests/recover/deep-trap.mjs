// Run by tests/node/recover.test.mjs in a child process, whose stderr it reads: calls of many
// clients in flight, their promises with no handler yet, when one client's getter is called with
// the JS stack at its end until that traps the instance (helper-178). Prints one JSON line: the
// outcomes of the calls in flight and the recoveries heard.
import { Wxpay } from '../../.work/test-pkg/node.mjs';
import { startSandbox } from '../sandbox/index.mjs';

const sb = await startSandbox();
const recoveries = [];
Wxpay.onRecover = (info) => recoveries.push(info.count);
const options = (extra) => ({
  mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8,
  certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL, ...extra,
});
const post = process.argv[2] === 'post';
// With `post`, every other client's call is a POST that the service has answered (carried out)
// and whose answer its fetch holds back until after the trap.
const held = async (url, init) => {
  const answer = await fetch(url, init);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return answer;
};
const clients = Array.from({ length: 40 }, (_, i) => new Wxpay(options(post && i % 2 ? { fetch: held } : {})));
const victim = new Wxpay(options());
// Answered after the trap: the calls wait in their fetch meanwhile.
const inflight = clients.map((w, i) => (post && i % 2 ? w.v3.sandbox.echo.post({ i }) : w.v3.sandbox.slow.get({ params: { ms: 300 } })));
await new Promise((resolve) => setTimeout(resolve, 100));
// The getter at every depth down to the stack's end, one of which ends it under Rust frames.
function deep() {
  try {
    deep();
  } catch { /* the stack's end: back up a frame */ }
  try {
    void victim.wechatpaySerial;
  } catch { /* ERR_INTERNAL, or the stack's end */ }
}
deep();
const outcomes = await Promise.allSettled(inflight);
console.log(JSON.stringify({
  recoveries,
  received: sb.requests.filter((r) => r.method === 'POST').length,
  outcomes: outcomes.map((o, i) => ({ method: post && i % 2 ? 'POST' : 'GET', code: o.status === 'fulfilled' ? 'ok' : o.reason.code, message: o.reason?.message })),
}));
sb.close();
for (const w of [...clients, victim]) w.free();
