// scripts/gen-types.mjs: the description format is checked strictly, path
// segments map to chain properties exactly as the runtime maps them back, and
// the output carries the seed's names and documentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chainSteps, chainExpression, generate, loadFamily, propertyFor, readEvents, readFamilies, runtimeSegment } from '../../scripts/gen-types.mjs';

const core = readFileSync(new URL('../../pkg-template/index.d.ts', import.meta.url), 'utf8');
const families = readFamilies(fileURLToPath(new URL('../../api', import.meta.url)));

test('path segments become chain properties that the runtime turns back into the same segments', () => {
  const cases = {
    'membercard-open': 'membercardOpen',
    'activate-informations': 'activateInformations',
    '{card_id}': '_card_id_',
    applyment4sub: 'applyment4sub',
    'complaints-v2': 'complaintsV2',
    sub_mchid: 'sub_mchid',
    'x-2': 'x-2', // no identifier reaches it: kept raw, for bracket access
    PaidOrder: 'PaidOrder', // a capital first letter is sent as written
  };
  for (const [segment, prop] of Object.entries(cases)) {
    assert.equal(propertyFor(segment)?.prop, prop, segment);
    assert.equal(runtimeSegment(prop), segment, prop);
  }
  assert.equal(propertyFor('paidOrder'), null, 'a lowercase-initial camelCase segment cannot be reached: the runtime kebab-cases it');
  for (const [, text] of families) {
    for (const path of Object.keys(JSON.parse(text).paths)) {
      for (const segment of path.split('/').slice(1)) assert.equal(runtimeSegment(propertyFor(segment).prop), segment, path);
    }
  }
});

test("a verb-named segment and a path's trailing slash join the step before into one bracket path", () => {
  const props = (path) => chainSteps(path).map((s) => s.error ?? s.prop);
  assert.deepEqual(props('/v3/profitsharing/receivers/delete'), ['profitsharing', 'receivers/delete']);
  assert.deepEqual(props('/v3/applyment4sub/applyment/'), ['applyment4sub', 'applyment/']);
  assert.deepEqual(props('/v3/a/{id}/'), ['a', '{id}/']);
  assert.equal(chainExpression('/v3/ecommerce/applyments/'), "wxpay.v3.ecommerce['applyments/']");
  assert.match(props('/v3/a//b')[1], /empty segment/);
  assert.match(props('/v3/')[0], /empty segment/);
});

test("a verb-named segment's node says where its path went: receivers.delete is typed never, its doc naming ['receivers/delete']", () => {
  const out = generate(core, families);
  const at = out.indexOf('The API `v3/profitsharing/receivers/delete` is reached as `wxpay.v3.profitsharing[\'receivers/delete\']`.');
  assert.ok(at > 0, 'the hint names the bracket path');
  assert.match(out.slice(at), /^[^\n]*\*\/\n\s*readonly delete: never;\n/);
  const hints = [...out.matchAll(/The API `(v3\/[^`]+)\/(get|post|put|patch|delete)` is reached as `([^`]+)`/g)];
  assert.ok(hints.length >= 4, `${hints.length} hints`);
  for (const [, base, verb, expr] of hints) {
    assert.equal(expr, `${chainExpression(`/${base.slice(0, base.lastIndexOf('/'))}`)}['${base.slice(base.lastIndexOf('/') + 1)}/${verb}']`);
  }
});

test("a path ending in a slash: the node without it says where its verb went: applyment.post is typed never, its doc naming ['applyment/']", () => {
  const out = generate(core, families);
  const hint = "Not an API: `v3/applyment4sub/applyment` documents no POST; `v3/applyment4sub/applyment/`, with its slash, does: `wxpay.v3.applyment4sub['applyment/'].post(...)`.";
  const at = out.indexOf(hint);
  assert.ok(at > 0, 'the hint names the bracket path');
  assert.match(out.slice(at), /^[^\n]*\*\/\n\s*readonly post: never;\n/);
  // Its own GET below (business_code/...) is untouched, and the slash node keeps its POST.
  assert.match(out, /readonly business_code: TypedNode</);
  assert.ok(out.includes("readonly 'applyment/': TypedNode<"));
});

