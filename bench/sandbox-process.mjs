// The sandbox in a process of its own, so the client's CPU is measured alone.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** `args`: more cli.mjs options, e.g. `['--keep-alive-ms', '120000']`. */
export async function startSandboxProcess(args = []) {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-bench-'));
  const child = spawn(process.execPath, [resolve(import.meta.dirname, '../tests/sandbox/cli.mjs'), '--out', dir, ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
  const file = join(dir, 'sandbox.json');
  for (let i = 0; i < 200 && !existsSync(file); i++) await sleep(50);
  if (!existsSync(file)) throw new Error('sandbox did not start');
  const sb = JSON.parse(readFileSync(file, 'utf8'));
  return {
    ...sb,
    pid: child.pid,
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
