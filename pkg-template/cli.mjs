#!/usr/bin/env node
// wxpay-wasm certificates: download, verify and save the WeChat Pay platform certificates.
import { X509Certificate, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, renameSync, rmSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Wxpay, WxpayError } from './node.mjs';

const USAGE = `usage: wxpay-wasm certificates --mchid <mchid> --serial <merchant certificate serial>
         --private-key <apiclient_key.pem> [--apiv3-key <key>] [--out <dir>] [--base-url <url>]
         [--timeout <ms>] [--wechatpay-cert <wechatpay_serial.pem>]
         [--wechatpay-public-key <pub_key.pem> --wechatpay-public-key-id <PUB_KEY_ID_...>]

Downloads /v3/certificates, decrypts each certificate with the APIv3 key, verifies the answer,
prints each certificate's serial and validity, and with --out writes wechatpay_<serial>.pem there
(replacing a file of that name; each written whole, then renamed).

  -m, --mchid         the merchant id
  -s, --serial        the merchant API certificate's serial
  -f, --private-key   the merchant's private key file (PKCS#8 or PKCS#1 PEM); - reads it from stdin
  -k, --apiv3-key     the APIv3 key; better in the environment, WXPAY_APIV3_KEY: a command line
                      is visible to every user of the machine (ps)
  -o, --out           the folder to write the certificates to (made if missing)
      --base-url      another host than https://api.mch.weixin.qq.com/ (a proxy, a sandbox)
      --timeout       milliseconds for the download, its retries included (default 30000)
  -c, --wechatpay-cert  a platform certificate you already trust: the answer must be signed by it
                      (without it, by one of the certificates it brings, as the client does)
      --wechatpay-public-key, --wechatpay-public-key-id
                      the WeChat Pay public key (pub_key.pem) and its id, as the merchant
                      platform shows them, for a list it signs (a switch-over to the public
                      key): the answer must be signed by it, or with -c by either
  -V, --version       the package's version
  -h, --help          this text`;

/**
 * parseArgs' error, without the argument it quotes unless that is a short flag name: an unknown
 * `--<key>` may be a secret pasted where a flag goes.
 */
