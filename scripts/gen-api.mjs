#!/usr/bin/env node
// Turns the Swagger 2.0 description of APIv3 (../shared/openapi/docs/v3/**,
// one YAML file per path) into the project's own descriptions under api/
// (one JSON file per API family, the format of CONTRIBUTING.md, "Contributing:
// API types") and docs/endpoints.md (every endpoint, grouped by tag).
//
//   node scripts/gen-api.mjs [--corpus DIR] [--api DIR] [--docs FILE]
//
// It carries facts only: paths, methods, parameter names and places, types,
// `required`, enums, formats, `nullable`, titles, documentation links and each
// field's short label (shortLabel below). Never the corpus's longer prose or
// its examples. Every `$ref` and `allOf` is resolved; a shape it cannot map
// fails the run, naming the corpus file and the place: no endpoint is skipped.
// Which answers are files (bytes, not JSON) is the runtime's rule, read from
// src/response.rs (fileRoutes below); the corpus's `produces` is checked against it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
// The api/ file of the notification types, which gen-types reads apart from the families.
import { EVENTS_FILE } from './gen-types.mjs';

const VERBS = ['get', 'post', 'put', 'patch', 'delete'];
/** The official documentation host: only its links are kept. */
const DOC_URL = String.raw`https:\/\/pay\.weixin\.qq\.com\/`;
/** A Markdown link to it: the URL is the first group. */
const DOC_LINK = new RegExp(String.raw`\]\((${DOC_URL}[^)\s]+)\)`, 'g');
/** At most this many further links per endpoint besides the first (the corpus has up to 7 in all). */
const MAX_SEE = 8;
/** Labels longer than this are cut (with an ellipsis). */
const LABEL_MAX = 40;

/**
 * Known slips in the corpus, mapped explicitly so that anything else unknown
 * still fails: `type` values that are typos of a Swagger type.
 */
const TYPE_FIXES = { stringde: 'string', 'string ': 'string', int: 'integer' };

/**
 * Files of docs/v3 that describe no API a merchant calls: what WeChat Pay posts to the merchant's
 * notify_url (webhooks.yaml, summary 微信支付平台通知商户平台协议及数据结构). Not in the chain;
 * `notifications.parse` reads them (README, Notifications).
 */
export const INBOUND = new Set(['v3/webhooks.yaml']);

/**
 * The corpus's file name for a path that ends in `/` (提交申请单 is `POST /v3/applyment4sub/applyment/`):
 * `{empty}.yaml`, no placeholder of the API. Its path is the folder's, with the slash; the chain
 * reaches it as `applyment4sub['applyment/']` (scripts/gen-types.mjs, chainSteps).
 */
export const TRAILING_SLASH = '{empty}';

/**
 * Facts the corpus gets wrong, amended by rule: `paths` (a RegExp) and `verb` pick the
 * operations, `at` the object amended (`body` or `response`, then property names, `[]` for an
 * array's items). `optional`: the names taken out of its `required` list (a fact that holds
 * for one kind of merchant only, or a field an answer has in some states only); `required`: names
 * added to it (a field the service refuses a request without, where a sibling operation has it
 * required); `oneOf`: lists of names, the alternatives a request takes one of (optional fields
 * of which the service wants at least one, as `transaction_id` or `out_trade_no`: the description
 * format's oneOf, CONTRIBUTING); or `enumsOf` and `fields`: each field (a path below `at`) takes
 * the enum of the same field in the operation `enumsOf` names (a slip the corpus does not make
 * there). Listed by --verbose; a rule that amends nothing fails the run (the corpus has moved on).
 */
