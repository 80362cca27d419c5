// Run by tests/node/recover.test.mjs in a child process, whose stderr it reads: calls of many
// clients in flight, their promises with no handler yet, when one client's getter is called with
// the JS stack at its end until that traps the instance (helper-178). Prints one JSON line: the
// outcomes of the calls in flight, how long the slowest took to settle after the trap, and the
// recoveries heard; the process exits once the sandbox's own timers are done (a call's deadline
// left armed would keep it a minute). Arguments: `post` (every other call a POST), frames to add
// below the recursion (where the stack ends moves with them), `lone` (see deep) and `exit` (at
// once, once printed).
import { Wxpay } from '../../.work/test-pkg/node.mjs';
import { recovery } from '../../.work/test-pkg/traps.mjs';
import { startSandbox } from '../sandbox/index.mjs';

const sb = await startSandbox();
const recoveries = [];
Wxpay.onRecover = (info) => recoveries.push(info.count);
const options = (extra) => ({
  mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8,
  certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL, ...extra,
});
const args = process.argv.slice(2);
const post = args.includes('post');
// Frames added below the recursion: where the stack ends moves with them.
const pad = Number(args.find((a) => /^\d+$/.test(a)) ?? 0);
// With `post`, every other client's call is a POST that the service has answered (carried out)
// and whose answer its fetch holds back until after the trap.
const held = async (url, init) => {
  const answer = await fetch(url, init);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return answer;
};
const clients = Array.from({ length: 40 }, (_, i) => new Wxpay(options(post && i % 2 ? { fetch: held } : {})));
const victim = new Wxpay(options());
// Answered after the trap: the calls wait in their fetch meanwhile.
// Each with a deadline of a minute, whose timer the trap must clear.
const inflight = clients.map((w, i) => (post && i % 2 ? w.v3.sandbox.echo.post({ i }, { timeout: 60_000 }) : w.v3.sandbox.slow.get({ params: { ms: 2000 }, timeout: 60_000 })));
await new Promise((resolve) => setTimeout(resolve, 100));
// The getter at every depth from the stack's end up, one of which ends it under Rust frames.
// `lone`: none after the first that traps, so that no call of the package below it on the stack
// reports the trap again (helper-181).
const lone = args.includes('lone');
const first = recovery.instance();
function deep() {
  try {
    deep();
  } catch { /* the stack's end: back up a frame */ }
  if (lone && recovery.instance() !== first) return;
  try {
    void victim.wechatpaySerial;
  } catch { /* ERR_INTERNAL, or the stack's end */ }
}
const padded = (k) => (k > 0 ? padded(k - 1) + 0 : deep());
const trapped = Date.now();
padded(pad);
// Handlers attached only now (after the trap, as allSettled's below): unawaited until then.
const after = inflight.map((p) => p.then(() => Date.now() - trapped, () => Date.now() - trapped));
const outcomes = await Promise.allSettled(inflight);
const settledAfter = await Promise.all(after);
console.log(JSON.stringify({
  recoveries,
  slowest: Math.max(...settledAfter),
  received: sb.requests.filter((r) => r.method === 'POST').length,
  outcomes: outcomes.map((o, i) => ({ method: post && i % 2 ? 'POST' : 'GET', code: o.status === 'fulfilled' ? 'ok' : o.reason.code, message: o.reason?.message })),
}));
sb.close();
for (const w of [...clients, victim]) w.free();
// `exit`: at once, not waiting for timers (a run that only looks at the outcomes).
if (args.includes('exit')) process.exit(0);
