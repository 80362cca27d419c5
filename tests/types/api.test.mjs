// api/** and docs/endpoints.md are what scripts/gen-api.mjs makes of the corpus
// (../shared/openapi beside the clone): current, complete (every path and method
// of docs/v3 typed, none skipped), and facts only (short labels, no examples).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isScalar, isSeq, parse, parseDocument, visit } from 'yaml';
import { AMENDMENTS, INBOUND, amend, checkLabelRules, defaultCorpus, docLinks, familyJson, familyOf, fileRoutes, readCorpus, shortLabel, valueLabel, writeAll } from '../../scripts/gen-api.mjs';
import { chainExpression, generate, readFamilies } from '../../scripts/gen-types.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = defaultCorpus(root);
const VERBS = ['get', 'post', 'put', 'patch', 'delete'];

function files(dir, ext) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** A corpus of a test's own in a temporary folder: `write(rel, text)` puts a file under its docs/. */
function scratchCorpus(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const write = (rel, text) => {
    mkdirSync(join(dir, 'docs', rel, '..'), { recursive: true });
    writeFileSync(join(dir, 'docs', rel), text);
  };
  return { dir, write };
}

/** The corpus's own count, read without the generator: every method key of every docs/v3 file. */
function corpusEndpoints() {
  const v3 = join(corpus, 'docs/v3');
  const out = [];
  for (const rel of files(v3, '.yaml')) {
    const doc = parse(readFileSync(join(v3, rel), 'utf8'));
    if (INBOUND.has(`v3/${rel}`)) continue;
    // `{empty}.yaml` is the corpus's name for a path ending in `/` (no placeholder of the API).
    const path = `/v3/${rel.replace(/\.yaml$/, '').replace(/\/\{empty\}$/, '/')}`;
    for (const verb of Object.keys(doc)) if (VERBS.includes(verb)) out.push(`${verb.toUpperCase()} ${path}`);
  }
  return out.sort();
}

const families = readFamilies(join(root, 'api'));
const described = families.flatMap(([, text]) => Object.entries(JSON.parse(text).paths).flatMap(([path, ops]) => Object.keys(ops).map((verb) => `${verb.toUpperCase()} ${path}`))).sort();

test('the committed api/ and docs/endpoints.md are what `make api` makes of the corpus', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-api-'));
  try {
    await writeAll({ corpus, hand: join(root, 'api-hand'), api: join(dir, 'api'), docs: join(dir, 'endpoints.md') });
    const fresh = files(join(dir, 'api'), '.json');
    assert.deepEqual(files(join(root, 'api'), '.json'), fresh, 'the same family files: run `make api` and commit');
    for (const rel of fresh) {
      assert.equal(readFileSync(join(root, 'api', rel), 'utf8'), readFileSync(join(dir, 'api', rel), 'utf8'), `api/${rel} is stale: run \`make api\` and commit`);
    }
    assert.equal(readFileSync(join(root, 'docs/endpoints.md'), 'utf8'), readFileSync(join(dir, 'endpoints.md'), 'utf8'), 'docs/endpoints.md is stale: run `make api`');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every path and method of docs/v3 is typed, and nothing else (but what WeChat Pay posts to the merchant)', () => {
  const expected = corpusEndpoints();
  // The one inbound description: the notifications WeChat Pay posts, which no merchant calls.
  assert.deepEqual([...INBOUND], ['v3/webhooks.yaml']);
  assert.match(readFileSync(join(corpus, 'docs/v3/webhooks.yaml'), 'utf8'), /summary: .*微信支付平台通知商户/);
  assert.equal(expected.length, 992);
  assert.ok(!described.some((e) => e.endsWith(' /v3/webhooks')), 'webhooks is not in the chain');
  assert.equal(new Set(expected).size, expected.length);
  assert.deepEqual(expected.filter((e) => e.endsWith('/')), ['POST /v3/applyment4sub/applyment/', 'POST /v3/ecommerce/applyments/']);
  assert.equal(described.length, expected.length, `${described.length} typed endpoints, ${expected.length} in the corpus`);
  assert.deepEqual(described, expected);
  assert.equal(files(join(corpus, 'docs/v3'), '.yaml').length, 914, 'the corpus has 914 path files');
  // ... and each is a method in the declarations: one signature per endpoint.
  const core = readFileSync(join(root, 'pkg-template/index.d.ts'), 'utf8');
  const out = generate(core, families).slice(core.length);
  const signatures = out.match(/^\s*(get|post|put|patch|delete)\(.*\): Promise<WxpayResponse</gm) ?? [];
  assert.equal(signatures.length, expected.length);
});

test('docs/endpoints.md lists every endpoint with its chain expression', () => {
  const page = readFileSync(join(root, 'docs/endpoints.md'), 'utf8');
  for (const e of described) {
    const [verb, path] = e.split(' ');
    assert.ok(page.includes(`| \`${chainExpression(path)}\` | ${verb} |`), e);
  }
  assert.ok(page.includes("| `wxpay.v3.profitsharing['receivers/delete']` | POST |"), 'a segment named like a verb is reached by a bracket path');
  assert.ok(page.includes('| `wxpay.v3.pay.transactions.outTradeNo._out_trade_no_` | GET |'));
  assert.ok(page.includes("| `wxpay.v3.applyment4sub['applyment/']` | POST |"), "a path's trailing slash joins its last segment's bracket step");
});