export const AMENDMENTS = [
  {
    paths: /^\/v3\/combine-transactions\/(h5|jsapi|native)$/, verb: 'post', at: ['body', 'sub_orders', '[]'], optional: ['sub_mchid'],
    why: "a direct merchant's (直连商户) combined order names no sub-merchant, a partner's or an e-commerce platform's does (the corpus's APP order already has it optional)",
  },
  {
    paths: /^\/v3\/(partner-)?transfer\/batches$/, verb: 'post', at: ['body', 'transfer_detail_list', '[]'], optional: ['user_name'],
    why: 'a transfer names its payee from 2,000 yuan on, and may not below 0.3 yuan',
  },
  {
    paths: /^\/v3\/ecommerce\/refunds\/apply$/, verb: 'post', at: ['body'], optional: ['combine_transaction_id', 'transaction_id', 'funds_account'],
    why: "the description joins two products' refunds: 收付通's names its order by transaction_id or out_trade_no, either one, with no combine_transaction_id (个人收款's field), and funds_account is optional there",
  },
  {
    paths: /^\/v3\/pay\/(partner\/)?transactions\/(jsapi|app|h5|native)$/, verb: 'post', at: ['body', 'scene_info', 'store_info'], optional: ['name', 'area_code', 'address'], required: ['id'],
    why: "a store is named by its id (门店编号), its name, area code and address optional (the order with a contract and the partner's mini-program order leave all four optional); the corpus has them the other way round here",
  },
  {
    paths: /^\/v3\/pay\/(partner\/)?transactions\/(jsapi|app|native)$/, verb: 'post', at: ['body', 'scene_info'], required: ['payer_client_ip'],
    why: "scene_info names the payer's IP (required in the order with a contract's and the combined orders' scene_info)",
  },
  {
    paths: /^\/v3\/pay\/(partner\/)?transactions\/h5$/, verb: 'post', at: ['body', 'scene_info'], required: ['payer_client_ip', 'h5_info'],
    why: "an H5 order's scene names the payer's IP and the H5 scene (required in the combined H5 order)",
  },
  {
    paths: /^\/v3\/pay\/(partner\/)?transactions\/h5$/, verb: 'post', at: ['body', 'scene_info', 'h5_info'], required: ['type'],
    why: "an H5 scene names its type (iOS, Android, Wap: required in the combined H5 order)",
  },
  {
    paths: /^\/v3\/refund\/domestic\/refunds$/, verb: 'post', at: ['body'], oneOf: [['transaction_id'], ['out_trade_no']],
    why: 'a refund names its order by transaction_id or out_trade_no (二选一): a refund naming neither is refused',
  },
  {
    paths: /^\/v3\/combine-transactions\/jsapi$/, verb: 'post', at: ['body', 'combine_payer_info'], oneOf: [['openid'], ['sub_openid']],
    why: "a combined JSAPI order names its payer by openid (under combine_appid) or sub_openid: a payer naming neither is refused (the combined mini-program order requires openid)",
  },
  {
    paths: /^\/v3\/applyment4sub\/applyment\/$/, verb: 'post', at: ['body', 'subject_info'], optional: ['business_license_info', 'certificate_info'],
    why: "a subject shows its business licence (个体户, 企业) or its registration certificate (政府机关, 事业单位, 社会组织), and a 小微 merchant neither (its micro_biz_info instead): never both (the e-commerce applyment has neither required)",
  },
  {
    paths: /^\/v3\/profitsharing\/return-orders$/, verb: 'post', at: ['body'], oneOf: [['order_id'], ['out_order_no']],
    why: 'a return names its split by order_id or out_order_no (二选一): one naming neither is refused',
  },
  {
    paths: /^\/v3\/profitsharing\/orders$/, verb: 'post', at: ['body'], required: ['appid', 'receivers'],
    why: "a split names its appid and at least one receiver (adding a receiver requires the appid too)",
  },
  {
    paths: /^\/v3\/payscore\/partner\/serviceorder$/, verb: 'post', at: ['body', 'time_range'], required: ['start_time'],
    why: "a service's time range starts somewhere (the direct merchant's order requires start_time)",
  },
  {
    paths: /^\/v3\/payscore\/serviceorder\/\{out_order_no\}\/modify$/, verb: 'post', at: ['body', 'post_discounts', '[]'], required: ['name', 'amount'],
    why: "a discount has a name and an amount (required in the partner's modify and in complete)",
  },
  {
    paths: /^\/v3\/(profitsharing|global\/profit-sharing)\/orders\/unfreeze$|^\/v3\/global\/profit-sharing\/orders$/, verb: 'post', at: ['response', 'body', 'receivers', '[]'], optional: ['fail_reason'],
    why: "a receiver's failure reason comes with a CLOSED result only (v3/profitsharing/orders' answer and its query have it optional)",
  },
  {
    paths: /^\/v3\/global\/profit-sharing\/orders\/\{out_order_no\}$/, verb: 'get', at: ['response', 'body', 'receivers', '[]'], optional: ['fail_reason'],
    why: "a receiver's failure reason comes with a CLOSED result only (v3/profitsharing/orders' answer and its query have it optional)",
  },
  {
    paths: /^\/v3\/payscore\/serviceorder$/, verb: 'post', at: ['response', 'body'], optional: ['package'],
    why: "an order made without the payer's confirmation (need_user_confirm false) has no package to confirm; the partner's create answer has it optional",
  },
  {
    paths: /^\/v3\/fund-app\/mch-transfer\/partner\/transfer-bills(\/pre-transfer-with-authorization)?$/, verb: 'post', at: ['response', 'body'], optional: ['package_info'],
    why: "only a bill that waits for the payee's confirmation (WAIT_USER_CONFIRM) has a package; the direct merchant's twins have it optional",
  },
  {
    paths: /^\/v3\/fund-app\/mch-transfer\/partner\/user-confirm-authorizations\/\{out_authorization_no\}$/, verb: 'get', at: ['response', 'body'], optional: ['authorization_id', 'authorize_time'],
    why: "an authorization the user has not confirmed (WAIT_USER_CONFIRM) has neither; the direct merchant's query has them optional",
  },
  {
    paths: /^\/v3\/fund-app\/mch-transfer\/partner\/user-confirm-authorizations\/\{out_authorization_no\}\/close$/, verb: 'post', at: ['response', 'body'], optional: ['authorization_id', 'authorize_time'],
    why: "an authorization closed before the user confirmed it has neither; the direct merchant's query has them optional",
  },
  {
    paths: /^\/v3\/partner-transfer\/batches\/out-batch-no\/\{out_batch_no\}$/, verb: 'get', at: ['response', 'body'], optional: ['transfer_detail_list'],
    why: 'the details come only when need_query_detail asks for them; the batch-id query and the direct queries have them optional',
  },
  {
    paths: /^\/v3\/transfer\/batches\/(batch-id\/\{batch_id\}\/details\/detail-id\/\{detail_id\}|out-batch-no\/\{out_batch_no\}\/details\/out-detail-no\/\{out_detail_no\})$/, verb: 'get', at: ['response', 'body'], optional: ['user_name'],
    why: 'a transfer sent without the payee\'s name (optional in the request, above) has none to answer',
  },
  {
    paths: /^\/v3\/partner-transfer\/batches\/(batch-id\/\{batch_id\}\/details\/detail-id\/\{detail_id\}|out-batch-no\/\{out_batch_no\}\/details\/out-detail-no\/\{out_detail_no\})$/, verb: 'get', at: ['response', 'body'], optional: ['username'],
    why: 'a transfer sent without the payee\'s name (optional in the request, above) has none to answer',
  },
  {
    paths: /^\/v3\/profitsharing\/orders\/\{out_order_no\}$/, verb: 'get', at: ['response', 'body'],
    enumsOf: { path: '/v3/profitsharing/orders', verb: 'post' },
    fields: [['state'], ['receivers', '[]', 'result'], ['receivers', '[]', 'fail_reason']],
    why: "the query's enums sit one field off (state has the receivers' results, result the failure reasons); the same order's create answer has them in place",
  },
  {
    paths: /^\/v3\/brand\/profitsharing\/orders$/, verb: 'get', at: ['response', 'body'],
    enumsOf: { path: '/v3/brand/profitsharing/orders', verb: 'post' },
    fields: [['receivers', '[]', 'result']],
    why: "the query's result lists SUCEESS, a slip for the create answer's SUCCESS",
  },
];

/** Schema keys carried over (mapped below). */
const SCHEMA_KEYS = new Set(['type', 'description', 'properties', 'required', 'items', 'enum', 'format', 'nullable', 'allOf', '$ref']);
/** Schema keys dropped on purpose: examples and prose (not ours to copy) and validation limits the API checks itself. */
const DROPPED_KEYS = new Set(['example', 'default', 'maxLength', 'minLength', 'pattern', 'maximum', 'minimum', 'maxItems', 'minItems', 'x-json', 'x-is-sensitive', 'title']);
/** Parameter keys besides the schema ones. */
const PARAM_KEYS = new Set(['name', 'in', 'required', 'schema']);
/** Operation keys: the ones used, and the ones dropped (roles, dates, versions). */
const OP_KEYS = new Set(['summary', 'description', 'parameters', 'responses', 'tags', 'tag', 'deprecated', 'consumes', 'produces', 'x-baseuri']);
const OP_DROPPED = new Set(['x-role', 'x-last-updated-at', 'x-version', 'x-is-sensitive']);

/** The runtime's rule for answers handed back as bytes (see fileRoutes). */
const RUNTIME_RULE = fileURLToPath(new URL('../src/response.rs', import.meta.url));

export class CorpusError extends Error {
  constructor(file, where, message) {
    super(`${file}${where ? ` at ${where}` : ''}: ${message}`);
    this.name = 'CorpusError';
  }
}

