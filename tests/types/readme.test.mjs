// Every ```ts block of README.md, and every ```js block, type-checked as pasted into a .ts file
// against the installed package's declarations, with the compiler options of
// tests/types/tsconfig.json (strict, module nodenext) and of tsconfig.bundler.json (moduleResolution
// bundler, exactOptionalPropertyTypes), by the locked TypeScript (5.9, through its API) and by
// TypeScript 7 (its command line). A user who pastes the README's JavaScript into TypeScript gets
// what these checks get.
//
// Each block becomes one module under .work/readme-ts/ (inside the repository, so `wxpay-wasm`
// resolves to node_modules as in a user's project). A preamble declares what the README leaves
// to the reader (`wxpay`, and the order fields `appid`, `out_trade_no`...); a postamble may use
// what the block declares. The text of a block is never edited. A line whose comment says
// "does not compile" must fail with the error named in the case; every other line must compile.
//
// Every ```js block is classified below, so a new one must be: checked (it compiles); `expected`
// (it is checked, and fails with exactly these error codes, each with the reason: a known gap to
// fix in the README, or what is JavaScript by nature); or `skip` (not checked, with the reason).
// The Node built-ins the blocks use are declared as @types/node declares them (NODE below): the
// package's type tests run without @types/node ("types": []).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { readmeBlocks } from '../readme/blocks.mjs';
import { programDiagnostics, tscDiagnostics, tscVersion } from './tsc.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT = "import type { Wxpay } from 'wxpay-wasm';\ndeclare const wxpay: Wxpay;\n";
/** The first snippet's `options`, for the blocks that spread them into a client of their own. */
const OPTIONS = "import { Wxpay } from 'wxpay-wasm';\nimport type { WxpayOptions } from 'wxpay-wasm';\ndeclare const options: WxpayOptions;\n";
/** A notification handler's case: the reader's `markPaid`, and why the block is not TypeScript as it stands. */
const handler = (parameter) => ({
  preamble: `${CLIENT}declare const markPaid: (out_trade_no: string) => Promise<void>;\n`,
  expected: [7006, 2345],
  why: `JavaScript by nature: the handler's parameter is untyped (${parameter}); ` +
    'known gap: `markPaid(notification.resource.out_trade_no)` needs `parse<PayTransaction>`, the resource is `Record<string, unknown>`',
});

/** Per README ```ts block id: `preamble`, `postamble`, and the TS error codes the "does not compile" lines expect. */
const CASES = {
  'TypeScript #1': {
    preamble: `${CLIENT}declare const appid: string, mchid: string, out_trade_no: string, notify_url: string, openid: string;\n`,
    failing: [2551], // Property 'transactoins' does not exist ... Did you mean 'transactions'?
    // What the block's comments say of the types: `data.prepay_id` a string; `trade_state` takes the
    // documented values and any later one, and is never undefined.
    postamble: "export const prepay$: string = data.prepay_id;\n" +
      "export const state$: 'SUCCESS' extends typeof order.data.trade_state ? 'x' extends typeof order.data.trade_state ? undefined extends typeof order.data.trade_state ? never : true : never : never = true;\n",
  },
  'TypeScript #2': {
    preamble: `${CLIENT}declare const appid: string;\n`,
    postamble: 'export const prepayId$: string = r.data.prepay_id;\n',
  },
  'TypeScript #3': {
    // The merged node is typed: its answer's `id` is a string.
    postamble: "export async function check$(w: import('wxpay-wasm').Wxpay): Promise<string> {\n  return (await w.v3.newFamily.get()).data.id;\n}\n",
  },
};