function usageError(e) {
  if (e?.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return String(e?.message);
  // Node's text: "Unknown option '<arg>'. To specify a positional argument ...", the argument
  // whole (a quote in it included).
  const flag = /^Unknown option '(.*?)'\. To specify/s.exec(String(e.message))?.[1];
  if (flag === undefined) return 'an unknown option';
  return /^--?[A-Za-z][A-Za-z0-9-]{0,23}$/.test(flag) ? `unknown option ${flag}` : `an unknown option (${flag.length} characters, not shown)`;
}

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
      // The short flags are those of the official certificate downloaders (CertificateDownloader).
      options: {
        mchid: { type: 'string', short: 'm' },
        serial: { type: 'string', short: 's' },
        'private-key': { type: 'string', short: 'f' },
        'apiv3-key': { type: 'string', short: 'k' },
        out: { type: 'string', short: 'o' },
        'base-url': { type: 'string' },
        timeout: { type: 'string' },
        'wechatpay-cert': { type: 'string', short: 'c' },
        'wechatpay-public-key': { type: 'string' },
        'wechatpay-public-key-id': { type: 'string' },
        version: { type: 'boolean', short: 'V' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return fail('ERR_USAGE', `${usageError(e)} (wxpay-wasm --help for usage)`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.version) {
    const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
    process.stdout.write(`wxpay-wasm ${version}\n`);
    return;
  }
  if (positionals.length !== 1 || positionals[0] !== 'certificates') return fail('ERR_USAGE', 'expected the command `certificates` (wxpay-wasm --help for usage)', 2);
  // A flag given empty is a mistake, not a request for the default (nor for WXPAY_APIV3_KEY).
  for (const [name, value] of Object.entries(values)) {
    if (value === '') return fail('ERR_USAGE', `--${name} is empty${name === 'apiv3-key' ? ' (leave it out to use WXPAY_APIV3_KEY)' : ''}`, 2);
  }
  const apiv3Key = values['apiv3-key'] ?? process.env.WXPAY_APIV3_KEY;
  for (const [name, v] of [['--mchid', values.mchid], ['--serial', values.serial], ['--private-key', values['private-key']], ['--apiv3-key (or WXPAY_APIV3_KEY)', apiv3Key]]) {
    if (!v) return fail('ERR_USAGE', `${name} is required (wxpay-wasm --help for usage)`, 2);
  }
  let timeout;
  if (values.timeout !== undefined) {
    timeout = /^[0-9]{1,10}$/.test(values.timeout) ? Number(values.timeout) : NaN;
    if (!(timeout >= 1)) return fail('ERR_USAGE', '--timeout must be a whole number of milliseconds, at least 1', 2);
  }
  let privateKey;
  try {
    // `-` is stdin (file descriptor 0), as a secret manager may pipe the key in.
    privateKey = readFileSync(values['private-key'] === '-' ? 0 : values['private-key']);
  } catch (e) {
    // What could not be read as a file may be the key itself, pasted: never repeated.
    return fail('ERR_USAGE', `cannot read the file named by --private-key: ${e.code ?? e.message}`, 2);
  }
  // --wechatpay-cert: the certificate the answer must be signed by, configured under its own serial.
  let pinned;
  if (values['wechatpay-cert'] !== undefined) {
    let pem;
    try {
      pem = readFileSync(values['wechatpay-cert'], 'utf8');
    } catch (e) {
      return fail('ERR_USAGE', `cannot read the file named by --wechatpay-cert: ${e.code ?? e.message}`, 2);
    }
    try {
      pinned = { serial: new X509Certificate(pem).serialNumber, pem };
    } catch (e) {
      return fail('ERR_USAGE', `cannot read --wechatpay-cert ${values['wechatpay-cert']} as an X.509 certificate: ${e.code ?? e.message}`, 2);
    }
  }
  // --wechatpay-public-key and its id: a key the answer may be signed by, configured under that id.
  let publicKey;
  const keyId = values['wechatpay-public-key-id'];
  if ((values['wechatpay-public-key'] === undefined) !== (keyId === undefined)) {
    return fail('ERR_USAGE', '--wechatpay-public-key and --wechatpay-public-key-id go together: the key file and the PUB_KEY_ID_... the merchant platform shows beside it', 2);
  }
  if (keyId !== undefined) {
    try {
      publicKey = { id: keyId, pem: readFileSync(values['wechatpay-public-key'], 'utf8') };
    } catch (e) {
      return fail('ERR_USAGE', `cannot read the file named by --wechatpay-public-key: ${e.code ?? e.message}`, 2);
    }
  }
  const options = { mchid: values.mchid, serial: values.serial, privateKey, apiv3Key };
  if (values['base-url']) options.baseURL = values['base-url'];
  if (timeout !== undefined) options.timeout = timeout;
  if (pinned || publicKey) {
    options.certs = {};
    if (pinned) options.certs[pinned.serial] = pinned.pem;
    if (publicKey) options.certs[publicKey.id] = publicKey.pem;
  }
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
      timeout: '--timeout',
      certs: [pinned && `--wechatpay-cert ${values['wechatpay-cert']}`, publicKey && `--wechatpay-public-key ${values['wechatpay-public-key']} (--wechatpay-public-key-id)`].filter(Boolean).join(' or '),
    };
    // An entry of certs named by its key: the flag that gave that one (the public key's id, else
    // the certificate's serial); what names neither is said with the flags given.
    const entry = (key) => (publicKey && key === publicKey.id ? `--wechatpay-public-key ${values['wechatpay-public-key']}` : pinned && key.toUpperCase() === pinned.serial.toUpperCase() ? `--wechatpay-cert ${values['wechatpay-cert']}` : undefined);
    const message = e.message
      .replace(/\boptions\.certs\["([^"]*)"\]/g, (whole, key) => entry(key) ?? whole)
      .replace(/\boptions\.(mchid|serial|privateKey|apiv3Key|baseURL|timeout|certs)\b/g, (_, name) => flags[name]);
    return fail(e.code, message, 2);
  }
  // A reader that stops early (`| head -1`) closes stdout: the files are still all written, and
  // nothing more is printed (no stack trace).
  process.stdout.on('error', (e) => {
    if (e?.code !== 'EPIPE') fail('ERR_OUTPUT', `cannot write to stdout: ${e?.message ?? e}`);
  });
  given = [pinned && '--wechatpay-cert', publicKey && '--wechatpay-public-key'].filter(Boolean).join(' and ');
  const certificates = pinned || publicKey ? await pinnedList(new Wxpay({ ...options, apiv3Key: undefined }), wxpay) : await wxpay.certificates();
  // The file system's own errors are reported with their code (EEXIST, EACCES...): a path of
  // the user's, not a fault of the package.
  const written = (what, write) => {
    try {
      write();
    } catch (e) {
      fail(typeof e?.code === 'string' ? e.code : 'ERR_OUTPUT', `cannot write ${what}: ${e?.message ?? e}`);
    }
  };
  const files = values.out ? certificates.filter((c) => c.pem).map((c) => [c, join(values.out, `wechatpay_${c.serial}.pem`)]) : [];
  if (values.out) {
    written(`--out ${values.out}`, () => mkdirSync(values.out, { recursive: true }));
    // Each file is written whole under a name of its own first, then renamed over its own name
    // (a symlink there is replaced, not followed): a full disk leaves the files of the run before
    // as they were, and no file half written that a loader would trip on. A name taken by a
    // folder is refused before any file is written.
    for (const [, file] of files) {
      let folder = false;
      try {
        folder = lstatSync(file).isDirectory();
      } catch { /* not there yet */ }
      if (folder) written(file, () => { throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR' }); });
    }
    const staged = [];
    const unstage = () => { for (const [tmp] of staged) rmSync(tmp, { force: true }); };
    for (const [c, file] of files) {
      const tmp = join(values.out, `.wechatpay_${c.serial}.pem.${randomUUID()}.tmp`);
      try {
        writeFileSync(tmp, c.pem, { flag: 'wx' });
        staged.push([tmp, file]);
      } catch (e) {
        rmSync(tmp, { force: true });
        unstage();
        written(file, () => { throw e; });
      }
    }
    for (const [tmp, file] of staged) {
      written(file, () => {
        try {
          renameSync(tmp, file);
        } catch (e) {
          unstage();
          throw e;
        }
      });
    }
  }
  for (const c of certificates) {
    const file = files.find(([f]) => f === c)?.[1];
    process.stdout.write(`${c.serial}  ${c.effective_time ?? '-'}  ${c.expire_time ?? '-'}${file ? `  ${file}` : ''}\n`);
  }
}

/**
 * The list as `fetcher` (the keys given by flag its only keys, no APIv3 key: no bootstrap) verifies
 * it, each certificate decrypted by `reader` and held to the serial the list gives it.
 */
async function pinnedList(fetcher, reader) {
  const { data } = await fetcher.v3.certificates.get();
  const out = [];
  for (const item of Array.isArray(data?.data) ? data.data : []) {
    let pem;
    try {
      pem = await reader.decryptResource(item.encrypt_certificate);
    } catch (e) {
      // As the client says it without --wechatpay-cert (not as a notification's failure).
      if (e?.code !== 'ERR_NOTIFY_DECRYPT') throw e;
      throw new WxpayError('ERR_RESPONSE_BODY', `certificate ${item.serial_no} does not decrypt under the APIv3 key: ${e.message}`);
    }
    let serial;
    try {
      serial = new X509Certificate(pem).serialNumber;
    } catch (e) {
      throw new WxpayError('ERR_RESPONSE_BODY', `certificate ${item.serial_no} does not parse: ${e.message}`);
    }
    if (typeof item.serial_no !== 'string' || serial.replace(/^0+/, '') !== item.serial_no.toUpperCase().replace(/^0+/, '')) {
      throw new WxpayError('ERR_RESPONSE_BODY', `the list names a certificate ${item.serial_no} whose serial is ${serial}`);
    }
    // As the client lists downloaded ones: upper-case serials, nothing past its expire_time.
    if (!(Date.parse(item.expire_time) <= Date.now())) out.push({ serial: item.serial_no.toUpperCase(), effective_time: item.effective_time, expire_time: item.expire_time, pem });
  }
  if (!out.length) throw new WxpayError('ERR_RESPONSE_BODY', 'the list holds no certificate in effect (a merchant on a WeChat Pay public key only has no platform certificates to save)');
  return out;
}

/** The flags that gave the keys an answer must be signed by ('' when the list's own are trusted). */
let given = '';

/** A client's message in the CLI's terms: the flags it has, not the options it has not. */
function cliMessage(message) {
  return message
    .replace('(not in options.certs; with apiv3Key, see certsRefreshInterval)', given
      ? `(not a key given by ${given}, which alone are trusted then: give the certificate that signs the list with --wechatpay-cert)`
      : '(not in the list it downloaded, nor --wechatpay-cert)')
    .replace('(with a WeChat Pay public key only, give it in options.certs under its PUB_KEY_ID_...)', '(a merchant on a WeChat Pay public key only has no platform certificates to save: give the public key to your client, in certs under its PUB_KEY_ID_...)')
    .replace('is a WeChat Pay public key id not in options.certs: add that public key under it', 'is a WeChat Pay public key id: give that key with --wechatpay-public-key <pub_key.pem> --wechatpay-public-key-id <that id>')
    .replace(/\boptions\.certs\b/g, '--wechatpay-cert');
}

/**
 * What an error carries to quote to WeChat Pay support: ` (HTTP <status>, Request-ID <id>)`, each
 * when there (an id only when it is printable ASCII, within 128 characters).
 */
function answerNote(e) {
  const parts = [];
  // Not twice: an answer without the service's JSON says `HTTP 502 Bad Gateway` itself.
  if (Number.isInteger(e.status) && !String(e.message).startsWith(`HTTP ${e.status}`)) parts.push(`HTTP ${e.status}`);
  if (typeof e.requestId === 'string' && /^[\x21-\x7e]{1,128}$/.test(e.requestId)) parts.push(`Request-ID ${e.requestId}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof WxpayError) fail(e.code, `${cliMessage(e.message)}${answerNote(e)}`);
  fail('ERR_INTERNAL', e instanceof Error ? e.message : String(e));
});