/** The endpoint file being read, and the shared file a `$ref` led to, if any. */
function fileOf(ctx) {
  return ctx.rel === ctx.endpoint ? ctx.rel : `${ctx.endpoint} (in ${ctx.rel})`;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Where a field's short label is cut: the first sentence or clause end. */
const CLAUSE_END = /[。；;，,：:！？!?]|\.\s/;
/**
 * Where an enum value's label is cut: the first sentence end only. A value's comment is one line
 * already, and its commas carry the meaning (`银行返回转账成功后，拒绝入账` would read as a success
 * cut at the comma; `距离现在(0,1]天` is one of five values told apart after it).
 */
const SENTENCE_END = /[。；;]|\.\s/;

/**
 * A field's short label: the first line of its description, up to the first
 * sentence or clause end (。；;，,：: or a full stop and space; `cut`) and before a
 * bracket that cut leaves open, markup removed, at most LABEL_MAX characters.
 * `会员卡编号`, never the paragraph after it.
 */
export function shortLabel(text, cut = CLAUSE_END) {
  if (typeof text !== 'string') return undefined;
  let s = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  s = s.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]*>/g, ' ').replace(/[*`]/g, '');
  s = s.split(cut)[0].trim();
  if ([...s].length > LABEL_MAX) s = `${[...s].slice(0, LABEL_MAX - 1).join('')}…`;
  // Cut inside brackets (`支付失败(其他原因，如银行返回失败)`), the label ends before the one left
  // open. Any closing bracket closes (an interval: `(0,1]`).
  const open = [];
  for (const [i, c] of [...s].entries()) {
    if ('(（[【'.includes(c)) open.push(i);
    else if (')）]】'.includes(c) && open.length) open.pop();
  }
  if (open.length && open[0] > 0) s = [...s].slice(0, open[0]).join('').trim();
  return s || undefined;
}

/** An enum value's label: its own line's comment, cut as a short label at a sentence end only. */
export const valueLabel = (comment) => shortLabel(comment, SENTENCE_END);

/** The official documentation links of an operation's description, in order, without repeats. */
export function docLinks(text) {
  const out = [];
  for (const m of String(text ?? '').matchAll(DOC_LINK)) if (!out.includes(m[1])) out.push(m[1]);
  // The current documentation (pay.weixin.qq.com/docs/...) first, the old wiki's pages (wiki/doc/...,
  // moved since) after them: the first is an editor's @link. Otherwise in the corpus's order.
  const wiki = (url) => /^https:\/\/pay\.weixin\.qq\.com\/wiki\//.test(url);
  return [...out.filter((url) => !wiki(url)), ...out.filter(wiki)];
}

// ---------------------------------------------------------------------------
// Answers that are files.

/**
 * The routes whose 2xx answers the runtime hands back as bytes (a `Uint8Array`), read from the
 * rule itself, src/response.rs (`is_unsigned_download`, `is_statement`: a `GET` of one of
 * `UNSIGNED_DOWNLOADS` or `STATEMENTS`, or of one segment under one of
 * `UNSIGNED_IMAGE_PREFIXES`), so that the types cannot drift from what `send.rs` does.
 * Returns `isFile(verb, path)` for a corpus path (`/v3/...`, placeholders as `{name}`).
 */
export function fileRoutes(file = RUNTIME_RULE) {
  const text = readFileSync(file, 'utf8');
  const list = (name) => {
    const m = new RegExp(`pub const ${name}: \\[&str; (\\d+)\\] = \\[([^\\]]*)\\];`).exec(text);
    const items = m ? [...m[2].matchAll(/"([^"\\]*)"/g)].map((x) => x[1]) : [];
    if (!m || items.length !== Number(m[1])) throw new Error(`${file}: cannot read the list ${name} (gen-api reads the runtime's file routes from it)`);
    return items;
  };
  const exact = new Set([...list('UNSIGNED_DOWNLOADS'), ...list('STATEMENTS')]);
  const prefixes = list('UNSIGNED_IMAGE_PREFIXES');
  return (verb, path) => {
    if (verb !== 'get') return false;
    const route = path.replace(/^\//, '');
    return exact.has(route) || prefixes.some((p) => route.startsWith(p) && route.length > p.length && !route.slice(p.length).includes('/'));
  };
}

/** Whether a `produces` list names file types only (none of them JSON). */
function producesFile(produces) {
  return Array.isArray(produces) && produces.length > 0 && produces.every((t) => typeof t === 'string' && !/json/i.test(t));
}

// ---------------------------------------------------------------------------
// Reading the corpus and following `$ref`s.

/**
 * Enum values whose comment is not their meaning: their label is left out. `file` is the corpus
 * file (under docs/) the enum is written in.
 */
const LABEL_SLIPS = [
  { file: 'definitions/Enumerations.yaml', value: 'SUBJECT_TYPE_INSTITUTIONS', why: "its comment repeats SUBJECT_TYPE_INDIVIDUAL's 个体工商户, two lines above" },
];
/**
 * Values of one enum that the corpus gives one meaning, meant so: `first second`, in enum order,
 * in whichever file (the pair is specific enough; a slip is the one file's).
 */
const SHARED_LABELS = [
  // A complaint's negotiation history: both 用户申请平台协助 in the corpus.
  'USER_APPLY_PLATFORM_HELP USER_APPLY_PLATFORM_SERVICE',
];

/**
 * Fails on a rule of LABEL_SLIPS or SHARED_LABELS that the corpus's files (`used`: readCorpus's
 * `labelRules`) no longer need: stale, as an amendment that amends nothing.
 */
export function checkLabelRules(used) {
  for (const rule of [...LABEL_SLIPS, ...SHARED_LABELS]) {
    if (!used.has(rule)) throw new CorpusError(rule.file ?? 'SHARED_LABELS', '', `the label rule ${JSON.stringify(rule.value ?? rule)} finds nothing to do`);
  }
}

/** Each corpus enum's labels, by its array as the YAML reads it: see enumLabels. */
const ENUM_LABELS = new WeakMap();

/**
 * Finds the enums of a YAML file's tree (`node`, beside `value`, what it reads as) whose values
 * carry a comment on their own line (`- IDENTIFICATION_TYPE_IDCARD  #中国大陆居民-身份证`), and
 * keeps each value's comment, cut as valueLabel cuts it, in ENUM_LABELS under the enum's array.
 * Comments on lines of their own (a run's `@see` links, in webhooks.yaml) are not a value's.
 */
function enumLabels(node, value, rel, used, text) {
  if (isMap(node) && isObject(value)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const v = value[pair.key.value];
      if (pair.key.value === 'enum' && isSeq(pair.value) && Array.isArray(v)) {
        const labels = pair.value.items.map((item) => {
          if (!isScalar(item)) return undefined;
          // The yaml package gives an item a comment from a deeper-indented line of its own too: a
          // value's label is on the value's own line only.
          const end = text.indexOf('\n', item.range[1]);
          if (!text.slice(item.range[1], end < 0 ? undefined : end).includes('#')) return undefined;
          const slip = LABEL_SLIPS.find((s) => s.file === rel && s.value === item.value);
          if (slip) used.add(slip);
          return slip ? undefined : valueLabel(item.comment);
        });
        // Two values of one enum with one meaning is a copied line (SUBJECT_TYPE_INSTITUTIONS, see
        // LABEL_SLIPS), unless the corpus means it (SHARED_LABELS).
        labels.forEach((label, i) => {
          const twin = label ? labels.indexOf(label) : i;
          const values = [v[twin], v[i]].map(String).join(' ');
          if (twin === i || String(v[twin]) === String(v[i])) return; // a value listed twice is one value
          if (!SHARED_LABELS.includes(values)) throw new CorpusError(rel, 'enum', `values ${values} have one label, ${label}: a slip for LABEL_SLIPS, or meant (SHARED_LABELS)`);
          used.add(values);
        });
        if (labels.some(Boolean)) ENUM_LABELS.set(v, labels);
      } else enumLabels(pair.value, v, rel, used, text);
    }
  } else if (isSeq(node) && Array.isArray(value)) node.items.forEach((item, i) => enumLabels(item, value[i], rel, used, text));
}

class Corpus {
  constructor(root) {
    this.root = root;
    this.cache = new Map();
    /** The LABEL_SLIPS and SHARED_LABELS entries the files read so far have used. */
    this.labelRules = new Set();
  }

  rel(file) {
    return relative(this.root, file).split(sep).join('/');
  }

  load(file) {
    let doc = this.cache.get(file);
    if (doc === undefined) {
      try {
        const text = readFileSync(file, 'utf8');
        const parsed = parseDocument(text);
        if (parsed.errors.length) throw parsed.errors[0];
        doc = parsed.toJS();
        enumLabels(parsed.contents, doc, this.rel(file), this.labelRules, text);
      } catch (e) {
        throw new CorpusError(this.rel(file), '', `cannot read YAML: ${e.message}`);
      }
      this.cache.set(file, doc);
    }
    return doc;
  }