test("a oneOf's fields each name the alternatives in their doc; not where two alternatives name the same fields", () => {
  const out = generate(core, families);
  const refund = out.slice(out.indexOf('export namespace Refunds {'));
  assert.match(refund, /\* 微信支付订单号\n\s*\*\n\s*\* One of: `transaction_id`, or `out_trade_no`\.\n\s*\*\/\n\s*transaction_id: string;/);
  assert.match(refund, /\* One of: `transaction_id`, or `out_trade_no`\.\n\s*\*\/\n\s*out_trade_no: string;/);
  // The partner's JSAPI payer: sub_appid and payer are in both alternatives (they differ inside payer).
  assert.ok(!out.includes('One of: `sub_appid` with `payer`'));
  // And each config's doc names every option it takes.
  assert.ok(out.includes('The config of `get`: the path placeholders, `params` (unchecked: no query documented), `headers`, `signal`, `timeout`, `retry`, `maxBodyBytes`.'));
});

test('a base64 field (a sensitive one, in WeChat Pay\'s descriptions) says to encrypt it where sent and decrypt it where answered', () => {
  const out = generate(core, families);
  const add = out.slice(out.indexOf('export namespace Receivers {'));
  assert.match(add, /\* 分账个人接收方姓名\n\s*\*\n\s*\* Format: base64, which WeChat Pay gives a sensitive field \(敏感信息\): send `await wxpay\.encrypt\(plain\)` \(the request then names its key in `Wechatpay-Serial`\), unless its page says otherwise\.\n\s*\*\/\n\s*name\?: string \| undefined;/);
  assert.match(out, /read it with `await wxpay\.decrypt\(value\)`, unless its page says otherwise\.\n\s*\*\/\n\s*name\?: string;/);
  // In a query (not looked into for its key: the caller names it).
  const banks = out.slice(out.indexOf('`GET /v3/capital/capitallhh/banks/search-banks-by-bank-account`'));
  assert.match(banks, /\* Format: base64, which WeChat Pay gives a sensitive field \(敏感信息\): send `await wxpay\.encrypt\(plain\)`, unless its page says otherwise\. A query is not looked into for its key: give `wxpay\.wechatpaySerial`, read right after `encrypt`, as the request's `Wechatpay-Serial` header\.\n\s*\*\/\n\s*account_number: string;/);
  // A query and a body of the same fields share one declaration, but not where a base64 field's doc
  // differs between them.
  const same = { type: 'object', properties: { name: { type: 'string', format: 'base64' }, b: { type: 'string' }, c: { type: 'string' } } };
  const d = base();
  op(d).get.query = same;
  op(d).patch.body = same;
  const two = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  assert.equal(two.split('A query is not looked into for its key').length - 1, 1, 'the query');
  assert.equal(two.split('(the request then names its key in `Wechatpay-Serial`)').length - 1, 1, 'the body');
  // Any other format as it is.
  assert.ok(out.includes('Format: rfc3339.'));
});

test("a verb's doc names what its config must carry (signature help; a call without it says only 'Expected 2 arguments')", () => {
  const out = generate(core, families);
  const close = out.slice(out.indexOf('`POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close`'));
  assert.match(close, /^`POST [^\n]+`\n\s*\* @param config the path's placeholder by name \(`out_trade_no`\), besides the options\n/);
  const query = out.slice(out.indexOf('`GET /v3/pay/transactions/out-trade-no/{out_trade_no}`'));
  assert.match(query, /^`GET [^\n]+`\n\s*\* @param config the path's placeholder by name \(`out_trade_no`\), the query as `params`, besides the options\n/);
  // Nothing to say where the config is optional (no placeholder, no required query or header).
  const orders = out.slice(out.indexOf('`POST /v3/pay/transactions/jsapi`'));
  assert.doesNotMatch(orders.slice(0, orders.indexOf('post(')), /@param config/);
});

test("protocol.md's membercard-open endpoints keep their hand-written description, every path and verb", () => {
  const hand = JSON.parse(readFileSync(new URL('../../api-hand/marketing/membercard-open.json', import.meta.url), 'utf8'));
  const described = Object.entries(hand.paths).flatMap(([path, ops]) => Object.keys(ops).map((verb) => `${verb.toUpperCase()} ${path.replace('/v3/marketing/membercard-open', '')}`));
  const expected = [
    'POST /cards', 'GET /cards',
    'GET /cards/{card_id}', 'PATCH /cards/{card_id}', 'DELETE /cards/{card_id}',
    'GET /cards/{card_id}/codes/{code}', 'PATCH /cards/{card_id}/codes/{code}',
    'POST /cards/{card_id}/codes/{code}/activate', 'POST /cards/{card_id}/codes/{code}/unavailable',
    'PATCH /cards/{card_id}/codes/{code}/rights', 'POST /cards/{card_id}/codes/deposit',
    'GET /activate-informations/{activate_ticket}', 'GET /callback', 'PATCH /callback', 'GET /user/cards',
  ];
  assert.deepEqual(described.sort(), expected.sort());
  // The generated family carries them unchanged (plus the corpus's tags and source), beside the corpus's other endpoints.
  const [rel, text] = families.find(([rel]) => rel === 'marketing/membercard-open.json');
  const { desc } = loadFamily(rel, text);
  for (const [path, ops] of Object.entries(hand.paths)) {
    for (const [verb, op] of Object.entries(ops)) {
      const { tags, source, ...generated } = desc.paths[path][verb];
      assert.deepEqual(generated, op, `${verb} ${path}`);
      assert.ok(tags.length && source.endsWith('.yaml'));
    }
  }
  assert.deepEqual(desc.definitions, hand.definitions);
  assert.ok(Object.keys(desc.paths).length > Object.keys(hand.paths).length);
});

test("the output is the core plus the chain, with the seed's names, title and link", () => {
  const out = generate(core, families);
  assert.ok(out.startsWith(core.trimEnd()), 'the hand-written core comes first, unchanged');
  assert.equal(generate(core, [...families].reverse()), out, 'the same descriptions give the same output');
  const code = out.slice(out.indexOf('export interface _code_ {'));
  for (const line of [
    ' * 查询用户会员卡信息API',
    ' * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_4.shtml',
    'get(config: _code_.GetHttpMethod.RequestConfig): Promise<WxpayResponse<_code_.GetHttpMethod.WellformedResponse, 200>>;',
    ' * 修改用户会员卡信息API',
    ' * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_8.shtml',
    'patch(data: _code_.PatchHttpMethod.JsonDataRequest, config: _code_.PatchHttpMethod.RequestConfig): Promise<WxpayResponse<_code_.PatchHttpMethod.WellformedResponse, 204>>;',
    "export type WellformedResponse = '';",
  ]) {
    assert.ok(code.includes(line), line);
  }
  assert.ok(out.includes('readonly membercardOpen: TypedNode<Marketing.MembercardOpen>;'));
  assert.ok(!/@ts-ignore|@ts-nocheck|:\s*any\b|<any>/.test(out), 'no @ts-ignore and no any in the declarations');
});

test('the notification types: each value of api/webhooks.json in a union, with its pages; none given, never', () => {
  const events = readEvents(fileURLToPath(new URL('../../api', import.meta.url)));
  const out = generate(core, families, events);
  const union = (name) => {
    const at = out.indexOf(`export type ${name} =\n`);
    assert.ok(at > 0, name);
    return out.slice(at, out.indexOf(';\n', at));
  };
  const eventType = union('NotificationEventType');
  assert.deepEqual([...eventType.matchAll(/^ {2}\| '([^']+)'$/gm)].map((m) => m[1]), events.event_type.map((e) => e.value));
  assert.ok(events.event_type.length >= 50 && events.event_type.some((e) => e.value === 'REFUND.SUCCESS'));
  for (const line of ['   * 退款结果通知, 个人收款-退款结果通知: 退款异常通知', "  | 'REFUND.ABNORMAL'", '   * @see https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/combine/chapter3_7.shtml']) {
    assert.ok(eventType.includes(line), line);
  }
  assert.deepEqual([...union('NotificationOriginalType').matchAll(/^ {2}\| '([^']+)'$/gm)].map((m) => m[1]), events.original_type.map((e) => e.value));
  assert.ok(!/@ts-ignore|@ts-nocheck|:\s*any\b|<any>/.test(out));
  // Without the list, each is never: the core's fields are then open strings.
  const none = generate(core, families);
  assert.ok(none.includes('export type NotificationEventType =\n  never\n;') && none.includes('export type NotificationOriginalType =\n  never\n;'));
  for (const [bad, message] of [
    [{ event_type: [{ value: 'A' }, { value: 'A' }] }, /event_type\[1\]: A twice/],
    [{ event_type: [{ value: "A'|B" }] }, /event_type\[0\]: a value of letters/],
    [{ original_type: {} }, /original_type: a list of values/],
  ]) {
    assert.throws(() => generate(core, families, bad), message);
  }
  // The core names them and does not make them.
  assert.throws(() => generate(`${core}\nexport type NotificationEventType = string;\n`, families), /must not export NotificationEventType/);
});

const base = () => ({
  family: 'demo/things',
  title: 'Things',
  placeholders: { id: 'the thing id' },
  paths: {
    '/v3/demo/things/{id}': {
      get: {
        title: 'Get a thing',
        link: 'https://example.com/doc',
        query: { type: 'object', properties: { n: { type: 'integer' } } },
        response: { status: 200, body: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } } },
      },
      patch: {
        title: 'Change a thing',
        link: 'https://example.com/doc2',
        body: { type: 'object', properties: { a: { type: 'string', enum: ['X', 'Y'] } } },
        response: { status: 204 },
      },
    },
  },
});
const op = (d) => d.paths['/v3/demo/things/{id}'];

test('a minimal family generates a typed node', () => {
  const out = generate(core, [['demo/things.json', JSON.stringify(base())]]);
  assert.ok(out.includes('readonly _id_: TypedNode<Things._id_>;'));
  assert.ok(out.includes("a?: 'X' | 'Y' | undefined;"), 'request enums are closed; an optional field sent may be undefined');
  assert.ok(out.includes('export interface RequestConfig extends RequestOptions<QueryParams> {'));
  assert.ok(out.includes('/** the thing id */\n      id: string | number;\n'), 'a placeholder takes a string or a number, as the runtime does');
});

test("an enum of value -> meaning: the values typed, each meaning in the field's doc (a value without one named alone)", () => {
  const d = base();
  op(d).patch.body.properties.a = { type: 'string', description: '类型', enum: { X: '甲种', Y: '' } };
  op(d).get.query.properties.n = { type: 'integer', enum: { 3: '三', 13: '十三' } };
  const out = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  assert.match(out, /\/\*\*\n\s+\* 类型\n\s+\*\n\s+\* `X` 甲种; `Y`\n\s+\*\/\n\s+a\?: 'X' \| 'Y' \| undefined;/);
  assert.match(out, /\/\*\* `3` 三; `13` 十三 \*\/\n\s+n\?: 3 \| 13 \| undefined;/);
  // More than six: one a line, a Markdown list.
  op(d).patch.body.properties.a.enum = Object.fromEntries('ABCDEFG'.split('').map((v, i) => [v, i ? `第${i}种` : '']));
  assert.match(generate(core, [['demo/things.json', JSON.stringify(d)]]), /\* 类型\n\s+\*\n\s+\* - `A`\n\s+\* - `B` 第1种\n(\s+\* - `[C-F]` 第\d种\n){4}\s+\* - `G` 第6种\n\s+\*\/\n\s+a\?: 'A' \| 'B'/);
});

test("an operation's own placeholder label is its config field's; the others keep the family's", () => {
  const d = base();
  op(d).patch.placeholders = { id: 'the changed thing id' };
  const out = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  const config = (verb) => out.slice(out.indexOf(`export namespace ${verb}HttpMethod {`)).match(/\/\*\* ([^*]+) \*\/\n\s*id: string \| number;/)[1];
  assert.equal(config('Get'), 'the thing id');
  assert.equal(config('Patch'), 'the changed thing id');
  // A placeholder named as an Object.prototype member is read as the family's own label, not the member.
  const proto = base();
  proto.placeholders.toString = 'the string id';
  proto.paths['/v3/demo/things/{id}/{toString}'] = { get: { ...op(proto).get, placeholders: { id: 'its own id' } } };
  assert.match(generate(core, [['demo/things.json', JSON.stringify(proto)]]), /\/\*\* the string id \*\/\n\s*toString: string \| number;/);
  const undescribed = base();
  undescribed.paths['/v3/demo/things/{id}/{constructor}'] = { get: op(undescribed).get };
  assert.throws(() => generate(core, [['demo/things.json', JSON.stringify(undescribed)]]), /placeholder \{constructor\} is not described in "placeholders"/);
});

test('mistakes in a description are rejected, naming the file and the place', () => {
  const cases = [
    ['a misspelled schema key', (d) => { op(d).get.response.body.requried = ['a']; }, /api\/demo\/things\.json at .*get\.response\.body: unknown key "requried"/],
    ['required names a missing property', (d) => { op(d).get.response.body.required = ['b']; }, /"required" names "b"/],
    ['an undescribed placeholder', (d) => { d.paths['/v3/demo/things/{other}'] = op(d); }, /placeholder \{other\} is not described/],
    ['a path outside the family', (d) => { d.paths['/v3/demo/thingsx'] = op(d); }, /outside the family/],
    ['a body on GET', (d) => { op(d).get.body = { type: 'object', properties: {} }; }, /get sends no body/],
    ['a 204 with a body', (d) => { op(d).patch.response.body = { type: 'string' }; }, /204 has no body/],
    ['a 200 without a body', (d) => { delete op(d).get.response.body; }, /needs "body"/],
    ['a family named unlike its file', (d) => { d.family = 'demo/other'; }, /one file per family/],
    ['a placeholder named like a config option', (d) => { d.placeholders.params = 'p'; }, /config option the runtime reads/],
    ['a dangling $ref', (d) => { op(d).get.response.body = { $ref: '#/definitions/Nope' }; }, /names no entry of "definitions"/],
    ['a link that is not https', (d) => { op(d).get.link = 'http://example.com'; }, /https URL/],
    ['an enum value of the wrong type', (d) => { op(d).get.query.properties.n.enum = ['1']; }, /not of type integer/],
    ["an enum value's meaning that is not a string", (d) => { op(d).patch.body.properties.a.enum = { X: 'x', Y: null }; }, /patch\.body\.a: enum value "Y"'s meaning is not a string/],
    ...['', ' 1', '1.0', '0x10'].map((v) => [`a number enum's key ${JSON.stringify(v)}, not a number as JSON writes it`, (d) => { op(d).get.query.properties.n.enum = { [v]: 'x' }; }, /get\.query\.n: enum value .* is not of type integer/]),
    ['an object query parameter', (d) => { op(d).get.query.properties.n = { type: 'object', properties: {} }; }, /scalars or arrays of scalars/],
    ['an unknown verb', (d) => { op(d).head = op(d).get; }, /unknown key "head"/],
    ['a segment a node answers itself', (d) => { d.paths['/v3/demo/things/then'] = { get: op(d).get }; }, /"then", which a chain node answers itself/],
    ['a camelCase segment', (d) => { d.paths['/v3/demo/things/bigThing'] = { get: op(d).get }; }, /cannot be reached through the chain/],
    ["a type name that shadows the core's", (d) => { d.paths['/v3/demo/things/typed-node'] = { get: op(d).get }; }, /would shadow the core's TypedNode/],
    ["an operation's label for a name not of its path", (d) => { op(d).get.placeholders = { other: 'x' }; }, /get\.placeholders\.other: is not a placeholder of \/v3\/demo\/things\/\{id\}/],
    ["an operation's empty label", (d) => { op(d).get.placeholders = { id: '' }; }, /get\.placeholders\.id: must be a non-empty label/],
    ['a oneOf of one', (d) => { op(d).patch.body.oneOf = [{ type: 'object', properties: { b: {} } }]; }, /patch\.body: "oneOf" must be an array of two or more object schemas/],
    ['a oneOf alternative that is not an object', (d) => { op(d).patch.body.oneOf = [{ type: 'string' }, { type: 'object', properties: {} }]; }, /patch\.body\.oneOf\[0\]: an alternative is an object schema/],
    ['a oneOf alternative repeating an own field', (d) => { op(d).patch.body.oneOf = [{ type: 'object', properties: { a: {} } }, { type: 'object', properties: { b: {} } }]; }, /patch\.body\.oneOf\[0\]\.a: is also among the object's own "properties"/],
    ['a oneOf alternative requiring a field it lacks', (d) => { op(d).patch.body.oneOf = [{ type: 'object', properties: { b: {} }, required: ['c'] }, { type: 'object', properties: { c: {} } }]; }, /oneOf\[0\]: "required" names "c"/],
    ['a oneOf on a string', (d) => { op(d).patch.body.properties.a.oneOf = [{ type: 'object', properties: {} }, { type: 'object', properties: {} }]; }, /"oneOf" does not apply to type string/],
    ['a oneOf in a query', (d) => { op(d).get.query.oneOf = [{ type: 'object', properties: { m: { type: 'string' } } }, { type: 'object', properties: { k: { type: 'string' } } }]; }, /get\.query: "oneOf" is for JSON bodies/],
  ];
  for (const [what, mutate, message] of cases) {
    const d = base();
    mutate(d);
    assert.throws(() => generate(core, [['demo/things.json', JSON.stringify(d)]]), message, what);
  }
});

test('a body whose fields come one way or another (oneOf): its own fields & (one alternative | the other)', () => {
  const d = base();
  op(d).patch.body = {
    type: 'object', required: ['a'], properties: { a: { type: 'string' } },
    oneOf: [
      { type: 'object', required: ['payer'], properties: { payer: { type: 'object', required: ['sp'], properties: { sp: { type: 'string' } } } } },
      { type: 'object', required: ['app', 'payer'], properties: { app: { type: 'string' }, payer: { type: 'object', required: ['sub'], properties: { sub: { type: 'string' } } } } },
    ],
  };
  const out = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  const decl = out.slice(out.indexOf('export type JsonDataRequest = {'));
  assert.ok(out.includes('export type JsonDataRequest = {'), 'a type alias: an interface cannot be an intersection');
  assert.match(decl, /^export type JsonDataRequest = \{\n\s+a: string;\n\s+\} & \(\{\n\s+payer: \{\n\s+sp: string;\n\s+\};\n\s+\} \| \{\n\s+app: string;\n\s+payer: \{\n\s+sub: string;\n\s+\};\n\s+\}\);/);
  // Alternatives alone (no own fields): the union.
  op(d).patch.body = { type: 'object', properties: {}, oneOf: op(d).patch.body.oneOf };
  const alone = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  assert.match(alone, /export type JsonDataRequest = \(\{\n\s+payer:/);
});

test('two families may not describe the same endpoint', () => {
  const one = base();
  one.paths['/v3/demo/things/more'] = { get: op(one).get };
  const two = { ...base(), family: 'demo/things/more', placeholders: {}, paths: { '/v3/demo/things/more': { get: op(one).get } } };
  assert.throws(
    () => generate(core, [['demo/things.json', JSON.stringify(one)], ['demo/things/more.json', JSON.stringify(two)]]),
    /api\/demo\/things\/more\.json at paths\["\/v3\/demo\/things\/more"\]\.get: is also described in api\/demo\/things\.json/,
  );
});

test('headers, nullable, forms, several answers, the three placeholder spellings and verb-named segments', () => {
  const d = base();
  const get = op(d).get;
  get.headers = { type: 'object', properties: { 'Wechatpay-Serial': { type: 'string' }, 'Idempotency-Key': { type: 'string', description: '幂等键' } }, required: ['Wechatpay-Serial', 'Idempotency-Key'] };
  get.response = [{ status: 200, body: { type: 'object', properties: { a: { type: 'string', nullable: true }, b: {}, c: { type: 'object' }, e: { type: 'array' } } } }, { status: 202, body: { type: 'object', properties: {} } }];
  get.deprecated = true;
  get.host = 'https://apihk.mch.weixin.qq.com/';
  d.paths['/v3/demo/things/{id}/upload'] = { post: { title: 'Upload', form: { type: 'object', required: ['file'], properties: { file: { type: 'file' } } }, response: { status: 200, body: { type: 'object', properties: {} } } } };
  d.paths['/v3/demo/things/{id}/delete'] = { post: { title: 'Delete by POST', response: { status: 204 } } };
  const out = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  for (const line of [
    'readonly _id_: TypedNode<Things._id_>;',
    'readonly $id$: TypedNode<Things._id_>;',
    "readonly '{id}': TypedNode<Things._id_>;",
    "readonly '{id}/delete': TypedNode<Things.IdDelete>;",
    'export interface RequestConfig extends RequestOptions<QueryParams, RequestHeaders> {', // a required header: no Headers object
    "'Wechatpay-Serial'?: string | undefined;",
    "'Idempotency-Key': string;",
    'headers: RequestHeaders;',
    'readonly [name: string]: Scalar | null | undefined;',
    'a?: string | null;',
    'b?: unknown;',
    'c?: Record<string, unknown>;',
    'e?: unknown[];',
    'file: Blob;',
    'post(data: FormData, config: Upload.PostHttpMethod.RequestConfig)',
    'Promise<WxpayResponse<_id_.GetHttpMethod.WellformedResponse, 200> | WxpayResponse<_id_.GetHttpMethod.WellformedResponse202, 202>>',
    '@deprecated',
    'Served by https://apihk.mch.weixin.qq.com/',
  ]) {
    assert.ok(out.includes(line), line);
  }
  const bad = base();
  op(bad).get.headers = { type: 'object', properties: { X: { type: 'integer' } } };
  assert.throws(() => generate(core, [['demo/things.json', JSON.stringify(bad)]]), /headers are strings/);
  const file = base();
  op(file).patch.body = { type: 'object', properties: { f: { type: 'file' } } };
  assert.throws(() => generate(core, [['demo/things.json', JSON.stringify(file)]]), /type file is for "form" fields and whole answer bodies only/);
  const nested = base();
  op(nested).get.response.body.properties.f = { type: 'file' };
  assert.throws(() => generate(core, [['demo/things.json', JSON.stringify(nested)]]), /get\.response\.body\.f: type file is for "form" fields and whole answer bodies only/);
});

test('an answer that is a file is typed as its bytes', () => {
  const d = base();
  op(d).get.response = [{ status: 200, body: { type: 'file' } }, { status: 204 }];
  const out = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  const node = out.slice(out.indexOf('export namespace _id_ {'));
  assert.match(node, /\/\*\* `data` of the 200 answer: the file, as bytes\. \*\/\n\s*export type WellformedResponse = WxpayBytes;\n/);
  assert.ok(out.includes('Promise<WxpayResponse<_id_.GetHttpMethod.WellformedResponse, 200> | WxpayResponse<_id_.GetHttpMethod.WellformedResponse204, 204>>'));
});

test('a shared object whose name is taken is named after its operation, then its path, then numbered', () => {
  const d = base();
  const shape = (n) => ({ type: 'object', properties: Object.fromEntries(['total', 'currency', 'note', `f${n}`].map((k) => [k, { type: 'string' }])) });
  // Four shapes of `amount`, each in two answers: the first met takes the field's name.
  const answer = (n) => ({ status: 200, body: { type: 'object', properties: { amount: shape(n) } } });
  d.paths['/v3/demo/things/a/copy'] = { get: { title: 'A', response: answer(1) }, post: { title: 'A2', response: answer(1) } };
  d.paths['/v3/demo/things/b/copy'] = { get: { title: 'B', response: answer(2) }, post: { title: 'B2', response: answer(3) } };
  d.paths['/v3/demo/things/c/copy'] = { get: { title: 'C', response: answer(2) }, post: { title: 'C2', response: answer(3) } };
  d.paths['/v3/demo/things/d/copy'] = { get: { title: 'D', response: answer(4) }, post: { title: 'D2', response: answer(4) } };
  d.paths['/v3/demo/things/e/copy'] = { get: { title: 'E', response: answer(5) } };
  d.paths['/v3/demo/things/f/copy'] = { get: { title: 'F', response: answer(5) } };
  // Two shapes of `amount` in one answer (one nested), each in two answers.
  const nested = { status: 200, body: { type: 'object', properties: { amount: shape(6), wrap: { type: 'object', properties: { amount: shape(7), p: { type: 'string' }, q: { type: 'string' } } } } } };
  d.paths['/v3/demo/things/g/copy'] = { get: { title: 'G', response: nested } };
  d.paths['/v3/demo/things/h/copy'] = { get: { title: 'H', response: nested } };
  const out = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  const schemas = out.slice(out.indexOf('export namespace Schemas {'));
  const names = [...schemas.matchAll(/export interface (\w+) \{/g)].map((m) => m[1]);
  // a's is `Amount`; b's GET and POST shapes `CopyGetAmount` and `CopyPostAmount`; d's and e's
  // GET find both taken (by other shapes): their paths; g's second shape, all three: a number.
  assert.deepEqual(names.sort(), ['Amount', 'CopyGetAmount', 'CopyPostAmount', 'DemoThingsDCopyGetAmount', 'DemoThingsECopyGetAmount', 'DemoThingsGCopyGetAmount', 'DemoThingsGCopyGetAmount2', 'Wrap']);
  assert.equal(out.match(/amount\?: Schemas\.DemoThingsDCopyGetAmount;/g)?.length, 2, 'd\'s two answers share it');
});

test('objects of three fields or more that repeat are declared once in Schemas, per mode', () => {
  const d = base();
  const rich = { type: 'object', description: '金额', properties: { total: { type: 'integer' }, currency: { type: 'string', enum: ['CNY'] }, note: { type: 'string' } }, required: ['total'] };
  const small = { type: 'object', properties: { a: { type: 'string' } } };
  const answer = { type: 'object', properties: { amount: rich, other: rich, small, small2: small } };
  op(d).get.response = { status: 200, body: answer };
  d.paths['/v3/demo/things/{id}/copy'] = { get: { title: 'Copy', response: { status: 200, body: answer } }, post: { title: 'Send', body: answer, response: { status: 204 } } };
  const out = generate(core, [['demo/things.json', JSON.stringify(d)]]);
  const schemas = out.slice(out.indexOf('export namespace Schemas {'));
  assert.equal(schemas.match(/export interface Amount \{/g)?.length, 1, 'declared once for the answers');
  // Named after its field, then (that name taken) after the operation it is first met in too.
  assert.equal(schemas.match(/export interface CopyPostAmount \{/g)?.length, 1, 'and once for the request: its enum is closed');
  assert.ok(schemas.includes("currency?: 'CNY' | (string & {});") && schemas.includes("currency?: 'CNY' | undefined;"), 'answers: open and exact; requests: closed and undefined allowed');
  assert.equal(out.match(/amount\?: Schemas\.Amount;/g)?.length, 1, 'the answers share one declaration');
  assert.ok(out.includes('export interface WellformedResponse extends Schemas.'), 'identical answers share a declaration under their own names');
  assert.ok(out.includes('small?: {'), 'small objects stay inline');
  assert.ok(!schemas.includes('export interface Small'));
});