/** What the ```js blocks use of Node, with @types/node's types (a script: ambient declarations). */
const NODE = `declare var process: { env: Record<string, string | undefined> };
declare module 'node:fs' {
  export function readFileSync(path: string): Uint8Array<ArrayBuffer>;
  export function createWriteStream(path: string): import('node:stream').Writable;
}
declare module 'node:fs/promises' {
  export function readFile(path: string): Promise<Uint8Array<ArrayBuffer>>;
}
declare module 'node:crypto' {
  export function createHash(algorithm: string): { update(data: string | Uint8Array): { digest(encoding: 'hex'): string } };
  export class KeyObject {
    export(options: { type: 'pkcs1' | 'spki' | 'pkcs8' | 'sec1'; format: 'pem' }): string | Buffer;
  }
  export function generateKeyPairSync(type: 'rsa', options: { modulusLength: number }): { publicKey: KeyObject; privateKey: KeyObject };
  export function randomUUID(): \`\${string}-\${string}-\${string}-\${string}-\${string}\`;
  export function sign(algorithm: string | null | undefined, data: Uint8Array, key: KeyObject): Buffer;
  export interface CipherGCM {
    setAAD(buffer: Uint8Array): this;
    update(data: string): Buffer;
    final(): Buffer;
    getAuthTag(): Buffer;
  }
  export function createCipheriv(algorithm: 'aes-256-gcm', key: string | Uint8Array, iv: string | Uint8Array): CipherGCM;
}
interface Buffer extends Uint8Array<ArrayBuffer> { toString(encoding?: 'utf8' | 'base64' | 'hex'): string }
declare var Buffer: { from(text: string, encoding?: 'utf8' | 'base64' | 'hex'): Buffer; concat(list: readonly Uint8Array[]): Buffer };
declare module 'node:stream' {
  export class Writable { static toWeb(stream: Writable): WritableStream; }
}
`;

/**
 * Per README ```js block id: `preamble`, `postamble`; `expected` (the TS error codes the block
 * fails with, and `why`), or `skip` (why it is not checked).
 */
const JS_CASES = {
  'Use #1': {
    // A whole program: no preamble.
    postamble: 'export const status$: 200 = status, ok$: boolean = ok;\n',
  },
  'Payment parameters for the front end #1': {
    preamble: CLIENT,
    postamble: 'export const paySign$: string = params.paySign, sign$: string = appParams.sign;\n',
  },
  'Payment parameters for the front end #2': {
    // `serviceOrder`: the answer of 创建支付分订单, typed as the package types it (its package optional).
    preamble: "declare const serviceOrder: import('wxpay-wasm').ResponseData<import('wxpay-wasm').Wxpay['v3']['payscore']['serviceorder']['post']>;\n",
    postamble: "export const business$: 'wxpayScoreUse' = scoreParams.businessType, scoreSign$: string = scoreParams.extraData.sign;\n",
  },
  'Payment parameters for the front end #3': {
    // A whole program: no preamble.
    postamble: "export const couponSign$: string = sign;\n",
  },
  'Partners (服务商) #1': {
    preamble: CLIENT,
    postamble: "export const partnerSign$: string = params.paySign, partnerState$: string = order.trade_state, partnerSub$: string = order.sub_mchid;\n",
  },
  'Partners (服务商) #2': {
    // What a notify handler has (`request`), the partner's id and the reader's own record of its orders.
    preamble: `${CLIENT}declare const request: Request;\ndeclare const sp_mchid: string;\ndeclare const orders: Map<string, { total: number }>;\n`,
    postamble: "export const refundNo$: string = refund.out_refund_no, refundStatus$: string = status.status;\n",
    expected: [2339, 2322, 2322, 2322],
    why: 'JavaScript by nature: the notification\'s `resource` is `Record<string, unknown>` without a type argument ' +
      '(the block\'s comment says `parse<PartnerPayTransaction>` in TypeScript), so `resource.amount?.total` and the ids it hands the refund are `unknown`',
  },
  'Retries, the backup host and hooks #1': {
    // `options` (the first snippet's), a logger and a metrics sink are the reader's.
    preamble: `${OPTIONS}declare const log: { debug(...args: unknown[]): void };
declare const metrics: { observe(name: string, labels: Record<string, unknown>, value: number): void };
`,
  },
  'Testing your code #1': {
    // A whole program: no preamble.
    postamble: "export const prepay$: string = data.prepay_id;\nexport const event$: string = paid.event_type;\n",
    expected: [7006, 7006, 7006, 7006, 7006],
    why: "JavaScript by nature: the helpers' parameters are untyped (`signatureHeaders(body)`, `signed(status, data)`, `notification(event_type, resource)`; in TypeScript `body: string`, `status: number, data: unknown`, `event_type: string, resource: object`)",
  },
  'Behind a proxy #1': {
    skip: "undici's declarations need @types/node, which these checks go without (the block runs in tests/node/readme.test.mjs)",
  },
  'Notifications (回调通知) #1': handler('`onNotify(request)`; in TypeScript `request: Request`'),
  'Notifications (回调通知) #2': {
    // What a node:http handler has: its request, as @types/node declares it (here without it: the
    // members parse reads, with @types/node's catch-all signatures).
    preamble: `${CLIENT}declare const req: { headers: { [header: string]: string | string[] | undefined }; on(event: string | symbol, listener: (...args: any[]) => void): unknown; removeListener(event: string | symbol, listener: (...args: any[]) => void): unknown; resume(): unknown };\n`,
  },
  "In Node's frameworks #1": handler("`handler(event)`; in TypeScript the platform's event type, e.g. @types/aws-lambda's"),
  'Runtimes #1': {
    // `options` is the first snippet's.
    preamble: OPTIONS,
  },
  'Sensitive fields (敏感信息加密) #1': {
    preamble: CLIENT,
  },
  'Uploads (图片/视频上传) #1': {
    preamble: CLIENT,
  },
  'Downloads, bills and statements (账单下载) #1': {
    preamble: CLIENT,
  },
  'Downloads, bills and statements (账单下载) #2': {
    // `data` is the tradebill answer of the block above.
    preamble: `${CLIENT}const { data } = await wxpay.v3.bill.tradebill.get({ params: { bill_date: '2024-06-01', tar_type: 'GZIP' } });\n`,
  },
  'Errors #1': {
    // `WxpayError`, `card_id` and `code` come from the first snippet.
    preamble: `${CLIENT}import { WxpayError } from 'wxpay-wasm';\ndeclare const card_id: string, code: string;\n`,
  },
};