  /** `{ value, file }` that a `$ref` in `file` points at: `path.yaml#Name`, `path.yaml#/Name` or `#Name`. */
  follow(ref, file, where) {
    const m = /^([^#]*)#\/?(.+)$/.exec(ref);
    if (!m) throw new CorpusError(this.rel(file), where, `cannot follow $ref ${JSON.stringify(ref)}`);
    const target = m[1] ? resolvePath(dirname(file), m[1]) : file;
    const doc = this.load(target);
    const value = m[2].split('/').reduce((node, key) => (isObject(node) ? node[key] : undefined), doc);
    if (value === undefined) throw new CorpusError(this.rel(file), where, `$ref ${JSON.stringify(ref)} names nothing in ${this.rel(target)}`);
    return { value, file: target };
  }
}

// ---------------------------------------------------------------------------
// Corpus schema -> description schema.

function checkSchemaKeys(s, ctx, where) {
  for (const k of Object.keys(s)) {
    if (!SCHEMA_KEYS.has(k) && !DROPPED_KEYS.has(k)) throw new CorpusError(fileOf(ctx), where, `schema key "${k}" cannot be mapped`);
  }
}

/** Merges object schemas of an `allOf`: properties (recursively for objects in both), required, labels. */
function mergeObjects(parts, ctx, where) {
  const out = { type: 'object', properties: {} };
  const required = [];
  const elsewhere = [];
  let nullable = false;
  for (const p of parts) {
    if (p.type !== 'object') throw new CorpusError(fileOf(ctx), where, `allOf mixes an object with a ${p.type}`);
    if (p.description && !out.description) out.description = p.description;
    if (p.nullable) nullable = true;
    for (const [name, prop] of Object.entries(p.properties ?? {})) {
      const prev = out.properties[name];
      // A later part that only adds an example (`code: { example: SUCCESS }`, mapped to an
      // untyped schema) says nothing about the type: the earlier part's stays.
      out.properties[name] = prev && prop.type === undefined
        ? { ...prev, ...(prop.description ? { description: prop.description } : {}) }
        : prev && prev.type === 'object' && prop.type === 'object' && prev.properties && prop.properties
        ? { ...mergeObjects([prev, prop], ctx, `${where}.${name}`), ...(prop.description || prev.description ? { description: prop.description ?? prev.description } : {}) }
        : prev?.description && !prop.description ? { ...prop, description: prev.description } : prop;
    }
    for (const r of p.required ?? []) if (!required.includes(r)) required.push(r);
    for (const r of p.elsewhere ?? []) if (!elsewhere.includes(r)) elsewhere.push(r);
  }
  // A part may require a field another part describes (`allOf: [{ required: [a] }, { properties: { a } }]`).
  for (const r of elsewhere) {
    if (r in out.properties) { if (!required.includes(r)) required.push(r); }
    else (out.elsewhere ??= []).push(r);
  }
  if (required.length) out.required = required;
  if (nullable) out.nullable = true;
  if (Object.keys(out.properties).length === 0) delete out.properties;
  return out;
}

/**
 * The names an object requires without a property of that name (`elsewhere`): inside a part
 * of an `allOf` they wait for the merge, which may find the property in another part; anywhere
 * else (or still missing after the merge) they cannot be typed, and are dropped and reported.
 */
function settleRequired(schema, ctx, where, part) {
  if (part || !schema.elsewhere) return;
  if (Object.keys(schema.properties ?? {}).length) {
    for (const r of schema.elsewhere) ctx.notes.push(`${fileOf(ctx)} at ${where}: "required" names "${r}", which has no property: ignored`);
  }
  delete schema.elsewhere;
}

/** An enum's `[value, label]` pairs: an array's values have none, an object's keys have theirs. */
function enumEntries(e) {
  if (e === undefined) return [];
  return Array.isArray(e) ? e.map((v) => [v, undefined]) : Object.entries(e);
}

/**
 * An enum of the description from `[value, label]` pairs, each value once (its first label that is
 * not empty): an array of the values when none has a label, else an object of value -> label
 * (`''` for a value without one), which gen-types shows in the field's doc.
 */
function enumOf(entries) {
  const labels = new Map();
  for (const [value, label] of entries) {
    const key = String(value);
    if (!labels.has(key)) labels.set(key, { value, label: label || '' });
    else if (label && !labels.get(key).label) labels.get(key).label = label;
  }
  const all = [...labels.values()];
  return all.some((e) => e.label) ? Object.fromEntries(all.map((e) => [e.value, e.label])) : all.map((e) => e.value);
}

/**
 * Merges the parts of an `allOf` of one scalar type. The corpus uses it to extend an
 * enumeration (`allOf: [$ref: BillType, { enum: [RECHARGE_REFUND, ...] }]`): the values
 * are the union; a part without `enum` leaves the others' values.
 */
function mergeScalars(parts, ctx, where) {
  const type = parts[0].type;
  if (!parts.every((p) => p.type === type)) throw new CorpusError(fileOf(ctx), where, `allOf mixes ${[...new Set(parts.map((p) => p.type))].join(' and ')}`);
  const out = { type };
  for (const p of parts) {
    if (p.description && !out.description) out.description = p.description;
    if (p.format) out.format = p.format;
    if (p.nullable) out.nullable = true;
    if (p.enum) out.enum = enumOf([...enumEntries(out.enum), ...enumEntries(p.enum)]);
    if (p.items) out.items = p.items;
  }
  return out;
}

/**
 * A schema with fields the corpus indented one level too deep: keys that are not
 * schema keywords but whose value is a schema (`state: { type: string }` beside
 * `properties`). Returns the schema without them, and them.
 */
function splitStray(raw) {
  if (!isObject(raw) || !isObject(raw.properties)) return { schema: raw, stray: {} };
  const schema = {};
  const stray = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!SCHEMA_KEYS.has(k) && !DROPPED_KEYS.has(k) && isObject(v) && ('type' in v || '$ref' in v)) stray[k] = v;
    else schema[k] = v;
  }
  return { schema, stray };
}

/**
 * Maps a corpus schema (read in `ctx.file`) to the description's subset: `$ref`
 * and `allOf` resolved inline, labels shortened, examples dropped.
 */
