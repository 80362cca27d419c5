#!/usr/bin/env node
// Run a sandbox out of process (e.g. for browser or wasm tests driven by another runner):
//   node tests/sandbox/cli.mjs --out <dir> [--port N] [--cors origin] [--mchid M] [--keys sandbox.json] [--keep-alive-ms N]
// Writes <dir>/sandbox.json once listening; one stderr line per request; stops on SIGTERM/SIGINT.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './server.mjs';

const { values } = parseArgs({
  options: {
    out: { type: 'string' }, port: { type: 'string', default: '0' }, cors: { type: 'string' },
    mchid: { type: 'string' }, keys: { type: 'string' }, 'keep-alive-ms': { type: 'string' },
  },
});
if (!values.out) {
  process.stderr.write('usage: cli.mjs --out <dir> [--port N] [--cors origin] [--mchid M] [--keys sandbox.json]\n');
  process.exit(2);
}

// --keys replays the keys of an earlier run's sandbox.json, so a failure can be reproduced.
const keys = values.keys ? JSON.parse(fs.readFileSync(values.keys, 'utf8')) : undefined;
const sb = await startSandbox({
  port: Number(values.port), cors: values.cors, mchid: values.mchid, keys, keepAliveMs: Number(values['keep-alive-ms'] ?? 0),
  onRequest: (r) => process.stderr.write(`${r.method} ${r.url} ${r.aborted ? 'aborted' : r.status} ${r.verified}${r.reason ? ` (${r.reason})` : ''}\n`),
});

// Atomic: a watcher polling for sandbox.json never reads half a file.
fs.mkdirSync(values.out, { recursive: true });
const file = path.join(values.out, 'sandbox.json');
const tmp = `${file}.${process.pid}.tmp`;
const { baseURL, mchid, merchant, platform, pubkey, certs, apiv3Key } = sb;
fs.writeFileSync(tmp, JSON.stringify({ baseURL, mchid, merchant, platform, pubkey, certs, apiv3Key }, null, 2) + '\n');
fs.renameSync(tmp, file);
process.stderr.write(`sandbox listening on ${baseURL} (${file})\n`);

let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await sb.close();
    process.exit(0);
  });
}
