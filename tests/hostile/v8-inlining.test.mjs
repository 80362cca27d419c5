// A caller's hot loop must not kill the process. On Node 20 (V8 11.3) the first cases of
// caller.test.mjs ended it with `V8_Fatal ... unreachable code` in
// Deoptimizer::DoComputeBuiltinContinuation: optimised caller code had inlined the JS-to-Wasm
// call of the chain's Proxy trap (`--turbo-inline-js-wasm-calls`, on by default) and was
// deoptimised lazily while that call ran. caller.test.mjs turns the inlining off to report its
// cases; this file runs those cases with it on, as users get it, in a child process.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('the caller cases with JS-to-Wasm inlining on (the default): the process is not killed', (t) => {
  const file = fileURLToPath(new URL('./caller.test.mjs', import.meta.url));
  // (without NODE_TEST_CONTEXT, or the child would report to this runner instead of running)
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawnSync(process.execPath, [
    '--test-reporter=tap',
    '--test-name-pattern=config with a throwing `(params|headers|signal|timeout|maxBodyBytes)` getter',
    file,
  ], { env: { ...env, HOSTILE_JS_WASM_INLINING: '1' }, encoding: 'utf8', timeout: 120_000 });
  const output = `${child.stdout}\n${child.stderr}`;
  const fatal = output.match(/Fatal error[^\n]*\n[^\n]*\n?/)?.[0]?.replace(/[#\s]+/g, ' ').trim();
  t.diagnostic(`child: exit ${child.status}, signal ${child.signal}, ${output.match(/^# pass \d+/m)?.[0] ?? 'no summary'}`);
  assert.equal(fatal, undefined, `V8 died: ${fatal}`);
  assert.equal(child.signal, null, `the child was killed by ${child.signal}`);
  assert.doesNotMatch(output, /signal: 'SIG/, 'a test process was killed by a signal');
});