function mapSchema(raw, ctx, where, depth = 0, part = false) {
  if (depth > 40) throw new CorpusError(fileOf(ctx), where, 'schemas nest deeper than 40 levels (a $ref cycle?)');
  if (!isObject(raw)) throw new CorpusError(fileOf(ctx), where, 'a schema must be a mapping');
  if ('$ref' in raw) {
    const { value, file } = ctx.corpus.follow(raw.$ref, ctx.file, where);
    const inner = mapSchema(value, { ...ctx, file, rel: ctx.corpus.rel(file) }, `${where}(${raw.$ref})`, depth + 1, part);
    const label = shortLabel(raw.description);
    return label ? { ...inner, description: label } : inner;
  }
  if ('properties' in raw && raw.properties === null) {
    // `properties:` left empty and the fields written beside it, unindented: they are its fields.
    const fixed = { properties: {} };
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'properties') continue;
      if (!SCHEMA_KEYS.has(k) && !DROPPED_KEYS.has(k) && isObject(v) && ('type' in v || '$ref' in v)) fixed.properties[k] = v;
      else fixed[k] = v;
    }
    ctx.notes.push(`${fileOf(ctx)} at ${where}: fields beside an empty "properties" taken as its fields (${Object.keys(fixed.properties).join(', ')})`);
    return mapSchema(fixed, ctx, where, depth + 1, part);
  }
  checkSchemaKeys(raw, ctx, where);
  // `schema: {}`: a value of any shape, typed `unknown`.
  if (Object.keys(raw).every((k) => k === 'description' || DROPPED_KEYS.has(k))) {
    const label = shortLabel(raw.description);
    return label ? { description: label } : {};
  }
  if (raw.allOf) {
    if (!Array.isArray(raw.allOf) || raw.allOf.length === 0) throw new CorpusError(fileOf(ctx), where, 'allOf must be a non-empty list');
    const parts = raw.allOf.map((p, i) => mapSchema(p, ctx, `${where}.allOf[${i}]`, depth + 1, true));
    const own = { ...raw };
    delete own.allOf;
    const hasOwn = own.properties || own.required || (own.type && own.type !== 'object');
    if (hasOwn) parts.push(mapSchema(own, ctx, where, depth + 1, true));
    const merged = parts.length === 1 ? { ...parts[0] } : parts.every((p) => p.type === 'object') ? mergeObjects(parts, ctx, where) : mergeScalars(parts, ctx, where);
    settleRequired(merged, ctx, where, part);
    const label = shortLabel(raw.description);
    if (label) merged.description = label;
    if (raw.nullable) merged.nullable = true;
    return merged;
  }
  let type = raw.type;
  if (typeof type === 'string' && type in TYPE_FIXES) {
    type = TYPE_FIXES[type];
    ctx.notes.push(`${fileOf(ctx)} at ${where}: type ${JSON.stringify(raw.type)} read as ${type}`);
  }
  if (type === undefined && raw.properties) type = 'object';
  if (type === undefined && raw.items) type = 'array';
  if (type === undefined && raw.enum) type = raw.enum.every((v) => typeof v === 'string') ? 'string' : undefined;
  const out = { type };
  const label = shortLabel(raw.description);
  if (label) out.description = label;
  switch (type) {
    case 'object': {
      if (raw.properties !== undefined && !isObject(raw.properties)) throw new CorpusError(fileOf(ctx), where, '"properties" must be a mapping');
      const props = {};
      for (const [name, prop] of Object.entries(raw.properties ?? {})) {
        const { schema, stray } = splitStray(prop);
        props[name] = mapSchema(schema, ctx, `${where}.${name}`, depth + 1);
        // Fields indented one level too deep in the corpus (beside the child's
        // "properties") belong to this object: the child is no place for them.
        for (const [k, v] of Object.entries(stray)) {
          if (k in (raw.properties ?? {})) throw new CorpusError(fileOf(ctx), `${where}.${name}.${k}`, `a stray field beside "properties" that ${where} also has`);
          props[k] = mapSchema(v, ctx, `${where}.${k}`, depth + 1);
          ctx.notes.push(`${fileOf(ctx)} at ${where}.${name}: field "${k}" lifted to ${where}`);
        }
      }
      if (Object.keys(props).length) out.properties = props;
      const required = raw.required ?? [];
      if (!Array.isArray(required)) throw new CorpusError(fileOf(ctx), where, '"required" must be a list');
      const known = required.filter((r) => r in props);
      if (known.length) out.required = known;
      // A name required here whose property another part of an allOf holds is settled when the
      // parts are merged (settleRequired); one that no part holds cannot be typed: dropped, and reported.
      const elsewhere = required.filter((r) => !(r in props));
      if (elsewhere.length) {
        out.elsewhere = elsewhere;
        settleRequired(out, ctx, where, part);
      }
      break;
    }
    case 'array':
      // Items not described: an array of unknown values.
      if (raw.items !== undefined) out.items = mapSchema(raw.items, ctx, `${where}[]`, depth + 1);
      break;
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'file':
      if (raw.properties || raw.items) throw new CorpusError(fileOf(ctx), where, `"${raw.properties ? 'properties' : 'items'}" on a ${type}`);
      break;
    default:
      throw new CorpusError(fileOf(ctx), where, `type ${JSON.stringify(raw.type)} cannot be mapped`);
  }
  if (raw.enum !== undefined) {
    if (!Array.isArray(raw.enum) || raw.enum.length === 0 || !['string', 'integer', 'number'].includes(type)) {
      throw new CorpusError(fileOf(ctx), where, `enum on a ${type} cannot be mapped`);
    }
    if (type !== 'string' && raw.enum.every((v) => typeof v === 'string' && !Number.isFinite(Number(v)))) {
      // Word values on a numeric type: the values are the fact, the type the slip.
      ctx.notes.push(`${fileOf(ctx)} at ${where}: enum of words on type ${type}: typed string`);
      type = out.type = 'string';
    }
    const labels = ENUM_LABELS.get(raw.enum);
    const entries = [];
    raw.enum.forEach((v, i) => {
      // YAML reads `- 1` as a number: on a string it is the string "1".
      const value = type === 'string' && (typeof v === 'number' || typeof v === 'boolean') ? String(v) : v;
      if (type === 'string' ? typeof value !== 'string' : !Number.isFinite(value)) throw new CorpusError(fileOf(ctx), where, `enum value ${JSON.stringify(v)} is not a ${type}`);
      entries.push([value, labels?.[i]]);
    });
    out.enum = enumOf(entries);
  }
  if (raw.format !== undefined) {
    if (typeof raw.format !== 'string') throw new CorpusError(fileOf(ctx), where, '"format" must be a string');
    out.format = raw.format;
  }
  if (raw.nullable === true) out.nullable = true;
  return out;
}

// ---------------------------------------------------------------------------
// Operations.

/** A parameter as a schema: its own type keys, or its `schema`. */
function paramSchema(p, ctx, where) {
  const own = {};
  for (const [k, v] of Object.entries(p)) {
    if (PARAM_KEYS.has(k)) continue;
    own[k] = v;
  }
  if (p.schema) {
    // A form field sent as JSON text (`type: string`, `format: jsonObjectLike`) is typed by its schema.
    const jsonText = own.type === 'string' && /^json/.test(own.format ?? '');
    const extra = Object.keys(own).filter((k) => k !== 'description' && !DROPPED_KEYS.has(k) && !(jsonText && (k === 'type' || k === 'format')));
    if (extra.length) throw new CorpusError(fileOf(ctx), where, `a parameter with "schema" also has ${extra.join(', ')}`);
    const s = mapSchema(p.schema, ctx, where);
    const label = shortLabel(p.description);
    return label ? { ...s, description: label } : s;
  }
  // A header or a placeholder is text on the wire, typed or not.
  if (own.type === undefined && (p.in === 'header' || p.in === 'path')) own.type = 'string';
  return mapSchema(own, ctx, where);
}

function addField(target, name, schema, required) {
  target.properties[name] = schema;
  if (required) target.required.push(name);
}

function finishObject(o) {
  if (!o.required.length) delete o.required;
  return Object.keys(o.properties).length ? o : undefined;
}

