// The package in Node, Bun and Deno (Bun and Deno installed from npm by run.sh into tests/runtimes/node_modules):
// suite.mjs against a sandbox in this process, with the packed package from node_modules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closedPort, startSandbox } from '../sandbox/index.mjs';

const here = import.meta.dirname;
const bin = (name) => join(here, 'node_modules/.bin', name);
// Node is the one running these tests; Bun and Deno come from npm.
const exe = (runtime) => (runtime === 'node' ? process.execPath : bin(runtime));
let sb, file;

before(async () => {
  sb = await startSandbox();
  const message = `runtime message ${crypto.randomUUID()}`;
  const good = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'RT-1' } });
  const forged = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'RT-2' }, misbehave: 'forged' });
  const asJson = (n) => ({ headers: n.headers, body: n.body.toString('utf8') });
  const { baseURL, mchid, merchant, platform, apiv3Key } = sb;
  // Where nothing listens: connecting is refused at once.
  const closed = `http://127.0.0.1:${await closedPort()}/`;
  file = join(mkdtempSync(join(tmpdir(), 'wxpay-rt-')), 'sandbox.json');
  writeFileSync(file, JSON.stringify({
    baseURL, mchid, merchant, platform, apiv3Key, message, closed,
    signature: crypto.sign('sha256', Buffer.from(message), merchant.privateKeyPkcs8).toString('base64'),
    notify: { good: asJson(good), forged: asJson(forged) },
  }));
});
after(() => {
  sb?.close();
  if (file) rmSync(join(file, '..'), { recursive: true, force: true });
});

function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: join(here, '../..'), timeout: 120_000 }, (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stdout, stderr }));
  });
}

for (const [runtime, args] of [
  ['node', () => ['--expose-gc', join(here, 'suite.mjs'), file]],
  ['bun', () => [join(here, 'suite.mjs'), file]],
  ['deno', () => ['run', '--allow-all', '--v8-flags=--expose-gc', join(here, 'suite.mjs'), file]],
]) {
  test(`the package in ${runtime}`, async (t) => {
    const version = await run(exe(runtime), ['--version']);
    t.diagnostic(`${runtime} ${version.stdout.trim().split('\n')[0]}`);
    const r = await run(exe(runtime), args());
    t.diagnostic(r.stdout.trim().split('\n').at(-1));
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^(\d+) passed, 0 failed$/m);
    assert.ok(Number(/^(\d+) passed/m.exec(r.stdout)[1]) >= 15, r.stdout);
    // The package sent each once; Bun's fetch sends a GET again itself, and Deno's any request,
    // with the same bytes (nonce included), on a kept-alive connection that closed before any
    // answer (README, Retries).
    const again = { node: [], bun: ['GET'], deno: ['GET', 'POST'] }[runtime];
    for (const method of ['GET', 'POST']) {
      const reset = new RegExp(`^reset ${method} reached the service (\\d+) times, (\\d+) nonces, (.*)$`, 'm').exec(r.stdout);
      t.diagnostic(reset?.[0]);
      assert.deepEqual(reset?.slice(1), again.includes(method) ? ['2', '1', 'answered 200'] : ['1', '1', 'ERR_NETWORK'], r.stdout);
    }
  });
}

test('deno without read access to the .wasm: the message says which flag, not bundling advice', async () => {
  // Inside the project, so that Deno resolves wxpay-wasm from its node_modules (the packed package).
  mkdirSync(join(here, '../../.work'), { recursive: true });
  const script = join(mkdtempSync(join(here, '../../.work/deno-read-')), 'load.mjs');
  writeFileSync(script, "import('wxpay-wasm').then(() => console.log('loaded'), (e) => console.log(e.message));\n");
  // Only the script may be read.
  const r = await run(bin('deno'), ['run', `--allow-read=${script}`, '--allow-env', script]);
  const said = /^wxpay-wasm: Deno needs read access to wxpay_wasm_bg\.wasm: run with --allow-read=(\S+) \(its directory\), or --allow-read \(README, Runtimes\): Requires read access to ".*wxpay_wasm_bg\.wasm"/m.exec(r.stdout);
  assert.ok(said, `${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stdout, /bundler/);
  // The directory it names is where the package is (not a node_modules path relative to the
  // working directory, which Deno's npm: imports do not have), and granting it is enough.
  assert.ok(said[1].endsWith('wxpay-wasm'), said[1]);
  const granted = await run(bin('deno'), ['run', `--allow-read=${script},${said[1]}`, '--allow-env', script]);
  assert.equal(granted.stdout.trim(), 'loaded', `${granted.stdout}\n${granted.stderr}`);
  rmSync(join(script, '..'), { recursive: true, force: true });
});

test('deno, the browser entry without read access to the .wasm: the same advice, not Node\'s', async () => {
  mkdirSync(join(here, '../../.work'), { recursive: true });
  const script = join(mkdtempSync(join(here, '../../.work/deno-read-')), 'load.mjs');
  const entry = join(here, '../../node_modules/wxpay-wasm/browser.mjs');
  writeFileSync(script, `import(${JSON.stringify(pathToFileURL(entry).href)}).then(() => console.log('loaded'), (e) => console.log(e.message));\n`);
  const r = await run(bin('deno'), ['run', `--allow-read=${script}`, '--allow-env', script]);
  const said = /^wxpay-wasm: Deno needs read access to wxpay_wasm_bg\.wasm: run with --allow-read=(\S+) \(its directory\), or --allow-read \(README, Runtimes\): /m.exec(r.stdout);
  assert.ok(said, `${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stdout, /Node|bundler/);
  const granted = await run(bin('deno'), ['run', `--allow-read=${script},${said[1]}`, '--allow-env', script]);
  assert.equal(granted.stdout.trim(), 'loaded', `${granted.stdout}\n${granted.stderr}`);
  rmSync(join(script, '..'), { recursive: true, force: true });
});