const blocks = readmeBlocks('ts');
const jsBlocks = readmeBlocks('js');

test('README: every ```ts block has a case here, and every case a block', () => {
  assert.deepEqual(blocks.map((b) => b.id).sort(), Object.keys(CASES).sort());
});

test('README: every ```js block is classified here (checked, expected errors, or skipped), and every case is a block', () => {
  assert.deepEqual(jsBlocks.map((b) => b.id).sort(), Object.keys(JS_CASES).sort());
  for (const [id, c] of Object.entries(JS_CASES)) {
    assert.ok(!(c.expected && c.skip), `${id}: expected errors or skipped, not both`);
    if (c.expected || c.skip) assert.ok(c.why ?? c.skip, `${id}: says why`);
  }
});

/** Writes the blocks as modules under .work/readme-ts/: the files, and the errors expected where. */
function writeBlocks() {
  const dir = join(root, '.work', 'readme-ts');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const node = resolve(dir, 'node.d.ts');
  writeFileSync(node, NODE);
  const files = [node];
  const expected = new Map(); // `${file}:${line}` -> code
  blocks.forEach((block, i) => {
    const c = CASES[block.id];
    const pre = c.preamble ?? '';
    const file = resolve(dir, `readme-${i + 1}.ts`);
    writeFileSync(file, `${pre}${block.code}${c.postamble ?? ''}`);
    files.push(file);
    const offset = pre.split('\n').length - 1;
    const failing = block.code.split('\n').flatMap((l, n) => (/\/\/.*does not compile/.test(l) ? [offset + n + 1] : []));
    assert.equal(failing.length, (c.failing ?? []).length, `${block.id}: the "does not compile" lines and the codes expected for them`);
    failing.forEach((line, k) => expected.set(`${file}:${line}`, c.failing[k]));
  });
  const jsFiles = new Map(); // file -> the block's case
  jsBlocks.forEach((block, i) => {
    const c = JS_CASES[block.id];
    if (c.skip) return;
    const file = resolve(dir, `readme-js-${i + 1}.ts`);
    writeFileSync(file, `${c.preamble ?? ''}${block.code}${c.postamble ?? ''}`);
    files.push(file);
    jsFiles.set(file, { id: block.id, ...c });
  });
  return { files, expected, jsFiles };
}