function mapOperation(op, verb, path, ctx) {
  const where = verb;
  if (!isObject(op)) throw new CorpusError(fileOf(ctx), where, 'an operation must be a mapping');
  for (const k of Object.keys(op)) {
    if (!OP_KEYS.has(k) && !OP_DROPPED.has(k)) throw new CorpusError(fileOf(ctx), where, `operation key "${k}" cannot be mapped`);
  }
  if (typeof op.summary !== 'string' || !op.summary.trim()) throw new CorpusError(fileOf(ctx), where, 'no summary (the title)');
  const out = { title: op.summary.trim() };
  const links = docLinks(op.description);
  if (links.length) out.link = links[0];
  if (links.length > 1) out.see = links.slice(1, 1 + MAX_SEE);
  const tags = op.tags ?? op.tag ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw new CorpusError(fileOf(ctx), where, '"tags" must be a list of names');
  out.tags = tags.length ? [...tags] : ['未分类'];
  if (op.deprecated === true) out.deprecated = true;
  if (op['x-baseuri'] !== undefined) out.host = String(op['x-baseuri']);
  out.source = ctx.rel;

  const pathParams = {};
  const query = { type: 'object', properties: {}, required: [] };
  const headers = { type: 'object', properties: {}, required: [] };
  const form = { type: 'object', properties: {}, required: [] };
  let body;
  (op.parameters ?? []).forEach((rawParam, i) => {
    const w = `${where}.parameters[${i}]`;
    let p = rawParam;
    let pctx = ctx;
    if (isObject(p) && '$ref' in p) {
      const { value, file } = ctx.corpus.follow(p.$ref, ctx.file, w);
      p = value;
      pctx = { ...ctx, file, rel: ctx.corpus.rel(file) };
    }
    if (!isObject(p) || typeof p.name !== 'string' || !p.name) throw new CorpusError(fileOf(ctx), w, 'a parameter needs a name');
    const schema = paramSchema(p, pctx, `${w}(${p.name})`);
    switch (p.in) {
      case 'path':
        if (!path.includes(`{${p.name}}`)) {
          // Nowhere to send it: reported, not typed.
          ctx.notes.push(`${fileOf(ctx)} at ${w}: path parameter ${p.name} is not a placeholder of ${path}: ignored`);
          break;
        }
        pathParams[p.name] = schema.description ?? p.name;
        break;
      case 'query':
        addField(query, p.name, schema, p.required === true);
        break;
      case 'header':
        addField(headers, p.name, schema, p.required === true);
        break;
      case 'formData':
        addField(form, p.name, schema, p.required === true);
        break;
      case 'body':
        if (body) throw new CorpusError(fileOf(ctx), w, 'a second body parameter');
        body = schema;
        break;
      default:
        throw new CorpusError(fileOf(ctx), w, `parameter place ${JSON.stringify(p.in)} cannot be mapped`);
    }
  });
  for (const name of [...path.matchAll(/\{([^{}/]+)\}/g)].map((m) => m[1])) {
    if (!(name in pathParams)) pathParams[name] = name; // described only by the path
  }
  const q = finishObject(query);
  if (q) out.query = q;
  const h = finishObject(headers);
  if (h) out.headers = h;
  const f = finishObject(form);
  if (f && body) throw new CorpusError(fileOf(ctx), where, 'both a body and form fields');
  if (f) out.form = f;
  if (body) {
    // A DELETE with a JSON body is documented (a few): the description keeps it; the
    // declarations say that delete() cannot send it yet.
    if (verb === 'get') throw new CorpusError(fileOf(ctx), where, 'a body on get');
    out.body = body;
  }
  if (op.produces !== undefined && !(Array.isArray(op.produces) && op.produces.every((t) => typeof t === 'string'))) {
    throw new CorpusError(fileOf(ctx), where, '"produces" must be a list of content types');
  }
  // The runtime decides which answers are files (src/response.rs); the corpus must not disagree.
  const file = ctx.isFile(verb, path);
  if (producesFile(op.produces) && !file) {
    throw new CorpusError(fileOf(ctx), where, `produces ${op.produces.join(', ')} (a file), but the runtime parses this route's answer as JSON: src/response.rs lists the file routes`);
  }
  if (!isObject(op.responses)) throw new CorpusError(fileOf(ctx), where, 'no responses');
  const answers = [];
  for (const [status, res] of Object.entries(op.responses)) {
    const code = Number(status);
    if (!(code >= 200 && code <= 299)) continue; // error answers reject: their shape is WxpayError's
    const r = isObject(res) ? res : {};
    if (r.schema === undefined || code === 204) answers.push({ status: code });
    else answers.push({ status: code, body: mapSchema(r.schema, ctx, `${where}.responses.${status}`) });
  }
  if (!answers.length) throw new CorpusError(fileOf(ctx), where, 'no 2xx answer is documented');
  for (const a of answers) {
    if (a.status === 204) continue;
    if (file) {
      // Handed back as bytes (src/wasm/send.rs `finish`): a described JSON shape would be a contradiction.
      if (a.body && !(a.body.type === undefined || (a.body.type === 'object' && !a.body.properties))) {
        throw new CorpusError(fileOf(ctx), `${where}.responses.${a.status}`, 'describes a JSON answer, but the runtime hands this route\'s answer back as bytes (src/response.rs)');
      }
      a.body = { type: 'file' };
    } else if (!a.body) {
      // A body-less 2xx other than 204 still has a body of unknown shape.
      a.body = { type: 'object' };
    }
  }
  out.response = answers.length === 1 ? answers[0] : answers;
  return { op: out, pathParams };
}

// ---------------------------------------------------------------------------
// Families and output.

/** The family of a path: its first two literal segments after `/v3` (one when the second is a placeholder or absent). */
export function familyOf(path) {
  const segments = path.split('/').slice(2);
  const out = [];
  for (const s of segments.slice(0, 2)) {
    if (/^\{.*\}$/.test(s)) break;
    out.push(s);
  }
  return out.join('/');
}

