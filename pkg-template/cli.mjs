#!/usr/bin/env node
// wxpay-wasm certificates: download, verify and save the WeChat Pay platform certificates.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Wxpay, WxpayError } from './node.mjs';

const USAGE = `usage: wxpay-wasm certificates --mchid <mchid> --serial <merchant certificate serial>
         --private-key <apiclient_key.pem> --apiv3-key <key> [--out <dir>] [--base-url <url>]

Downloads /v3/certificates, decrypts each certificate with the APIv3 key, verifies the answer,
prints each certificate's serial and validity, and with --out writes wechatpay_<serial>.pem there.
The APIv3 key may come from the environment instead: WXPAY_APIV3_KEY.`;

function fail(code, message, exit = 1) {
  process.stderr.write(`wxpay-wasm: ${code}: ${message}\n`);
  process.exit(exit);
}

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        mchid: { type: 'string' },
        serial: { type: 'string' },
        'private-key': { type: 'string' },
        'apiv3-key': { type: 'string' },
        out: { type: 'string' },
        'base-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return fail('ERR_USAGE', `${e.message} (wxpay-wasm --help for usage)`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1 || positionals[0] !== 'certificates') return fail('ERR_USAGE', 'expected the command `certificates` (wxpay-wasm --help for usage)', 2);
  const apiv3Key = values['apiv3-key'] ?? process.env.WXPAY_APIV3_KEY;
  for (const [name, v] of [['--mchid', values.mchid], ['--serial', values.serial], ['--private-key', values['private-key']], ['--apiv3-key', apiv3Key]]) {
    if (!v) return fail('ERR_USAGE', `${name} is required (wxpay-wasm --help for usage)`, 2);
  }
  let privateKey;
  try {
    privateKey = readFileSync(values['private-key']);
  } catch (e) {
    return fail('ERR_USAGE', `cannot read --private-key ${values['private-key']}: ${e.code ?? e.message}`, 2);
  }
  const options = { mchid: values.mchid, serial: values.serial, privateKey, apiv3Key };
  if (values['base-url']) options.baseURL = values['base-url'];
  let wxpay;
  try {
    wxpay = new Wxpay(options);
  } catch (e) {
    if (!(e instanceof WxpayError)) throw e;
    // A value given on the command line that the client refuses is a usage error, said with the
    // flag (or variable) it came from rather than the option it became.
    const flags = {
      mchid: '--mchid',
      serial: '--serial',
      privateKey: `--private-key ${values['private-key']}`,
      apiv3Key: values['apiv3-key'] === undefined ? 'WXPAY_APIV3_KEY' : '--apiv3-key',
      baseURL: '--base-url',
    };
    return fail(e.code, e.message.replace(/\boptions\.(mchid|serial|privateKey|apiv3Key|baseURL)\b/g, (_, name) => flags[name]), 2);
  }
  const certificates = await wxpay.certificates();
  // The file system's own errors are reported with their code (EEXIST, EACCES...): a path of
  // the user's, not a fault of the package.
  const written = (what, write) => {
    try {
      write();
    } catch (e) {
      fail(typeof e?.code === 'string' ? e.code : 'ERR_OUTPUT', `cannot write ${what}: ${e?.message ?? e}`);
    }
  };
  if (values.out) written(`--out ${values.out}`, () => mkdirSync(values.out, { recursive: true }));
  for (const c of certificates) {
    let line = `${c.serial}  ${c.effective_time ?? '-'}  ${c.expire_time ?? '-'}`;
    if (values.out && c.pem) {
      const file = join(values.out, `wechatpay_${c.serial}.pem`);
      written(file, () => writeFileSync(file, c.pem));
      line += `  ${file}`;
    }
    process.stdout.write(`${line}\n`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof WxpayError) fail(e.code, e.message);
  fail('ERR_INTERNAL', e instanceof Error ? e.message : String(e));
});