/**
 * `{ diagnostics: [{ file, line, code, message }], read }` of `files` compiled with the options of
 * `configPath`: through the locked `typescript`'s API, or, given `tsc`, that compiler's command
 * line (a tsconfig.json beside the blocks extends `configPath`, listing them).
 */
function compile(configPath, files, tsc) {
  if (tsc) {
    const config = join(dirname(files[0]), 'tsconfig.json');
    writeFileSync(config, `${JSON.stringify({ extends: configPath, include: [], files }, null, 2)}\n`);
    const { diagnostics, files: read } = tscDiagnostics(tsc, config, root);
    return { diagnostics, read };
  }
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath));
  const program = ts.createProgram(files, { ...options, noEmit: true });
  return { diagnostics: programDiagnostics(program), read: program.getSourceFiles().map((f) => f.fileName) };
}

/**
 * The problems of the blocks compiled with the options of `tsconfig` (a file of tests/types), by
 * the locked TypeScript or the compiler at `tsc`.
 */
function check(tsconfig, tsc) {
  const { files, expected, jsFiles } = writeBlocks();
  const { diagnostics, read } = compile(join(root, 'tests/types', tsconfig), files, tsc);
  const problems = [];
  const seen = new Set();
  const jsErrors = new Map([...jsFiles.keys()].map((f) => [f, []]));
  for (const d of diagnostics) {
    const where = d.file ? `${d.file}:${d.line}` : '(global)';
    const message = `${where}: TS${d.code} ${d.message}`;
    if (expected.get(where) === d.code) { seen.add(where); continue; }
    if (d.file && jsErrors.has(d.file)) { jsErrors.get(d.file).push({ code: d.code, message }); continue; }
    problems.push(message);
  }
  for (const [where, code] of expected) if (!seen.has(where)) problems.push(`${where}: expected TS${code}, but the line compiles`);
  for (const [file, errors] of jsErrors) {
    const c = jsFiles.get(file);
    const got = errors.map((e) => e.code).sort();
    const want = [...(c.expected ?? [])].sort();
    if (got.join() === want.join()) continue;
    if (!errors.length) problems.push(`${c.id} (${file}): compiles now, but the case expects TS${want.join(', TS')} (${c.why}): make it a checked case`);
    else problems.push(`${c.id} (${file}): ${want.length ? `expected TS${want.join(', TS')} (${c.why}), got` : 'does not compile as TypeScript:'}\n  ${errors.map((e) => e.message).join('\n  ')}`);
  }
  // The blocks were checked against the package's declarations, not against nothing.
  assert.ok(read.some((f) => f.endsWith('node_modules/wxpay-wasm/index.d.ts')), 'index.d.ts was read');
  return problems;
}

test('README: the ```ts and ```js blocks type-check as pasted (tsconfig.json: strict, module nodenext)', () => {
  assert.deepEqual(check('tsconfig.json'), []);
});

test('README: ... and with exactOptionalPropertyTypes (tsconfig.bundler.json: moduleResolution bundler)', () => {
  assert.deepEqual(check('tsconfig.bundler.json'), []);
});

// TypeScript 7 (the compiler written anew, `typescript-7` of tests/types/compilers, installed by run.sh) has no API: its command
// line, on the same files and options. The error codes expected are the same.
const TSC7 = join(root, 'tests/types/compilers/node_modules/typescript-7/bin/tsc');

test(`README: ... as pasted under TypeScript 7 too (${tscVersion(TSC7)}; tsconfig.json)`, () => {
  assert.deepEqual(check('tsconfig.json', TSC7), []);
});

test('README: ... and under TypeScript 7 with tsconfig.bundler.json', () => {
  assert.deepEqual(check('tsconfig.bundler.json', TSC7), []);
});
