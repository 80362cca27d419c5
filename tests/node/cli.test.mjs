// The certificates command line tool shipped in the package (issue 14), end to end against
// the sandbox, run as a user runs it: node_modules/.bin/wxpay-wasm.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync, symlinkSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useSandbox } from './helpers.mjs';

const ctx = useSandbox();
const BIN = fileURLToPath(new URL('../../node_modules/.bin/wxpay-wasm', import.meta.url));

/** The command with `args`, `env` added to ours, and `input` (if given) on its stdin. */
function run(args, env = {}, input = undefined) {
  return new Promise((resolve) => {
    const child = execFile(BIN, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
  });
}

const made = [];
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

function keyFile(sb) {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-cli-'));
  made.push(dir);
  const file = join(dir, 'apiclient_key.pem');
  writeFileSync(file, sb.merchant.privateKeyPkcs8);
  return { dir, file };
}

const base = (sb, file) => ['certificates', '--mchid', sb.mchid, '--serial', sb.merchant.serial, '--private-key', file, '--base-url', sb.baseURL];

test('downloads, verifies and writes the PEMs, printing serial and validity', async () => {
  const { sb } = ctx;
  const { dir, file } = keyFile(sb);
  const out = join(dir, 'certs');
  const r = await run([...base(sb, file), '--apiv3-key', sb.apiv3Key, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const [line, ...rest] = r.stdout.trim().split('\n');
  assert.equal(rest.length, 0);
  const [serial, effective, expire, path] = line.split(/\s+/);
  assert.equal(serial, sb.platform.serial);
  assert.match(effective, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  assert.match(expire, /^\d{4}-\d\d-\d\dT/);
  assert.equal(path, join(out, `wechatpay_${serial}.pem`));
  assert.deepEqual(readdirSync(out), [`wechatpay_${serial}.pem`]);
  assert.equal(readFileSync(path, 'utf8'), sb.platform.certificate);
  assert.ok(sb.requests.every((q) => q.verified));
});

test('the APIv3 key may come from WXPAY_APIV3_KEY', async () => {
  const { sb } = ctx;
  const { file } = keyFile(sb);
  const r = await run(base(sb, file), { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split(/\s+/)[0], sb.platform.serial);
});

test('errors are one line with the code and a non-zero exit', async () => {
  const { sb } = ctx;
  const { file } = keyFile(sb);
  const wrong = await run([...base(sb, file), '--apiv3-key', 'B'.repeat(32)]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^wxpay-wasm: ERR_RESPONSE_BODY: [^\n]+\n$/);
  const forged = await (sb.misbehave('forged'), run([...base(sb, file), '--apiv3-key', sb.apiv3Key]));
  assert.equal(forged.code, 1);
  assert.match(forged.stderr, /^wxpay-wasm: ERR_RESPONSE_SIGNATURE: [^\n]+ \(HTTP 200, Request-ID sbx-[^\s)]+\)\n$/);
  // A service's error answer: its status and Request-ID, to quote to support; none for a usage error.
  const refused = await (sb.misbehave('error-500', 3), run([...base(sb, file), '--apiv3-key', sb.apiv3Key]));
  assert.match(refused.stderr, /^wxpay-wasm: [A-Z_]+: [^\n]+ \(HTTP 500, Request-ID sbx-[^\s)]+\)\n$/);
  // An answer without the service's JSON (a gateway's page) names its status itself: not twice.
  const gateway = http.createServer((req, res) => res.writeHead(502, { 'Content-Type': 'text/html', 'Request-ID': 'gw-1' }).end('<html>bad gateway</html>'));
  await new Promise((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  try {
    const args = [...base(sb, file), '--apiv3-key', sb.apiv3Key];
    args[args.indexOf('--base-url') + 1] = `http://127.0.0.1:${gateway.address().port}/`;
    const html = await run(args);
    assert.equal(html.stderr, 'wxpay-wasm: ERR_HTTP_STATUS: HTTP 502 Bad Gateway (Request-ID gw-1)\n');
  } finally {
    await new Promise((resolve) => gateway.close(resolve));
  }
  const missing = await run(['certificates', '--mchid', sb.mchid]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^wxpay-wasm: ERR_USAGE: --serial is required[^\n]*\n$/);
  const unknown = await run([...base(sb, file), '--outdir', 'x']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^wxpay-wasm: ERR_USAGE: unknown option --outdir \(wxpay-wasm --help for usage\)\n$/);
  // A secret pasted where a flag goes (an APIv3 key after `--`) is not repeated.
  const pasted = await run([...base(sb, file), `--${sb.apiv3Key}`]);
  assert.equal(pasted.code, 2);
  assert.equal(pasted.stderr, `wxpay-wasm: ERR_USAGE: an unknown option (${sb.apiv3Key.length + 2} characters, not shown) (wxpay-wasm --help for usage)\n`);
  // ... also when a quote in it would end a quoted name early.
  const quoted = await run([...base(sb, file), `--abcdefghij'${sb.apiv3Key}`]);
  assert.equal(quoted.stderr, `wxpay-wasm: ERR_USAGE: an unknown option (${sb.apiv3Key.length + 13} characters, not shown) (wxpay-wasm --help for usage)\n`);
  // The file system's errors keep their own code: a path of the user's, not the package's fault.
  const occupied = join(keyFile(sb).dir, 'a-file');
  writeFileSync(occupied, '');
  const notDir = await run([...base(sb, file), '--apiv3-key', sb.apiv3Key, '--out', occupied]);
  assert.equal(notDir.code, 1);
  assert.match(notDir.stderr, /^wxpay-wasm: EEXIST: cannot write --out [^\n]+\n$/);
  const badKey = await run([...base(sb, file).slice(0, 5), '--private-key', join(tmpdir(), 'no-such-file.pem'), '--apiv3-key', sb.apiv3Key]);
  assert.equal(badKey.code, 2);
  assert.equal(badKey.stderr, 'wxpay-wasm: ERR_USAGE: cannot read the file named by --private-key: ENOENT\n');
  // The key itself given in place of its file's name (PEM, or its base64 alone) is never repeated.
  const pem = readFileSync(file, 'utf8');
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  for (const value of [pem, body, sb.apiv3Key]) {
    for (const flag of ['--private-key', '--wechatpay-cert']) {
      const args = flag === '--private-key' ? [...base(sb, file).slice(0, 5), `${flag}=${value}`] : [...base(sb, file), `${flag}=${value}`];
      const r = await run([...args, '--apiv3-key', sb.apiv3Key]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^wxpay-wasm: ERR_USAGE: cannot read the file named by ${flag}: E[A-Z]+\n$`));
    }
  }
  // A value the client refuses is a usage error, named by its flag (or variable), not an option.
  const notKey = join(keyFile(sb).dir, 'not-a-key.pem');
  writeFileSync(notKey, 'hello');
  for (const [args, env, code, message] of [
    [[...base(sb, file), '--apiv3-key', 'short'], {}, 'ERR_INVALID_CONFIG', /^--apiv3-key must be/],
    [base(sb, file), { WXPAY_APIV3_KEY: 'short' }, 'ERR_INVALID_CONFIG', /^WXPAY_APIV3_KEY must be/],
    [[...base(sb, file).slice(0, 5), '--private-key', notKey, '--apiv3-key', sb.apiv3Key], {}, 'ERR_INVALID_KEY', new RegExp(`^--private-key ${notKey} is not an RSA private key`)],
    [[...base(sb, file).slice(0, 7), '--base-url', 'api.example.com', '--apiv3-key', sb.apiv3Key], {}, 'ERR_INVALID_CONFIG', /^--base-url must start with https:\/\/ or http:\/\//],
  ]) {
    const r = await run(args, env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^wxpay-wasm: ${code}: [^\n]+\n$`));
    const text = r.stderr.slice(`wxpay-wasm: ${code}: `.length);
    assert.match(text, message);
    assert.ok(!text.includes('options.'), text);
  }
  for (const r of [wrong, forged]) assert.ok(!r.stderr.includes(sb.apiv3Key) && !r.stderr.includes('PRIVATE KEY'));
});

test("the README's section on the command names every flag its --help lists", async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0, r.stderr);
  const flags = [...new Set(r.stdout.match(/--[a-z][a-z0-9-]+/g))].filter((f) => f !== '--help');
  assert.ok(flags.includes('--base-url') && flags.length >= 6, flags.join(' '));
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('To save them to files, the package ships a command'), readme.indexOf('### Retries, the backup host and hooks'));
  assert.ok(section.length > 100, 'the section is found');
  for (const flag of flags) assert.ok(section.includes(flag), `README names ${flag}`);
  assert.ok(section.includes('--help'), 'README names --help');
});

test("the official downloaders' short flags, the key from stdin, --version", async () => {
  const { sb } = ctx;
  const { dir } = keyFile(sb);
  const out = join(dir, 'short');
  const r = await run(['certificates', '-m', sb.mchid, '-s', sb.merchant.serial, '-f', '-', '-k', sb.apiv3Key, '-o', out, '--base-url', sb.baseURL], {}, sb.merchant.privateKeyPkcs8);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(out), [`wechatpay_${sb.platform.serial}.pem`]);
  const version = await run(['--version']);
  const { version: packaged } = JSON.parse(readFileSync(new URL('../../node_modules/wxpay-wasm/package.json', import.meta.url), 'utf8'));
  assert.deepEqual([version.code, version.stdout], [0, `wxpay-wasm ${packaged}\n`]);
  assert.deepEqual([(await run(['-V'])).stdout], [`wxpay-wasm ${packaged}\n`]);
});

test('an empty flag is a usage error (an empty --apiv3-key does not fall back to WXPAY_APIV3_KEY); --timeout must be whole milliseconds', async () => {
  const { sb } = ctx;
  const { file } = keyFile(sb);
  const empty = await run([...base(sb, file), '--apiv3-key='], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(empty.code, 2);
  assert.equal(empty.stderr, 'wxpay-wasm: ERR_USAGE: --apiv3-key is empty (leave it out to use WXPAY_APIV3_KEY)\n');
  const noOut = await run([...base(sb, file), '--out', ''], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.deepEqual([noOut.code, noOut.stderr], [2, 'wxpay-wasm: ERR_USAGE: --out is empty\n']);
  for (const bad of ['0', '-5', '1.5', 'soon']) {
    const r = await run([...base(sb, file), `--timeout=${bad}`], { WXPAY_APIV3_KEY: sb.apiv3Key });
    assert.deepEqual([r.code, r.stderr], [2, 'wxpay-wasm: ERR_USAGE: --timeout must be a whole number of milliseconds, at least 1\n'], bad);
  }
  assert.equal(sb.requests.length, 0, 'nothing was sent');
});

test('--timeout bounds the download against a host that never answers', async () => {
  const { sb } = ctx;
  const { file } = keyFile(sb);
  const sockets = new Set();
  const silent = net.createServer((s) => sockets.add(s));
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const args = ['certificates', '--mchid', sb.mchid, '--serial', sb.merchant.serial, '--private-key', file, '--base-url', `http://127.0.0.1:${silent.address().port}/`, '--timeout', '200'];
    const r = await run(args, { WXPAY_APIV3_KEY: sb.apiv3Key });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^wxpay-wasm: ERR_TIMEOUT: [^\n]*200 ms[^\n]*\n$/);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('a reader that stops early (| head -c0) leaves every file written and prints no stack trace', async () => {
  const { sb } = ctx;
  const { dir, file } = keyFile(sb);
  const out = join(dir, 'piped');
  const command = `set -o pipefail; "$0" "$@" | head -c0`;
  const r = await new Promise((resolve) => {
    execFile('bash', ['-c', command, BIN, ...base(sb, file), '--out', out], { env: { ...process.env, WXPAY_APIV3_KEY: sb.apiv3Key } }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
  assert.deepEqual([r.code, r.stderr, r.stdout], [0, '', '']);
  assert.deepEqual(readdirSync(out), [`wechatpay_${sb.platform.serial}.pem`]);
});

test('--wechatpay-cert (-c): the answer must be signed by the certificate given; another is refused, nothing written', async () => {
  const { sb } = ctx;
  const { dir, file } = keyFile(sb);
  const trusted = join(dir, 'trusted.pem');
  writeFileSync(trusted, sb.platform.certificate);
  const out = join(dir, 'pinned');
  const ok = await run([...base(sb, file), '-c', trusted, '--out', out], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(ok.code, 0, ok.stderr);
  const [serial, effective, , path] = ok.stdout.trim().split(/\s+/);
  assert.equal(serial, sb.platform.serial);
  assert.match(effective, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  assert.equal(readFileSync(path, 'utf8'), sb.platform.certificate);
  assert.ok(sb.requests.every((q) => q.verified));
  // A forged answer is refused as it is without -c.
  sb.misbehave('forged');
  const forged = await run([...base(sb, file), '-c', trusted], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(forged.code, 1);
  assert.match(forged.stderr, /^wxpay-wasm: ERR_RESPONSE_SIGNATURE: /);
  // Not a certificate: a usage error, naming the flag.
  const notCert = await run([...base(sb, file), '-c', file], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(notCert.code, 2);
  assert.match(notCert.stderr, /^wxpay-wasm: ERR_USAGE: cannot read --wechatpay-cert [^\n]+ as an X\.509 certificate/);
  // After a rotation the service signs with the new certificate: the old one given is refused by
  // the answer's serial (without -c, the bootstrap takes the new one), and nothing is written.
  sb.rotate();
  const rotated = await run([...base(sb, file), '-c', trusted, '--out', join(dir, 'not')], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(rotated.code, 1);
  assert.match(rotated.stderr, /^wxpay-wasm: ERR_RESPONSE_SERIAL: [^\n]+\n$/);
  // In the command's terms: its flags, not the client's options (helper-107).
  assert.match(rotated.stderr, /names none of the known platform keys \(not a key given by --wechatpay-cert, which alone are trusted then: give the certificate that signs the list with --wechatpay-cert\) \(HTTP 200, Request-ID sbx-[^\s)]+\)\n$/);
  assert.doesNotMatch(rotated.stderr, /options\.|certsRefreshInterval/);
  assert.throws(() => readdirSync(join(dir, 'not')), /ENOENT/);
  const fresh = await run([...base(sb, file)], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(fresh.code, 0, fresh.stderr);
  // A certificate the service does not know: it refuses the request that names it.
  const other = join(dir, 'other.pem');
  writeFileSync(other, readFileSync(new URL('../fixtures/platform_cert.pem', import.meta.url)));
  const unknown = await run([...base(sb, file), '-c', other], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^wxpay-wasm: PARAM_ERROR: Wechatpay-Serial [^\n]+\n$/);
});

// helper-126: a list signed by the WeChat Pay public key (during a switch-over) was refused with
// advice to add that key under --wechatpay-cert, which takes certificates only.
test('--wechatpay-public-key and its id: a list signed by the public key is verified by it (with -c, by either key); refused without, saying which flags give it', async () => {
  const { sb } = ctx;
  const { dir, file } = keyFile(sb);
  const pub = join(dir, 'pub_key.pem');
  writeFileSync(pub, sb.pubkey.publicKeySpki);
  const trusted = join(dir, 'trusted.pem');
  writeFileSync(trusted, sb.platform.certificate);
  const env = { WXPAY_APIV3_KEY: sb.apiv3Key };
  const byKey = ['--wechatpay-public-key', pub, '--wechatpay-public-key-id', sb.pubkey.id];
  sb.answerKey = 'pubkey';
  // Without it: refused, the advice the flags that take a public key.
  const refused = await run([...base(sb, file), '--out', join(dir, 'not')], env);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr.replace(/ \(HTTP 200, Request-ID sbx-[^\s)]+\)\n$/, '\n'), `wxpay-wasm: ERR_RESPONSE_SERIAL: Wechatpay-Serial "${sb.pubkey.id}" is a WeChat Pay public key id: give that key with --wechatpay-public-key <pub_key.pem> --wechatpay-public-key-id <that id>\n`);
  assert.match(refused.stderr, / \(HTTP 200, Request-ID sbx-[^\s)]+\)\n$/);
  assert.throws(() => readdirSync(join(dir, 'not')), /ENOENT/);
  // With it, alone and beside -c: the platform certificate saved, as the list gives it.
  for (const [args, answerKey] of [[byKey, 'pubkey'], [[...byKey, '-c', trusted], 'pubkey'], [[...byKey, '-c', trusted], 'platform']]) {
    sb.answerKey = answerKey;
    const out = join(dir, `saved-${answerKey}-${args.length}`);
    const ok = await run([...base(sb, file), ...args, '--out', out], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim().split(/\s+/)[0], sb.platform.serial);
    assert.equal(readFileSync(join(out, `wechatpay_${sb.platform.serial}.pem`), 'utf8'), sb.platform.certificate);
  }
  // The public key given, the list signed by the certificate: the certificate must be given too.
  sb.answerKey = 'platform';
  const notGiven = await run([...base(sb, file), ...byKey], env);
  assert.equal(notGiven.code, 1);
  assert.equal(notGiven.stderr.replace(/ \(HTTP 200, Request-ID sbx-[^\s)]+\)\n$/, '\n'), `wxpay-wasm: ERR_RESPONSE_SERIAL: Wechatpay-Serial "${sb.platform.serial}" names none of the known platform keys (not a key given by --wechatpay-public-key, which alone are trusted then: give the certificate that signs the list with --wechatpay-cert)\n`);
  assert.match(notGiven.stderr, / \(HTTP 200, Request-ID sbx-[^\s)]+\)\n$/);
  // Another key under the id: the signature does not verify.
  sb.answerKey = 'pubkey';
  const otherKey = join(dir, 'other_pub.pem');
  writeFileSync(otherKey, crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
  const forged = await run([...base(sb, file), '--wechatpay-public-key', otherKey, '--wechatpay-public-key-id', sb.pubkey.id], env);
  assert.equal(forged.code, 1);
  assert.match(forged.stderr, /^wxpay-wasm: ERR_RESPONSE_SIGNATURE: /);
  // Usage: one without the other, a file not there, an id not of its shape (said with the flag).
  for (const args of [['--wechatpay-public-key', pub], ['--wechatpay-public-key-id', sb.pubkey.id]]) {
    const r = await run([...base(sb, file), ...args], env);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^wxpay-wasm: ERR_USAGE: --wechatpay-public-key and --wechatpay-public-key-id go together/);
  }
  const missing = await run([...base(sb, file), '--wechatpay-public-key', join(dir, 'none.pem'), '--wechatpay-public-key-id', sb.pubkey.id], env);
  assert.deepEqual([missing.code, missing.stderr], [2, 'wxpay-wasm: ERR_USAGE: cannot read the file named by --wechatpay-public-key: ENOENT\n']);
  // A bad key file beside a good certificate: the flag of the entry at fault only.
  const bad = await run([...base(sb, file), '-c', trusted, '--wechatpay-public-key', file, '--wechatpay-public-key-id', sb.pubkey.id], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, new RegExp(`^wxpay-wasm: ERR_INVALID_KEY: --wechatpay-public-key ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
  assert.doesNotMatch(bad.stderr, /--wechatpay-cert|options\./);
  const badId = await run([...base(sb, file), '--wechatpay-public-key', pub, '--wechatpay-public-key-id', 'pub_key_id_1'], env);
  assert.equal(badId.code, 2);
  assert.match(badId.stderr, /^wxpay-wasm: ERR_INVALID_CONFIG: [^\n]*--wechatpay-public-key [^\n]*\n$/);
  assert.doesNotMatch(badId.stderr, /options\./);
});

test('-c with a wrong APIv3 key says so as without -c: ERR_RESPONSE_BODY, the certificate named', async () => {
  const { sb } = ctx;
  const { dir, file } = keyFile(sb);
  const trusted = join(dir, 'trusted.pem');
  writeFileSync(trusted, sb.platform.certificate);
  const wrong = 'B'.repeat(32);
  for (const args of [[], ['-c', trusted]]) {
    const r = await run([...base(sb, file), ...args], { WXPAY_APIV3_KEY: wrong });
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, new RegExp(`^wxpay-wasm: ERR_RESPONSE_BODY: certificate ${sb.platform.serial} does not decrypt under the APIv3 key: `), args.join(' '));
    assert.ok(!r.stderr.includes(wrong));
  }
});

// helper-107: each file was written in place, so a full disk left a 0-byte PEM beside a good one
// (a client loading the folder then failed to start), a name taken by a folder stopped the run
// with the files before it written, and a symlink at a name had the certificate written into
// its target.
test('--out: a name taken by a folder is refused before any file is written, none left half written; a symlink at a name is replaced, not written through', async () => {
  const { sb } = ctx;
  const { dir, file } = keyFile(sb);
  const out = join(dir, 'certs');
  sb.rotate({ upcoming: true }); // two certificates listed
  const first = await run([...base(sb, file), '--out', out], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(first.code, 0, first.stderr);
  const names = readdirSync(out).sort();
  assert.equal(names.length, 2);
  const before = Object.fromEntries(names.map((n) => [n, readFileSync(join(out, n), 'utf8')]));
  // The second name taken by a folder: nothing is replaced, no temporary file is left.
  rmSync(join(out, names[1]));
  mkdirSync(join(out, names[1]));
  writeFileSync(join(out, names[0]), 'the previous run\'s file\n');
  const blocked = await run([...base(sb, file), '--out', out], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(blocked.code, 1);
  assert.match(blocked.stderr, /^wxpay-wasm: EISDIR: cannot write [^\n]+\n$/);
  assert.equal(blocked.stdout, '', 'nothing printed as written');
  assert.deepEqual(readdirSync(out).sort(), names);
  assert.equal(readFileSync(join(out, names[0]), 'utf8'), 'the previous run\'s file\n');
  // A symlink at a name: replaced by the file; its target untouched.
  rmSync(join(out, names[1]), { recursive: true });
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'keep me\n');
  symlinkSync(victim, join(out, names[1]));
  const linked = await run([...base(sb, file), '--out', out], { WXPAY_APIV3_KEY: sb.apiv3Key });
  assert.equal(linked.code, 0, linked.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
  assert.equal(lstatSync(join(out, names[1])).isSymbolicLink(), false);
  assert.deepEqual(readdirSync(out).sort(), names);
  for (const n of names) assert.equal(readFileSync(join(out, n), 'utf8'), before[n]);
});