test('facts only: short labels, no examples, official links', () => {
  const labels = [];
  const walk = (node, key) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n));
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      assert.ok(!['example', 'examples', 'default', 'x-json'].includes(k), `a corpus ${k} was copied`);
      if (k === 'description' && typeof v === 'string' && key !== 'hand') labels.push(v);
      walk(v, k);
    }
  };
  const hand = new Set(readFileSync(join(root, 'api-hand/marketing/membercard-open.json'), 'utf8').match(/"description": "[^"]*"/g));
  for (const [rel, text] of families) {
    const desc = JSON.parse(text);
    walk(desc.paths);
    for (const [path, ops] of Object.entries(desc.paths)) {
      for (const op of Object.values(ops)) {
        for (const url of [op.link, ...(op.see ?? [])].filter(Boolean)) assert.match(url, /^https:\/\/pay\.weixin\.qq\.com\//, `${rel} ${path}`);
      }
    }
  }
  const long = labels.filter((l) => [...l].length > 40 && !hand.has(`"description": "${l}"`));
  assert.deepEqual(long, [], 'labels are at most 40 characters');
  assert.equal(shortLabel('会员卡编号，商户自定义的会员卡号。\n第二段'), '会员卡编号');
  assert.equal(shortLabel('支付状态：SUCCESS-支付成功'), '支付状态');
  assert.equal(shortLabel('[官方文档](https://x) 说明'), '官方文档 说明');
  assert.equal([...shortLabel('长'.repeat(60))].length, 40);
  // A cut that leaves a bracket open ends before it; whole brackets stay.
  assert.equal(shortLabel('支付失败(其他原因，如银行返回失败)'), '支付失败');
  // An enum value's label is cut at a sentence end only: its commas carry the meaning.
  assert.equal(valueLabel('距离现在(0,1]天'), '距离现在(0,1]天', 'any closing bracket closes: an interval');
  assert.equal(valueLabel('银行返回转账成功后，拒绝入账。请核实'), '银行返回转账成功后，拒绝入账');
  assert.equal(shortLabel('银行返回转账成功后，拒绝入账'), '银行返回转账成功后');
  assert.equal(shortLabel('已撤销（付款码支付）'), '已撤销（付款码支付）');
  assert.equal(shortLabel(`时间戳（调用 ${'x'.repeat(40)}() 获取）`), '时间戳');
  assert.equal(shortLabel('（必填）金额，单位分'), '（必填）金额', 'a bracket that opens the label is kept');
  assert.deepEqual(docLinks('见 [a](https://pay.weixin.qq.com/doc/1) [b](https://example.com/x) [c](https://pay.weixin.qq.com/doc/1)'), ['https://pay.weixin.qq.com/doc/1']);
  // The old wiki's pages after the current documentation's (the first is an editor's @link).
  const w = 'https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter5_1_1.shtml';
  const d = 'https://pay.weixin.qq.com/docs/merchant/apis/combine-payment/orders/jsapi-prepay.html';
  const e = 'https://pay.weixin.qq.com/docs/partner/apis/combine-payment/orders/jsapi-prepay.html';
  assert.deepEqual(docLinks(`[1](${w}) [2](${d}) [3](${e})`), [d, e, w]);
  // In the generated descriptions: an endpoint with a current page has one as its link.
  const combined = JSON.parse(readFileSync(new URL('../../api/combine-transactions/jsapi.json', import.meta.url), 'utf8')).paths['/v3/combine-transactions/jsapi'].post;
  assert.doesNotMatch(combined.link, /\/wiki\//);
  assert.ok(combined.see.length >= 5, `${combined.see.length} more links`);
  // Nowhere (the hand-written descriptions too) is an old wiki page the link while a current page
  // is among its others, but in the seed's family, whose page protocol.md names.
  const dir = fileURLToPath(new URL('../../api', import.meta.url));
  const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.json') && !f.startsWith('marketing/membercard-open'));
  let checked = 0;
  for (const f of files) {
    for (const ops of Object.values(JSON.parse(readFileSync(join(dir, f), 'utf8')).paths ?? {})) {
      for (const op of Object.values(ops)) {
        if (op.link === undefined) continue;
        checked++;
        if (/\/wiki\//.test(op.link)) assert.ok(!(op.see ?? []).some((u) => !/\/wiki\//.test(u)), `${f}: ${op.link}`);
      }
    }
  }
  assert.ok(checked > 500, `${checked} links`);
});

test('families are the first two literal segments of a path', () => {
  assert.equal(familyOf('/v3/pay/transactions/jsapi'), 'pay/transactions');
  assert.equal(familyOf('/v3/certificates'), 'certificates');
  assert.equal(familyOf('/v3/ecommerce/{x}/y'), 'ecommerce');
});

test('tests/types/families.ts has a typed call for every tag family', () => {
  const text = readFileSync(join(root, 'tests/types/families.ts'), 'utf8');
  const covered = new Set([...text.matchAll(/^\/\/ ([^:\n]+): .* \((GET|POST|PUT|PATCH|DELETE) (\/v3\/\S+)\)$/gm)].map((m) => m[1]));
  const all = new Set();
  for (const [, text] of families) {
    for (const ops of Object.values(JSON.parse(text).paths)) for (const op of Object.values(ops)) all.add(op.tags[0].split('∙')[0]);
  }
  assert.deepEqual([...covered].sort(), [...all].sort());
  for (const m of text.matchAll(/^\/\/ ([^:\n]+): .* \((GET|POST|PUT|PATCH|DELETE) (\/v3\/\S+)\)\nconst (r\d+) = await (\S+)\.(get|post|put|patch|delete)\(/gm)) {
    assert.equal(m[5].replace(/\$(\w+)\$/g, '_$1_'), chainExpression(m[3]), m[3]);
    assert.equal(m[6], m[2].toLowerCase(), m[3]);
  }
  assert.equal([...text.matchAll(/^const r\d+ = await /gm)].length, covered.size);
});

test("a placeholder the family's first operation labels otherwise keeps its own label in the operations that differ", () => {
  const { dir, write } = scratchCorpus('gen-api-labels-');
  const get = (label) => `get:\n  summary: T\n  parameters:\n    - { name: id, in: path, required: true, type: string, description: ${label} }\n  responses:\n    200:\n      schema: { type: object }\n`;
  try {
    write('v3/m/n/{id}.yaml', get('编号'));
    write('v3/m/n/{id}/other.yaml', get('另一种单号'));
    write('v3/m/n/{id}/same.yaml', get('编号'));
    const { families } = readCorpus(dir);
    const desc = JSON.parse(familyJson(families.get('m/n')));
    assert.deepEqual(desc.placeholders, { id: '编号' });
    assert.deepEqual(desc.paths['/v3/m/n/{id}/other'].get.placeholders, { id: '另一种单号' });
    assert.equal(desc.paths['/v3/m/n/{id}'].get.placeholders, undefined);
    assert.equal(desc.paths['/v3/m/n/{id}/same'].get.placeholders, undefined, "the family's label is not repeated");
    const out = generate(readFileSync(join(root, 'pkg-template/index.d.ts'), 'utf8'), [['m/n.json', JSON.stringify(desc)]]);
    assert.match(out, /\/\*\* 另一种单号 \*\/\n\s*id: string \| number;/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shape the generator cannot map fails the run, naming the corpus file and the place', () => {
  const { dir, write } = scratchCorpus('gen-api-corpus-');
  const op = (schema, extra = '') => `post:\n  summary: T\n  parameters:\n    - name: _\n      in: body\n      schema:\n${schema}\n${extra}  responses:\n    200:\n      schema: { type: object }\n`;
  const cases = [
    [op('        oneOf: [{ type: string }, { type: integer }]'), /v3\/x\/y\.yaml at post\.parameters\[0\]\(_\): schema key "oneOf" cannot be mapped/],
    [op('        type: object\n        properties:\n          a: { type: date }'), /v3\/x\/y\.yaml at post\.parameters\[0\]\(_\)\.a: type "date" cannot be mapped/],
    [op('        $ref: "../../definitions/D.yaml#Missing"'), /v3\/x\/y\.yaml at .*names nothing in definitions\/D\.yaml/],
    [op('        $ref: "../../definitions/D.yaml#Bad"'), /v3\/x\/y\.yaml \(in definitions\/D\.yaml\) at .*\.b: schema key "anyOf" cannot be mapped/],
    [op('        type: object', '    - name: c\n      in: cookie\n      type: string\n'), /parameter place "cookie" cannot be mapped/],
    ['post:\n  summary: T\n  responses:\n    400:\n      schema: { type: object }\n', /no 2xx answer is documented/],
    ['post:\n  summary: T\n  x-new-thing: 1\n  responses:\n    200: {}\n', /operation key "x-new-thing" cannot be mapped/],
  ];
  try {
    write('definitions/D.yaml', 'Bad:\n  type: object\n  properties:\n    b: { anyOf: [] }\n');
    for (const [text, message] of cases) {
      write('v3/x/y.yaml', text);
      assert.throws(() => readCorpus(dir), message, text);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mapping: allOf merges objects (a later untyped property keeps the earlier type, a name one part requires and another describes stays required) and unions enums, slips are mapped and reported', () => {
  const { dir, write } = scratchCorpus('gen-api-map-');
  try {
    write('definitions/D.yaml', [
      'Base:', '  type: object', '  required: [a, c]', '  properties:', '    a: { type: string, description: "甲字段，很长的说明。" }',
      'Kind:', '  type: string', '  enum: [X, Y]',
    ].join('\n'));
    write('v3/m/n/{id}.yaml', [
      'get:',
      '  summary: 查询',
      '  tags: [T∙U]',
      '  description: 说明 [官方文档](https://pay.weixin.qq.com/doc/1) [另见](https://pay.weixin.qq.com/doc/2)',
      '  parameters:',
      '    - { name: id, in: path, required: true, type: string, description: 编号 }',
      '    - { name: kind, in: query, allOf: [{ $ref: "../../../definitions/D.yaml#Kind" }, { type: string, enum: [Z] }] }',
      '    - { name: Idempotency-Key, in: header, required: true, description: 幂等 }',
      '  responses:',
      '    200:',
      '      schema:',
      '        allOf:',
      '          - $ref: "../../../definitions/D.yaml#Base"',
      '          - type: object',
      '            required: [b, ghost]',
      '            properties:',
      '              a: { example: A1 }',
      '              b: { type: stringde, nullable: true }',
      '              c:',
      '                type: object',
      '                properties:',
      '                  d: { type: integer, example: 1 }',
      '                e: { type: boolean }',
    ].join('\n'));
    const { families, notes } = readCorpus(dir);
    const op = families.get('m/n').paths['/v3/m/n/{id}'].get;
    assert.deepEqual(op, {
      title: '查询',
      link: 'https://pay.weixin.qq.com/doc/1',
      see: ['https://pay.weixin.qq.com/doc/2'],
      tags: ['T∙U'],
      source: 'v3/m/n/{id}.yaml',
      query: { type: 'object', properties: { kind: { type: 'string', enum: ['X', 'Y', 'Z'] } } },
      headers: { type: 'object', properties: { 'Idempotency-Key': { type: 'string', description: '幂等' } }, required: ['Idempotency-Key'] },
      response: {
        status: 200,
        body: {
          type: 'object',
          properties: {
            a: { type: 'string', description: '甲字段' },
            b: { type: 'string', nullable: true },
            c: { type: 'object', properties: { d: { type: 'integer' } } },
            e: { type: 'boolean' },
          },
          required: ['a', 'b', 'c'],
        },
      },
    });
    assert.deepEqual(families.get('m/n').placeholders, { id: '编号' });
    assert.equal(notes.length, 3, notes.join('\n'));
    assert.match(notes.join('\n'), /type "stringde" read as string/);
    assert.match(notes.join('\n'), /field "e" lifted to/);
    assert.match(notes.join('\n'), /"required" names "ghost", which has no property: ignored/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("enum labels: each value's own-line comment, cut at a sentence end, is its meaning; lines of comment alone are no value's; allOf and amendments keep them; two values of one meaning fail the run", () => {
  const { dir, write } = scratchCorpus('gen-api-labels-');
  try {
    write('definitions/D.yaml', [
      'Kind:', '  type: string', '  enum:',
      '    - X     #甲种，不是乙种。后面的说明不取',
      '    # [一页说明](https://pay.weixin.qq.com/doc/9)',
      '    - Y',
      '    - W     # [乙种](https://pay.weixin.qq.com/doc/8)',
      '    - Q',
      '        # deeper, on a line of its own: no value\'s',
      'Plain:', '  type: string', '  enum: [P, Q]',
    ].join('\n'));
    write('v3/m/n.yaml', [
      'post:',
      '  summary: 建',
      '  parameters:',
      '    - name: _',
      '      in: body',
      '      schema:',
      '        type: object',
      '        properties:',
      '          kind:',
      '            allOf:',
      '              - $ref: "../../definitions/D.yaml#Kind"',
      '              - enum:',
      '                  - Z   #丙',
      '                  - X   #不取：X 已有标签',
      '          plain: { $ref: "../../definitions/D.yaml#Plain" }',
      '          level:',
      '            type: integer',
      '            enum:',
      `              - 3   #${'长'.repeat(50)}`,
      '              - 13',
      '  responses:',
      '    204: { description: 无 }',
    ].join('\n'));
    const { families } = readCorpus(dir);
    const body = families.get('m/n').paths['/v3/m/n'].post.body.properties;
    assert.deepEqual(body.kind.enum, { X: '甲种，不是乙种', Y: '', W: '乙种', Q: '', Z: '丙' });
    assert.deepEqual(body.plain.enum, ['P', 'Q'], 'an enum without comments stays a list');
    assert.deepEqual(body.level.enum, { 3: `${'长'.repeat(39)}…`, 13: '' });
    // A copied line: two values, one meaning. The corpus's own (LABEL_SLIPS) loses its label.
    write('definitions/Enumerations.yaml', ['SubjectType:', '  type: string', '  enum:', '    - SUBJECT_TYPE_INDIVIDUAL    #个体工商户', '    - SUBJECT_TYPE_INSTITUTIONS  #个体工商户'].join('\n'));
    write('v3/m/n.yaml', ['post:', '  summary: 建', '  parameters:', '    - name: _', '      in: body', '      schema:', '        type: object', '        properties:', '          subject: { $ref: "../../definitions/Enumerations.yaml#/SubjectType" }', '  responses:', '    204: { description: 无 }'].join('\n'));
    const subject = readCorpus(dir).families.get('m/n').paths['/v3/m/n'].post.body.properties.subject;
    assert.deepEqual(subject.enum, { SUBJECT_TYPE_INDIVIDUAL: '个体工商户', SUBJECT_TYPE_INSTITUTIONS: '' });
    write('definitions/Enumerations.yaml', ['SubjectType:', '  type: string', '  enum:', '    - A  #同一个', '    - B  #同一个'].join('\n'));
    assert.throws(() => readCorpus(dir), /definitions\/Enumerations\.yaml at enum: values A B have one label, 同一个/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The corpus needs each label rule; with none used, the first is named as stale.
  assert.doesNotThrow(() => checkLabelRules(readCorpus(corpus).labelRules));
  assert.throws(() => checkLabelRules(new Set()), /definitions\/Enumerations\.yaml: the label rule "SUBJECT_TYPE_INSTITUTIONS" finds nothing to do/);
  const slipsOnly = new Set([...readCorpus(corpus).labelRules].filter((rule) => typeof rule !== 'string'));
  assert.throws(() => checkLabelRules(slipsOnly), /^CorpusError: SHARED_LABELS: the label rule "USER_APPLY_PLATFORM_HELP USER_APPLY_PLATFORM_SERVICE" finds nothing to do/);
  // In the committed descriptions: a partner's 进件 names each kind of identity document.
  const applyment = JSON.parse(readFileSync(join(root, 'api/applyment4sub/applyment.json'), 'utf8'));
  const docType = JSON.stringify(applyment).match(/"id_doc_type":\{"type":"string","enum":(\{[^}]*\})/);
  assert.ok(docType, 'applyment4sub has an id_doc_type enum of value -> meaning');
  assert.equal(JSON.parse(docType[1]).IDENTIFICATION_TYPE_IDCARD, '中国大陆居民-身份证');
  const subjectType = JSON.stringify(applyment).match(/"subject_type":\{"type":"string","description":"主体类型","enum":(\{[^}]*\})/);
  assert.equal(JSON.parse(subjectType[1]).SUBJECT_TYPE_INSTITUTIONS, '', "the corpus's copied 个体工商户 is left out");
  // An amendment's enum (AMENDMENTS: the profit-sharing query's, from the create answer) keeps its labels.
  const orders = JSON.parse(readFileSync(join(root, 'api/profitsharing/orders.json'), 'utf8'));
  const receiver = orders.paths['/v3/profitsharing/orders/{out_order_no}'].get.response.body.properties.receivers.items.properties;
  assert.equal(receiver.fail_reason.enum.NO_AUTH, '分账权限已解除');
});

test("the hand-written descriptions' enums carry the labels of a corpus enum of the same values, where the corpus labels one", () => {
  // Every labelled enum of the corpus, by its values: read here with the yaml package's document,
  // apart from gen-api's enumLabels (shortLabel is the one rule both share).
  const labelled = new Map();
  for (const rel of files(join(corpus, 'docs'), '.yaml')) {
    visit(parseDocument(readFileSync(join(corpus, 'docs', rel), 'utf8')), {
      Pair(_, pair) {
        if (!isScalar(pair.key) || pair.key.value !== 'enum' || !isSeq(pair.value)) return;
        const labels = Object.fromEntries(pair.value.items.map((i) => [String(i.value), valueLabel(i.comment) ?? '']));
        if (!Object.values(labels).some(Boolean)) return;
        const key = Object.keys(labels).sort().join('\n');
        labelled.set(key, [...new Set([...(labelled.get(key) ?? []), JSON.stringify(labels)])]);
      },
    });
  }
  let checked = 0;
  const wrong = [];
  for (const rel of files(join(root, 'api-hand'), '.json')) {
    const walk = (node, where) => {
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k !== 'enum') {
          walk(v, `${where}.${k}`);
          continue;
        }
        const values = Array.isArray(v) ? v.map(String) : Object.keys(v);
        const known = labelled.get([...values].sort().join('\n'));
        if (!known) continue;
        checked++;
        const sorted = (labels) => JSON.stringify(Object.fromEntries(Object.entries(labels).sort()));
        if (Array.isArray(v)) wrong.push(`api-hand/${rel} ${where}: the corpus labels these values (${known[0]}): give them`);
        else if (!known.some((k2) => sorted(JSON.parse(k2)) === sorted(v))) wrong.push(`api-hand/${rel} ${where}: ${sorted(v)} are none of the corpus's labels for these values: ${known.join(' or ')}`);
      }
    };
    walk(JSON.parse(readFileSync(join(root, 'api-hand', rel), 'utf8')), '');
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked >= 9, `the order query's trade_state and trade_type among them (${checked} checked)`);
});

test("answers that are files: the runtime's routes (src/response.rs), typed as bytes; the corpus may not disagree", () => {
  // The rule as src/response.rs states it: GET only, exact routes, one segment under an image prefix.
  const isFile = fileRoutes();
  for (const path of ['/v3/billdownload/file', '/v3/bill/downloadurl', '/v3/transferdownload/signfile', '/v3/merchant-service/images/{media_id}', '/v3/global/merchant-service/images/{media_id}', '/v3/global/statements', '/v3/statements']) {
    assert.equal(isFile('get', path), true, path);
  }
  for (const [verb, path] of [['post', '/v3/billdownload/file'], ['get', '/v3/billdownload/files'], ['get', '/v3/bill/tradebill'], ['get', '/v3/merchant-service/images/a/b'], ['post', '/v3/merchant-service/images/upload'], ['get', '/v3/x/v3/billdownload/file']]) {
    assert.equal(isFile(verb, path), false, `${verb} ${path}`);
  }
  // The committed descriptions: exactly these typed GETs answer a file.
  const files = families.flatMap(([, text]) => Object.entries(JSON.parse(text).paths).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([, op]) => [op.response].flat().some((a) => a.body?.type === 'file')).map(([verb]) => `${verb.toUpperCase()} ${path}`)));
  assert.deepEqual(files.sort(), [
    'GET /v3/billdownload/file',
    'GET /v3/global/merchant-service/images/{media_id}',
    'GET /v3/global/statements',
    'GET /v3/merchant-service/images/{media_id}',
    'GET /v3/transferdownload/elecvoucherfile',
    'GET /v3/transferdownload/signfile',
  ]);
  assert.deepEqual(described.filter((e) => isFile(e.split(' ')[0].toLowerCase(), e.split(' ')[1])).sort(), files.sort(), 'every typed route the runtime answers with bytes');

  const { dir, write } = scratchCorpus('gen-api-files-');
  const get = (produces, answer) => `get:\n  summary: T\n${produces ? `  produces: [${produces}]\n` : ''}  responses:\n    200: ${answer}\n`;
  try {
    write('v3/billdownload/file.yaml', get('text/plain, application/x-gzip', '{}'));
    write('v3/merchant-service/images/{media_id}.yaml', get('', '{ schema: {} }'));
    write('v3/bill/tradebill.yaml', get('application/json', '{ schema: { type: object, properties: { a: { type: string } } } }'));
    const { families: fams } = readCorpus(dir);
    assert.deepEqual(fams.get('billdownload/file').paths['/v3/billdownload/file'].get.response, { status: 200, body: { type: 'file' } });
    assert.deepEqual(fams.get('merchant-service/images').paths['/v3/merchant-service/images/{media_id}'].get.response, { status: 200, body: { type: 'file' } });
    assert.deepEqual(fams.get('bill/tradebill').paths['/v3/bill/tradebill'].get.response.body.properties, { a: { type: 'string' } });
    // A file the runtime would parse as JSON, or a JSON shape the runtime hands back as bytes: the run fails.
    write('v3/bill/tradebill.yaml', get('application/pdf', '{}'));
    assert.throws(() => readCorpus(dir), /v3\/bill\/tradebill\.yaml at get: produces application\/pdf \(a file\), but the runtime parses this route's answer as JSON/);
    write('v3/bill/tradebill.yaml', get('', '{}'));
    write('v3/billdownload/file.yaml', get('text/plain', '{ schema: { type: object, properties: { a: { type: string } } } }'));
    assert.throws(() => readCorpus(dir), /v3\/billdownload\/file\.yaml at get\.responses\.200: describes a JSON answer, but the runtime hands this route's answer back as bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The rule is read from the Rust source: a list it cannot read fails the run.
  const rs = join(mkdtempSync(join(tmpdir(), 'gen-api-rs-')), 'response.rs');
  writeFileSync(rs, 'pub const UNSIGNED_DOWNLOADS: [&str; 2] = ["v3/a"];\n');
  assert.throws(() => fileRoutes(rs), /cannot read the list UNSIGNED_DOWNLOADS/);
  rmSync(join(rs, '..'), { recursive: true, force: true });
});

test('amendments: each takes its names out of the required list it names, and one that amends nothing fails the run', () => {
  const order = () => ({ body: { type: 'object', properties: { sub_orders: { type: 'array', items: { type: 'object', properties: { a: {}, sub_mchid: {} }, required: ['a', 'sub_mchid'] } } } } });
  const families = new Map([['combine-transactions/jsapi', { paths: { '/v3/combine-transactions/jsapi': { post: order() } } }]]);
  const notes = [];
  const combined = AMENDMENTS.filter((rule) => rule.paths.test('/v3/combine-transactions/jsapi') && rule.optional?.includes('sub_mchid'));
  assert.equal(combined.length, 1);
  amend(families, notes, combined);
  assert.deepEqual(families.get('combine-transactions/jsapi').paths['/v3/combine-transactions/jsapi'].post.body.properties.sub_orders.items.required, ['a']);
  assert.equal(notes.length, 1);
  assert.match(notes[0], /^\/v3\/combine-transactions\/jsapi post body\.sub_orders\.\[\]: sub_mchid optional/);
  // Already optional (the corpus moved on), or no such operation: the rule fails, naming itself.
  assert.throws(() => amend(families, [], combined), /finds no sub_mchid required here/);
  assert.throws(() => amend(new Map(), [], combined), /AMENDMENTS.*no post operation matches/);
});

test("amendments: a field taken out of an answer's required list (a receiver's fail_reason, which comes with CLOSED only)", () => {
  const answer = () => ({ response: { status: 200, body: { type: 'object', properties: { receivers: { type: 'array', items: { type: 'object', properties: { result: {}, fail_reason: {} }, required: ['result', 'fail_reason'] } } } } } });
  const paths = { '/v3/profitsharing/orders/unfreeze': { post: answer() }, '/v3/global/profit-sharing/orders': { post: answer() }, '/v3/global/profit-sharing/orders/{out_order_no}': { get: answer() } };
  const families = new Map([['profitsharing/orders', { paths }]]);
  const rules = AMENDMENTS.filter((rule) => rule.optional?.includes('fail_reason'));
  assert.equal(rules.length, 2);
  const notes = [];
  amend(families, notes, rules);
  for (const [path, ops] of Object.entries(paths)) {
    for (const op of Object.values(ops)) assert.deepEqual(op.response.body.properties.receivers.items.required, ['result'], path);
  }
  assert.equal(notes.length, 3);
  assert.match(notes[0], /^\/v3\/profitsharing\/orders\/unfreeze post response\.body\.receivers\.\[\]: fail_reason optional/);
  // Not where the corpus has it optional already (v3/profitsharing/orders' answer): nothing to amend, the run fails.
  assert.throws(() => amend(families, [], rules), /finds no fail_reason required here/);
  // The answer as an array of statuses, as a description may give it: the 2xx with a body.
  const listed = { status: 200, body: answer().response.body };
  const one = new Map([['profitsharing/orders', { paths: { '/v3/profitsharing/orders/unfreeze': { post: { response: [{ status: 204 }, listed] } } } }]]);
  amend(one, [], [rules[0]]);
  assert.deepEqual(listed.body.properties.receivers.items.required, ['result']);
});

test('amendments: names added to a required list (a field the service refuses a request without), and one already required fails the run', () => {
  const split = () => ({ body: { type: 'object', properties: { appid: {}, receivers: {}, transaction_id: {} }, required: ['transaction_id'] } });
  const families = new Map([['profitsharing/orders', { paths: { '/v3/profitsharing/orders': { post: split() } } }]]);
  const rules = AMENDMENTS.filter((rule) => rule.paths.test('/v3/profitsharing/orders') && rule.verb === 'post' && rule.required);
  assert.equal(rules.length, 1);
  const notes = [];
  amend(families, notes, rules);
  assert.deepEqual(families.get('profitsharing/orders').paths['/v3/profitsharing/orders'].post.body.required, ['transaction_id', 'appid', 'receivers']);
  assert.match(notes[0], /^\/v3\/profitsharing\/orders post body: appid, receivers required/);
  // Already required (the corpus moved on), or not described: the rule fails, naming itself.
  assert.throws(() => amend(families, [], rules), /finds no optional appid, receivers here/);
  const gone = new Map([['profitsharing/orders', { paths: { '/v3/profitsharing/orders': { post: { body: { type: 'object', properties: { appid: {} } } } } } }]]);
  assert.throws(() => amend(gone, [], rules), /finds no optional appid, receivers here/);
  // Both ways in one rule: a store named by its id, its name, area code and address optional.
  const store = { type: 'object', properties: { id: {}, name: {}, area_code: {}, address: {} }, required: ['name', 'area_code', 'address'] };
  const order = new Map([['pay/transactions', { paths: { '/v3/pay/transactions/jsapi': { post: { body: { type: 'object', properties: { scene_info: { type: 'object', properties: { payer_client_ip: {}, store_info: store } } } } } } } }]]);
  amend(order, [], AMENDMENTS.filter((rule) => rule.paths.test('/v3/pay/transactions/jsapi') && rule.at.includes('store_info')));
  assert.deepEqual(store.required, ['id']);
  // Only some of the names to take out are required: the rule fails (the corpus has moved on).
  store.required = ['name', 'id'];
  assert.throws(() => amend(order, [], AMENDMENTS.filter((rule) => rule.paths.test('/v3/pay/transactions/jsapi') && rule.at.includes('store_info'))), /finds no name, area_code, address required here/);
});

test('amendments: optional fields of which a request names one become alternatives (oneOf), and a rule that finds them so, or required, fails the run', () => {
  const refund = () => ({ body: { type: 'object', properties: { sub_mchid: {}, transaction_id: { type: 'string' }, out_trade_no: { type: 'string' }, out_refund_no: {} }, required: ['out_refund_no'] } });
  const families = new Map([['refund/domestic', { paths: { '/v3/refund/domestic/refunds': { post: refund() } } }]]);
  const rules = AMENDMENTS.filter((rule) => rule.paths.test('/v3/refund/domestic/refunds') && rule.oneOf);
  assert.equal(rules.length, 1);
  const notes = [];
  amend(families, notes, rules);
  const body = families.get('refund/domestic').paths['/v3/refund/domestic/refunds'].post.body;
  assert.deepEqual(Object.keys(body.properties), ['sub_mchid', 'out_refund_no']);
  assert.deepEqual(body.oneOf, [
    { type: 'object', properties: { transaction_id: { type: 'string' } }, required: ['transaction_id'] },
    { type: 'object', properties: { out_trade_no: { type: 'string' } }, required: ['out_trade_no'] },
  ]);
  assert.match(notes[0], /^\/v3\/refund\/domestic\/refunds post body: one of transaction_id or out_trade_no/);
  // Applied already (the fields gone from the properties), or one of them required by the corpus: the rule fails.
  assert.throws(() => amend(families, [], rules), /finds no optional transaction_id, out_trade_no here to take one of/);
  const required = refund();
  required.body.required.push('out_trade_no');
  assert.throws(() => amend(new Map([['refund/domestic', { paths: { '/v3/refund/domestic/refunds': { post: required } } }]]), [], rules), /to take one of/);
});

test('amendments: an enum taken from the same field of another operation, and one already so fails the run', () => {
  const answer = (state, result) => ({ response: { status: 200, body: { type: 'object', properties: { state: { type: 'string', enum: state }, receivers: { type: 'array', items: { type: 'object', properties: { result: { type: 'string', enum: result }, fail_reason: { type: 'string' } } } } } } } });
  const paths = {
    '/v3/profitsharing/orders': { post: answer(['PROCESSING', 'FINISHED'], ['PENDING', 'SUCCESS', 'CLOSED']) },
    '/v3/profitsharing/orders/{out_order_no}': { get: answer(['PENDING', 'SUCCESS', 'CLOSED'], ['NO_AUTH']) },
  };
  paths['/v3/profitsharing/orders'].post.response.body.properties.receivers.items.properties.fail_reason.enum = ['NO_AUTH'];
  const families = new Map([['profitsharing/orders', { paths }]]);
  const rules = AMENDMENTS.filter((rule) => rule.paths.test('/v3/profitsharing/orders/{out_order_no}'));
  assert.equal(rules.length, 1);
  const notes = [];
  amend(families, notes, rules);
  const got = paths['/v3/profitsharing/orders/{out_order_no}'].get.response.body;
  assert.deepEqual(got.properties.state.enum, ['PROCESSING', 'FINISHED']);
  assert.deepEqual(got.properties.receivers.items.properties.result.enum, ['PENDING', 'SUCCESS', 'CLOSED']);
  assert.deepEqual(got.properties.receivers.items.properties.fail_reason.enum, ['NO_AUTH']);
  assert.equal(notes.length, 3);
  assert.match(notes[0], /^\/v3\/profitsharing\/orders\/\{out_order_no\} get response\.body\.state: enum of post \/v3\/profitsharing\/orders/);
  // The corpus mended (the enums already as the other operation's), or the other operation gone: the rule fails.
  assert.throws(() => amend(families, [], rules), /finds the enum already as in post \/v3\/profitsharing\/orders/);
  delete paths['/v3/profitsharing/orders'];
  paths['/v3/profitsharing/orders/{out_order_no}'].get = answer(['PENDING'], ['NO_AUTH']);
  assert.throws(() => amend(families, [], rules), /finds no such field here and an enum for it/);
});

test('the hand-written descriptions (api-hand/) take every request field and query parameter the corpus documents', () => {
  const { families } = readCorpus(corpus);
  const missing = [];
  for (const rel of files(join(root, 'api-hand'), '.json')) {
    const hand = JSON.parse(readFileSync(join(root, 'api-hand', rel), 'utf8'));
    const resolve = (s) => (s?.$ref ? hand.definitions?.[s.$ref.split('/').pop()] : s);
    // `ours`: the schemas a field may take (an object's own, and each of its oneOf alternatives):
    // a field of the corpus is missing only if none of them has it.
    const alternatives = (s) => (resolve(s) ? [resolve(s), ...(resolve(s).oneOf ?? []).map(resolve)] : []);
    const walk = (ours, theirs, at) => {
      if (!theirs) return;
      const alts = ours.flatMap(alternatives);
      if (alts.length === 0) return missing.push(at);
      if (theirs.items) return walk(alts.map((o) => o.items).filter(Boolean), theirs.items, `${at}[]`);
      for (const [name, prop] of Object.entries(theirs.properties ?? {})) walk(alts.map((o) => o.properties?.[name]).filter(Boolean), prop, `${at}.${name}`);
    };
    for (const [path, ops] of Object.entries(hand.paths)) {
      for (const [verb, op] of Object.entries(ops)) {
        const theirs = families.get(hand.family).paths[path][verb];
        walk([op.body], theirs.body, `${verb} ${path} body`);
        walk([op.query], theirs.query, `${verb} ${path} query`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