function listFiles(dir, ext = '.yaml') {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Reads `docs/v3/**` under `corpusRoot` (the folder holding `docs/`) into `{ families, endpoints, files }`;
 * `isFile(verb, path)` says which answers are files (default: the runtime's rule, `fileRoutes()`).
 */
export function readCorpus(corpusRoot, isFile = fileRoutes()) {
  const docs = join(corpusRoot, 'docs');
  const corpus = new Corpus(docs);
  const v3 = join(docs, 'v3');
  const families = new Map();
  const endpoints = [];
  const notes = [];
  const files = listFiles(v3);
  const inbound = new Set();
  for (const file of files) {
    const rel = corpus.rel(file);
    if (INBOUND.has(rel)) {
      inbound.add(rel);
      continue;
    }
    let path = `/${relative(docs, file).split(sep).join('/').replace(/\.yaml$/, '')}`;
    if (path.endsWith(`/${TRAILING_SLASH}`)) path = path.slice(0, -TRAILING_SLASH.length);
    const doc = corpus.load(file);
    if (!isObject(doc)) throw new CorpusError(rel, '', 'a path file is a mapping of methods');
    const ctx = { corpus, file, rel, endpoint: rel, notes, isFile };
    const verbs = Object.keys(doc).filter((k) => VERBS.includes(k));
    if (!verbs.length) throw new CorpusError(rel, '', 'no method is described');
    for (const k of Object.keys(doc)) {
      // Other top-level keys are shared schemas that the methods reach by `#Name`.
      if (!VERBS.includes(k) && !isObject(doc[k])) throw new CorpusError(rel, k, 'neither a method nor a schema');
    }
    const name = familyOf(path);
    let fam = families.get(name);
    if (!fam) {
      fam = { family: name, tags: [], placeholders: {}, paths: {} };
      families.set(name, fam);
    }
    fam.paths[path] = {};
    for (const verb of VERBS) {
      if (!(verb in doc)) continue;
      const { op, pathParams } = mapOperation(doc[verb], verb, path, ctx);
      for (const [p, label] of Object.entries(pathParams)) if (!(p in fam.placeholders) || fam.placeholders[p] === p) fam.placeholders[p] = label;
      // Its own labels: where one differs from the family's, the operation keeps it (familyJson).
      (fam.labels ??= new Map()).set(`${verb} ${path}`, pathParams);
      for (const t of op.tags) if (!fam.tags.includes(t)) fam.tags.push(t);
      fam.paths[path][verb] = op;
      endpoints.push({ path, verb, op });
    }
  }
  return { families, endpoints, notes, inbound, labelRules: corpus.labelRules, files: files.map((f) => corpus.rel(f)) };
}

/**
 * Applies the hand-written descriptions of `handDir` (same format, one file per family):
 * each of their operations replaces the corpus's for the same path and verb (written and
 * checked against the official pages, with the seed's exact types), keeping the corpus's
 * tags and source. An operation the corpus does not have is an error: the count of typed
 * endpoints stays the corpus's.
 */
export function applyHand(families, handDir) {
  if (!existsSync(handDir)) return;
  for (const file of listFiles(handDir, '.json')) {
    const rel = relative(handDir, file).split(sep).join('/');
    const hand = JSON.parse(readFileSync(file, 'utf8'));
    const where = `${relative(dirname(handDir), file).split(sep).join('/')}`;
    if (hand.family !== rel.replace(/\.json$/, '')) throw new CorpusError(where, 'family', 'one file per family, named after it');
    const fam = families.get(hand.family);
    if (!fam) throw new CorpusError(where, 'family', `the corpus has no family ${hand.family}`);
    for (const [path, ops] of Object.entries(hand.paths ?? {})) {
      for (const [verb, op] of Object.entries(ops)) {
        const corpusOp = fam.paths[path]?.[verb];
        if (!corpusOp) throw new CorpusError(where, `paths["${path}"].${verb}`, 'the corpus does not describe this endpoint');
        fam.paths[path][verb] = { ...op, tags: corpusOp.tags, source: corpusOp.source };
        // The hand-written operation is labelled by its family's placeholders.
        fam.labels?.delete(`${verb} ${path}`);
      }
    }
    fam.hand = hand;
    Object.assign(fam.placeholders, hand.placeholders ?? {});
  }
}

/** Applies AMENDMENTS to the corpus's operations (before the hand-written ones replace any). */
export function amend(families, notes, rules = AMENDMENTS) {
  const walk = (node, steps) => {
    for (const step of steps) node = step === '[]' ? node?.items : node?.properties?.[step];
    return node;
  };
  // `body` (the request's) or `response`, `body` (a 2xx answer's), then properties and `[]`s.
  // Each of `names` a field described in `node` and not required: else the corpus has moved on.
  const optionalHere = (node, names) => names.every((n) => node?.properties?.[n] && !(node.required ?? []).includes(n));
  const at = (op, steps) => (steps[0] === 'response' && steps[1] === 'body'
    ? walk([op.response].flat().find((r) => r?.body)?.body, steps.slice(2))
    : walk(op[steps[0]], steps.slice(1)));
  const operation = (path, verb) => {
    for (const fam of families.values()) if (fam.paths[path]?.[verb]) return fam.paths[path][verb];
    return undefined;
  };
  for (const rule of rules) {
    let amended = 0;
    for (const fam of families.values()) {
      for (const [path, ops] of Object.entries(fam.paths)) {
        const op = rule.paths.test(path) ? ops[rule.verb] : undefined;
        if (!op) continue;
        if (rule.enumsOf) {
          // Each field takes the enum of the same field in another operation of the corpus.
          const other = operation(rule.enumsOf.path, rule.enumsOf.verb);
          // `at` names plain keys here (`response`, `body`), the fields then walk the schema.
          const base = (o) => rule.at.reduce((n, k) => n?.[k], o);
          const [ours, theirs] = [base(op), other && base(other)];
          for (const field of rule.fields) {
            const where = `${rule.verb} ${[...rule.at, ...field].join('.')}`;
            const to = walk(ours, field);
            const from = theirs && walk(theirs, field);
            if (!to || !from?.enum) throw new CorpusError(path, where, `the amendment "${rule.why}" finds no such field here and an enum for it in ${rule.enumsOf.verb} ${rule.enumsOf.path}`);
            if (JSON.stringify(to.enum) === JSON.stringify(from.enum)) throw new CorpusError(path, where, `the amendment "${rule.why}" finds the enum already as in ${rule.enumsOf.verb} ${rule.enumsOf.path}`);
            to.enum = enumOf(enumEntries(from.enum));
            notes.push(`${path} ${where}: enum of ${rule.enumsOf.verb} ${rule.enumsOf.path} (${rule.why})`);
          }
          amended++;
          continue;
        }
        const node = at(op, rule.at);
        const where = `${rule.verb} ${rule.at.join('.')}`;
        if (rule.optional) {
          const kept = node?.required?.filter((r) => !rule.optional.includes(r));
          if (!kept || kept.length !== node.required.length - rule.optional.length) throw new CorpusError(path, where, `the amendment "${rule.why}" finds no ${rule.optional.join(', ')} required here`);
          if (kept.length) node.required = kept;
          else delete node.required;
          notes.push(`${path} ${where}: ${rule.optional.join(', ')} optional (${rule.why})`);
        }
        if (rule.oneOf) {
          // Fields of which a request names one (or more): each alternative requires its own.
          const names = rule.oneOf.flat();
          if (node?.oneOf || !optionalHere(node, names)) {
            throw new CorpusError(path, where, `the amendment "${rule.why}" finds no optional ${names.join(', ')} here to take one of`);
          }
          node.oneOf = rule.oneOf.map((alt) => ({ type: 'object', properties: Object.fromEntries(alt.map((n) => [n, node.properties[n]])), required: [...alt] }));
          for (const n of names) delete node.properties[n];
          notes.push(`${path} ${where}: one of ${rule.oneOf.map((alt) => alt.join(' + ')).join(' or ')} (${rule.why})`);
        }
        if (rule.required) {
          if (!optionalHere(node, rule.required)) {
            throw new CorpusError(path, where, `the amendment "${rule.why}" finds no optional ${rule.required.join(', ')} here`);
          }
          node.required = [...(node.required ?? []), ...rule.required];
          notes.push(`${path} ${where}: ${rule.required.join(', ')} required (${rule.why})`);
        }
        amended++;
      }
    }
    if (!amended) throw new CorpusError('AMENDMENTS', rule.paths.source, `no ${rule.verb} operation matches: "${rule.why}"`);
  }
}

/** The JSON text of one family description. */
export function familyJson(fam) {
  const paths = {};
  for (const path of Object.keys(fam.paths).sort()) {
    paths[path] = {};
    for (const [verb, op] of Object.entries(fam.paths[path])) {
      // An operation whose corpus labels a placeholder otherwise than the family's label (the
      // first operation's, or api-hand's) keeps its own: one name can mean two ids in a family
      // (out_request_no of two kinds of order).
      const own = Object.entries(fam.labels?.get(`${verb} ${path}`) ?? {}).filter(([p, label]) => label !== p && label !== fam.placeholders[p]);
      paths[path][verb] = own.length ? { ...op, placeholders: Object.fromEntries(own.sort(([a], [b]) => (a < b ? -1 : 1))) } : op;
    }
  }
  const placeholders = {};
  for (const k of Object.keys(fam.placeholders).sort()) placeholders[k] = fam.placeholders[k];
  const hand = fam.hand ?? {};
  const out = {
    $comment: `Generated by scripts/gen-api.mjs from ../shared/openapi/docs/v3 (MIT, see its LICENSE)${fam.hand ? ` and api-hand/${fam.family}.json` : ''}: facts only. Do not edit: regenerate with \`make api\`.`,
    family: fam.family,
    title: hand.title ?? (fam.tags.join(' / ') || fam.family),
    ...(hand.description ? { description: hand.description } : {}),
    ...(hand.see ? { see: hand.see } : {}),
    ...(Object.keys(placeholders).length ? { placeholders } : {}),
    paths,
    ...(hand.definitions ? { definitions: hand.definitions } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** docs/endpoints.md: every endpoint, grouped by the corpus's tags in the index's order. */
export function endpointsMarkdown(endpoints, tagOrder, chainExpression) {
  const groups = new Map(tagOrder.map((t) => [t, []]));
  for (const e of endpoints) {
    for (const t of e.op.tags) {
      if (!groups.has(t)) groups.set(t, []);
      groups.get(t).push(e);
    }
  }
  const cell = (s) => String(s).replace(/\|/g, '\\|');
  let out = '# APIv3 endpoints\n\n';
  out += 'Generated by `make api` (scripts/gen-api.mjs) from the description in ../shared/openapi, by tag.\n';
  out += `Every endpoint is typed: ${endpoints.length} operations on ${new Set(endpoints.map((e) => e.path)).size} paths. `;
  out += "Placeholders are also reachable as `$name$` and `['{name}']`; their values go in the config by name.\n\n";
  for (const [tag, list] of groups) {
    if (!list.length) continue;
    out += `## ${tag}\n\n| Chain | Verb | Title |\n| --- | --- | --- |\n`;
    for (const e of list) {
      const title = e.op.link ? `[${cell(e.op.title)}](${e.op.link})` : cell(e.op.title);
      out += `| \`${chainExpression(e.path)}\` | ${e.verb.toUpperCase()} | ${title}${e.op.deprecated ? ' (deprecated)' : ''} |\n`;
    }
    out += '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------
// What WeChat Pay posts: the notification types.

/** An `@see` comment's link to the documentation host, titled (`[title](url)`: groups 1 and 2) or bare (group 3). */
const SEE_LINK = new RegExp(String.raw`\[([^\]]+)\]\((${DOC_URL}[^)\s]+)\)|(${DOC_URL}\S+)`, 'g');

/** The enums of INBOUND's webhooks.yaml that name a notification's kind, by the field they type. */
const EVENT_ENUMS = [['event_type', 'WechatpayNotificationEventType'], ['original_type', 'WechatpayNotificationOriginalType']];

/**
 * The notification types webhooks.yaml lists: for `event_type` and `resource.original_type`, each
 * enum value in its order, with the titles and official links of the `@see` comments over the run
 * of values it belongs to (the pages that document it), and its own line's comment as a short
 * `label` where the run has several values or no titled link. The values are checked against the
 * enum as YAML reads it, so that no comment is taken from a neighbour.
 */
export function readEvents(corpusRoot) {
  const rel = [...INBOUND][0];
  const text = readFileSync(join(corpusRoot, 'docs', rel), 'utf8');
  const doc = parse(text);
  const lines = text.split(/\r?\n/);
  const out = {};
  for (const [field, schema] of EVENT_ENUMS) {
    const values = doc?.[schema]?.enum;
    if (!Array.isArray(values) || !values.length || !values.every((v) => typeof v === 'string')) throw new CorpusError(rel, schema, 'an enum of strings');
    const start = lines.indexOf(`${schema}:`);
    let i = lines.indexOf('  enum:', start);
    if (start < 0 || i < 0) throw new CorpusError(rel, schema, 'its enum is not where it was');
    // Runs of values, each under the comment lines before it.
    const runs = [];
    let run;
    for (i++; i < lines.length && (lines[i] === '' || /^\s/.test(lines[i])); i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      const value = /^-\s+([^\s#]+)\s*(?:#\s*(.*))?$/.exec(line);
      if (!value && !line.startsWith('#')) throw new CorpusError(rel, schema, `an enum line neither a value nor a comment: ${line.slice(0, 40)}`);
      if (!run || (!value && run.values.length)) runs.push((run = { titles: [], links: [], values: [] }));
      if (value) {
        run.values.push({ value: value[1], label: valueLabel(value[2]) });
        continue;
      }
      for (const m of line.matchAll(SEE_LINK)) {
        const title = m[1] && shortLabel(m[1]);
        if (title && !run.titles.includes(title)) run.titles.push(title);
        const link = m[2] ?? m[3];
        if (!run.links.includes(link)) run.links.push(link);
      }
    }
    const entries = runs.flatMap(({ titles, links, values: vs }) =>
      vs.map(({ value, label }) => ({
        value,
        ...(titles.length ? { titles } : {}),
        ...(label && (vs.length > 1 || !titles.length) ? { label } : {}),
        ...(links.length ? { links } : {}),
      })),
    );
    if (entries.map((e) => e.value).join('\n') !== values.join('\n')) throw new CorpusError(rel, schema, 'its enum lines do not read as its enum');
    out[field] = entries;
  }
  return out;
}

/** api/webhooks.json: the notification types, as readEvents gives them. */
export function eventsJson(events) {
  return `${JSON.stringify({ $comment: `Generated by scripts/gen-api.mjs from ../shared/openapi/docs/${[...INBOUND][0]} (MIT, see its LICENSE): facts only. Do not edit: regenerate with \`make api\`.`, ...events }, null, 2)}\n`;
}

/** The tags of docs/swagger.yaml, in its order. */
export function tagOrder(corpusRoot) {
  const index = parse(readFileSync(join(corpusRoot, 'docs/swagger.yaml'), 'utf8'));
  return (index.tags ?? []).map((t) => t.name);
}

/** Writes api/**.json (replacing the folder's generated files) and the endpoints page. */
export async function writeAll({ corpus, hand, api, docs }) {
  const { chainExpression } = await import('./gen-types.mjs');
  const { families, endpoints, notes, inbound, labelRules } = readCorpus(corpus);
  for (const rel of INBOUND) if (!inbound.has(rel)) throw new CorpusError(rel, '', 'INBOUND names a file the corpus no longer has');
  checkLabelRules(labelRules);
  amend(families, notes);
  applyHand(families, hand);
  rmSync(api, { recursive: true, force: true });
  for (const fam of families.values()) {
    const file = join(api, `${fam.family}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, familyJson(fam));
  }
  writeFileSync(join(api, EVENTS_FILE), eventsJson(readEvents(corpus)));
  mkdirSync(dirname(docs), { recursive: true });
  writeFileSync(docs, endpointsMarkdown(endpoints, tagOrder(corpus), chainExpression));
  return { families: families.size, endpoints: endpoints.length, notes };
}

/**
 * The corpus: `$OPENAPI_DIR`, else `../shared/openapi` beside the clone (as in CI), else
 * beside the main checkout when this is a git worktree.
 */
export function defaultCorpus(root) {
  if (process.env.OPENAPI_DIR) return process.env.OPENAPI_DIR;
  const candidates = [join(root, '../shared/openapi')];
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    candidates.push(join(dirname(dirname(common)), 'shared/openapi'));
  } catch {
    // not a git checkout: the first candidate only
  }
  return candidates.find((c) => existsSync(join(c, 'docs/v3'))) ?? candidates[0];
}

async function main(argv) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const args = { corpus: defaultCorpus(root), hand: join(root, 'api-hand'), api: join(root, 'api'), docs: join(root, 'docs/endpoints.md') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--verbose') {
      args.verbose = true;
      continue;
    }
    const key = argv[i].replace(/^--/, '');
    if (!(key in args) || argv[i + 1] === undefined) {
      process.stderr.write('usage: node scripts/gen-api.mjs [--corpus DIR] [--hand DIR] [--api DIR] [--docs FILE] [--verbose]\n');
      return 2;
    }
    args[key] = argv[++i];
  }
  try {
    const { families, endpoints, notes } = await writeAll(args);
    if (args.verbose) for (const n of notes) process.stdout.write(`note: ${n}\n`);
    process.stdout.write(`gen-api: ${endpoints} endpoints in ${families} families (${notes.length} corpus slips mapped; --verbose lists them)\n`);
  } catch (e) {
    process.stderr.write(`gen-api: ${e.message}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main(process.argv.slice(2));
