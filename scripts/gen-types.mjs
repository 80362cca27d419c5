#!/usr/bin/env node
// Generates the typed chain from the API descriptions in api/ (one JSON file
// per API family) and assembles the package's declarations: the hand-written
// core (pkg-template/index.d.ts) followed by the generated namespaces.
//
//   node scripts/gen-types.mjs [--out FILE] [--core FILE] [--api DIR]
//
// Without --out the declarations go to stdout. Plain Node, no dependencies.
// The description format and the reasons for it: CONTRIBUTING.md, "Contributing: API types".
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The chain's verbs, in the order they are emitted. */
export const VERBS = ['get', 'post', 'put', 'patch', 'delete'];
const DATA_VERBS = new Set(['post', 'put', 'patch']);
/** Config keys the runtime reads itself: no placeholder may use these names. */
const OPTION_KEYS = new Set(['params', 'headers', 'signal', 'timeout']);
/** Properties a chain node answers itself (chainNode in pkg-template/wxpay.js): never a segment. */
const NODE_OWN_NAMES = new Set([
  ...VERBS, 'then', 'toString', 'toJSON',
  'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'valueOf',
  '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);
const SCHEMA_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean', 'file']);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export class DescriptionError extends Error {
  constructor(file, where, message) {
    super(`${file}${where ? ` at ${where}` : ''}: ${message}`);
    this.name = 'DescriptionError';
  }
}

// ---------------------------------------------------------------------------
// Path segments <-> chain properties, mirroring src/path.rs.

/**
 * What the runtime makes of a chain property: `_x_`/`$x$` -> `{x}`; a lowercase-initial
 * camelCase identifier -> kebab-case; anything else as written.
 */
export function runtimeSegment(prop) {
  const m = /^_(.+)_$/.exec(prop) ?? /^\$(.+)\$$/.exec(prop);
  if (m) return `{${m[1]}}`;
  if (!/^[a-z][a-zA-Z0-9]*$/.test(prop) || !/[A-Z]/.test(prop)) return prop;
  return prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The chain property for a path segment: `{x}` -> `_x_`, `kebab-case` ->
 * `kebabCase`; a segment no identifier reaches (`complaints-v2` is fine,
 * `x-2` is not) is kept raw, for bracket access. Null if unreachable.
 */
export function propertyFor(segment) {
  const placeholder = /^\{([^{}/]+)\}$/.exec(segment);
  if (placeholder) return { prop: `_${placeholder[1]}_`, placeholder: placeholder[1] };
  const camel = segment.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  if (IDENTIFIER.test(camel) && runtimeSegment(camel) === segment) return { prop: camel };
  if (runtimeSegment(segment) === segment) return { prop: segment, raw: true };
  return null;
}

/**
 * The chain properties that reach `path` (`/v3/...`), one per segment, except that a
 * segment a node answers itself as a verb (`.../receivers/delete`) joins its parent's
 * into one bracket path (`['receivers/delete']`): `receivers.delete` is the DELETE verb.
 * So does a path's trailing slash (`/v3/applyment4sub/applyment/`: `applyment4sub['applyment/']`).
 * A step that cannot be reached carries `error`.
 */
export function chainSteps(path) {
  const out = [];
  const segments = path.split('/').slice(2);
  for (const [i, segment] of segments.entries()) {
    const mapped = propertyFor(segment);
    if (segment === '' && i === segments.length - 1 && i > 0) {
      const prev = out.pop();
      out.push(prev.error ? prev : { segment: `${prev.segment}/`, prop: `${prev.segment}/`, raw: true, joined: true });
    } else if (segment === '') {
      out.push({ segment, error: 'an empty segment cannot be reached through the chain' });
    } else if (!mapped) {
      out.push({ segment, error: `segment "${segment}" cannot be reached through the chain (a lowercase-initial camelCase property is kebab-cased)` });
    } else if (VERBS.includes(mapped.prop) && out.length && !out[out.length - 1].joined) {
      const joined = `${out.pop().segment}/${segment}`;
      out.push({ segment: joined, prop: joined, raw: true, joined: true });
    } else if (NODE_OWN_NAMES.has(mapped.prop)) {
      out.push({ segment, error: `segment "${segment}" is "${mapped.prop}", which a chain node answers itself` });
    } else {
      out.push({ segment, ...mapped });
    }
  }
  return out;
}

/** `wxpay.v3.pay.transactions.outTradeNo._out_trade_no_`: how user code reaches `path`. */
export function chainExpression(path) {
  let expr = 'wxpay.v3';
  for (const step of chainSteps(path)) expr += IDENTIFIER.test(step.prop) ? `.${step.prop}` : `['${step.prop}']`;
  return expr;
}

// ---------------------------------------------------------------------------
// Loading and checking the descriptions.

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkKeys(obj, allowed, file, where) {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new DescriptionError(file, where, `unknown key "${k}" (expected one of ${allowed.join(', ')})`);
  }
}

function requireString(obj, key, file, where) {
  if (typeof obj[key] !== 'string' || obj[key] === '') throw new DescriptionError(file, where, `"${key}" must be a non-empty string`);
}

const SCHEMA_KEYS = ['type', 'description', 'properties', 'required', 'items', 'enum', 'format', 'nullable', 'oneOf', '$ref'];

/** Checks a schema of the description's JSON Schema subset. */
function checkSchema(schema, defs, file, where) {
  if (!isObject(schema)) throw new DescriptionError(file, where, 'a schema must be an object');
  checkKeys(schema, SCHEMA_KEYS, file, where);
  if (schema.description !== undefined && typeof schema.description !== 'string') {
    throw new DescriptionError(file, where, '"description" must be a string');
  }
  if ('$ref' in schema) {
    const extra = Object.keys(schema).filter((k) => k !== '$ref' && k !== 'description');
    if (extra.length) throw new DescriptionError(file, where, `"$ref" stands alone (found ${extra.join(', ')})`);
    const m = /^#\/definitions\/(.+)$/.exec(schema.$ref);
    if (!m || !(m[1] in defs)) throw new DescriptionError(file, where, `"$ref" ${JSON.stringify(schema.$ref)} names no entry of "definitions"`);
    return;
  }
  if (schema.nullable !== undefined && schema.nullable !== true) throw new DescriptionError(file, where, '"nullable" is true or absent');
  if (schema.type === undefined && Object.keys(schema).every((k) => k === 'description' || k === 'nullable')) return; // any value: unknown
  if (!SCHEMA_TYPES.has(schema.type)) {
    throw new DescriptionError(file, where, `"type" must be one of ${[...SCHEMA_TYPES].join(', ')}`);
  }
  const only = (keys) => {
    const bad = ['properties', 'required', 'items', 'enum', 'oneOf'].filter((k) => k in schema && !keys.includes(k));
    if (bad.length) throw new DescriptionError(file, where, `"${bad[0]}" does not apply to type ${schema.type}`);
  };
  switch (schema.type) {
    case 'object': {
      only(['properties', 'required', 'oneOf']);
      if (schema.properties === undefined && schema.required === undefined && schema.oneOf === undefined) break; // any object: Record<string, unknown>
      if (!isObject(schema.properties)) throw new DescriptionError(file, where, 'an object needs "properties"');
      const required = schema.required ?? [];
      if (!Array.isArray(required)) throw new DescriptionError(file, where, '"required" must be an array of property names');
      for (const r of required) {
        if (!(r in schema.properties)) throw new DescriptionError(file, where, `"required" names "${r}", which is not in "properties"`);
      }
      for (const [name, prop] of Object.entries(schema.properties)) checkSchema(prop, defs, file, `${where}.${name}`);
      // Fields that come one way or another (the service takes either): the object's own
      // properties, and those of exactly one of its alternatives, each an object of fields not
      // among the object's own. TypeScript: `{ own } & (A | B)`.
      if (schema.oneOf !== undefined) {
        if (!Array.isArray(schema.oneOf) || schema.oneOf.length < 2) throw new DescriptionError(file, where, '"oneOf" must be an array of two or more object schemas');
        schema.oneOf.forEach((alt, i) => {
          const at = `${where}.oneOf[${i}]`;
          if (!isObject(alt) || alt.type !== 'object' || !isObject(alt.properties) || 'oneOf' in alt || 'nullable' in alt || '$ref' in alt) {
            throw new DescriptionError(file, at, 'an alternative is an object schema with "properties" (no oneOf, nullable or $ref of its own)');
          }
          for (const name of Object.keys(alt.properties)) {
            if (name in schema.properties) throw new DescriptionError(file, `${at}.${name}`, 'is also among the object\'s own "properties": a field is one or the other');
          }
          checkSchema(alt, defs, file, at);
        });
      }
      break;
    }
    case 'array':
      only(['items']);
      if ('items' in schema) checkSchema(schema.items, defs, file, `${where}[]`); // else unknown[]
      break;
    case 'file':
      // A form field (sent as a Blob), or a whole 2xx answer that is a file (received as bytes).
      if (!where.includes('.form.') && !/\.response(\[\d+\])?\.body$/.test(where)) throw new DescriptionError(file, where, 'type file is for "form" fields and whole answer bodies only');
      only([]);
      break;
    case 'boolean':
      only([]);
      break;
    default: {
      only(['enum']);
      if (schema.enum !== undefined) {
        const values = Array.isArray(schema.enum) ? schema.enum : isObject(schema.enum) ? Object.keys(schema.enum) : null;
        if (!values || values.length === 0) throw new DescriptionError(file, where, '"enum" must be a non-empty array or an object of value -> meaning');
        for (const v of values) {
          // An object's keys on a number type: each a number as JSON writes it (`1`, not `1.0`, ` 1` or `0x1`).
          const ok = schema.type === 'string' ? typeof v === 'string' : Array.isArray(schema.enum) ? Number.isFinite(v) : v !== '' && String(Number(v)) === v;
          if (!ok) throw new DescriptionError(file, where, `enum value ${JSON.stringify(v)} is not of type ${schema.type}`);
          if (isObject(schema.enum) && typeof schema.enum[v] !== 'string') throw new DescriptionError(file, where, `enum value ${JSON.stringify(v)}'s meaning is not a string ('' for none)`);
        }
      }
    }
  }
}

function checkOperation(op, verb, path, placeholders, defs, file) {
  const where = `paths["${path}"].${verb}`;
  if (!isObject(op)) throw new DescriptionError(file, where, 'an operation must be an object');
  checkKeys(op, ['title', 'description', 'link', 'see', 'tags', 'deprecated', 'host', 'source', 'headers', 'query', 'body', 'form', 'response', 'placeholders'], file, where);
  if (op.placeholders !== undefined) {
    // This operation's own labels, where they differ from the family's.
    if (!isObject(op.placeholders)) throw new DescriptionError(file, `${where}.placeholders`, 'must map placeholders of the path to their labels');
    for (const [name, label] of Object.entries(op.placeholders)) {
      if (!placeholderNames(path).includes(name)) throw new DescriptionError(file, `${where}.placeholders.${name}`, `is not a placeholder of ${path}`);
      if (typeof label !== 'string' || !label) throw new DescriptionError(file, `${where}.placeholders.${name}`, 'must be a non-empty label');
    }
  }
  requireString(op, 'title', file, where);
  if (op.link !== undefined) {
    requireString(op, 'link', file, where);
    if (!/^https:\/\/\S+$/.test(op.link)) throw new DescriptionError(file, where, '"link" must be an https URL of the official documentation');
  }
  if (op.see !== undefined && !(Array.isArray(op.see) && op.see.every((u) => typeof u === 'string' && /^https:\/\/\S+$/.test(u)))) {
    throw new DescriptionError(file, `${where}.see`, 'must be an array of https URLs');
  }
  if (op.tags !== undefined && !(Array.isArray(op.tags) && op.tags.length && op.tags.every((t) => typeof t === 'string' && t))) {
    throw new DescriptionError(file, `${where}.tags`, 'must be a non-empty array of tag names');
  }
  if (op.deprecated !== undefined && op.deprecated !== true) throw new DescriptionError(file, where, '"deprecated" is true or absent');
  if (op.host !== undefined && !/^https:\/\/\S+\/$/.test(op.host)) throw new DescriptionError(file, `${where}.host`, 'must be the https base URL that serves it, ending in /');
  if (op.source !== undefined) requireString(op, 'source', file, where);
  for (const key of ['headers', 'form']) {
    if (op[key] === undefined) continue;
    checkSchema(op[key], defs, file, `${where}.${key}`);
    const s = resolve(op[key], defs);
    if (s.type !== 'object' || !s.properties) throw new DescriptionError(file, `${where}.${key}`, `"${key}" must be an object schema with properties`);
    if (s.oneOf) throw new DescriptionError(file, `${where}.${key}`, '"oneOf" is for JSON bodies and their fields');
  }
  if (op.headers) {
    for (const [name, prop] of Object.entries(resolve(op.headers, defs).properties)) {
      if (resolve(prop, defs).type !== 'string') throw new DescriptionError(file, `${where}.headers.${name}`, 'headers are strings');
    }
  }
  if (op.form && !DATA_VERBS.has(verb)) throw new DescriptionError(file, where, `${verb} sends no body: "form" applies to post, put and patch`);
  if (op.form && op.body) throw new DescriptionError(file, where, '"form" and "body" exclude each other');
  if (op.description !== undefined) requireString(op, 'description', file, where);
  if (op.query !== undefined) {
    checkSchema(op.query, defs, file, `${where}.query`);
    const query = resolve(op.query, defs);
    if (query.type !== 'object' || !query.properties) throw new DescriptionError(file, `${where}.query`, 'the query must be an object schema with properties');
    if (query.oneOf) throw new DescriptionError(file, `${where}.query`, '"oneOf" is for JSON bodies and their fields');
    for (const [name, prop] of Object.entries(query.properties)) {
      const p = resolve(prop, defs);
      const scalar = (s) => ['string', 'integer', 'number', 'boolean'].includes(s.type);
      if (!scalar(p) && !(p.type === 'array' && p.items && scalar(resolve(p.items, defs)))) {
        throw new DescriptionError(file, `${where}.query.${name}`, 'query parameters are scalars or arrays of scalars');
      }
    }
  }
  if (op.body !== undefined) {
    // A DELETE with a documented body: typed (JsonDataRequest), sent from the config's `data`.
    if (verb === 'get') throw new DescriptionError(file, where, `${verb} sends no body: "body" applies to post, put, patch and delete (the config's data)`);
    checkSchema(op.body, defs, file, `${where}.body`);
  }
  const answers = Array.isArray(op.response) ? op.response : [op.response];
  if (answers.length === 0) throw new DescriptionError(file, where, '"response" lists no answer');
  const statuses = new Set();
  answers.forEach((res, i) => {
    const at = Array.isArray(op.response) ? `${where}.response[${i}]` : `${where}.response`;
    if (!isObject(res)) throw new DescriptionError(file, where, '"response" must be an object: { "status": 200, "body": {...} } or { "status": 204 }, or an array of them');
    checkKeys(res, ['status', 'body'], file, at);
    if (!Number.isInteger(res.status) || res.status < 200 || res.status > 299) {
      throw new DescriptionError(file, at, '"status" must be the 2xx status the API answers');
    }
    if (statuses.has(res.status)) throw new DescriptionError(file, at, `status ${res.status} is listed twice`);
    statuses.add(res.status);
    if (res.status === 204 && res.body !== undefined) throw new DescriptionError(file, at, '204 has no body');
    if (res.status !== 204 && res.body === undefined) throw new DescriptionError(file, at, `a ${res.status} answer needs "body" (use 204 for no content)`);
    if (res.body !== undefined) checkSchema(res.body, defs, file, `${at}.body`);
  });
  for (const name of placeholderNames(path)) {
    if (!Object.hasOwn(placeholders, name)) throw new DescriptionError(file, `paths["${path}"]`, `placeholder {${name}} is not described in "placeholders"`);
  }
}

function placeholderNames(path) {
  return [...path.matchAll(/\{([^{}/]+)\}/g)].map((m) => m[1]);
}

/** Follows a `$ref` to its definition. */
function resolve(schema, defs, seen = new Set()) {
  if (!schema.$ref) return schema;
  const name = schema.$ref.slice('#/definitions/'.length);
  if (seen.has(name)) throw new Error(`definitions: "${name}" refers to itself`);
  seen.add(name);
  const target = resolve(defs[name], defs, seen);
  return schema.description ? { ...target, description: schema.description } : target;
}

/** Parses and checks one family file; `rel` is its path under api/, e.g. `marketing/membercard-open.json`. */
export function loadFamily(rel, text) {
  const file = `api/${rel}`;
  let desc;
  try {
    desc = JSON.parse(text);
  } catch (e) {
    throw new DescriptionError(file, '', `not valid JSON: ${e.message}`);
  }
  if (!isObject(desc)) throw new DescriptionError(file, '', 'a family description is a JSON object');
  checkKeys(desc, ['$comment', 'family', 'title', 'description', 'see', 'placeholders', 'paths', 'definitions'], file, '');
  requireString(desc, 'family', file, '');
  requireString(desc, 'title', file, '');
  const expected = rel.replace(/\.json$/, '');
  if (desc.family !== expected) throw new DescriptionError(file, 'family', `is "${desc.family}" but the file says "${expected}": one file per family, named after it`);
  if (desc.see !== undefined && !(Array.isArray(desc.see) && desc.see.every((u) => typeof u === 'string' && /^https:\/\//.test(u)))) {
    throw new DescriptionError(file, 'see', 'must be an array of https URLs');
  }
  const placeholders = desc.placeholders ?? {};
  if (!isObject(placeholders)) throw new DescriptionError(file, 'placeholders', 'must map each placeholder name to its meaning');
  for (const [name, meaning] of Object.entries(placeholders)) {
    if (typeof meaning !== 'string' || !meaning) throw new DescriptionError(file, `placeholders.${name}`, 'must be a non-empty description');
    if (OPTION_KEYS.has(name)) throw new DescriptionError(file, `placeholders.${name}`, `"${name}" is a config option the runtime reads itself`);
  }
  const defs = desc.definitions ?? {};
  if (!isObject(defs)) throw new DescriptionError(file, 'definitions', 'must be an object of named schemas');
  for (const [name, schema] of Object.entries(defs)) checkSchema(schema, defs, file, `definitions.${name}`);
  for (const name of Object.keys(defs)) {
    try {
      resolve({ $ref: `#/definitions/${name}` }, defs);
    } catch (e) {
      throw new DescriptionError(file, `definitions.${name}`, e.message);
    }
  }
  if (!isObject(desc.paths) || Object.keys(desc.paths).length === 0) throw new DescriptionError(file, 'paths', 'a family describes at least one path');
  const prefix = `/v3/${desc.family}`;
  for (const [path, ops] of Object.entries(desc.paths)) {
    if (path !== prefix && !path.startsWith(`${prefix}/`)) throw new DescriptionError(file, `paths["${path}"]`, `is outside the family: paths start with ${prefix}`);
    if (!isObject(ops) || Object.keys(ops).length === 0) throw new DescriptionError(file, `paths["${path}"]`, 'must map verbs to operations');
    checkKeys(ops, VERBS, file, `paths["${path}"]`);
    for (const [verb, op] of Object.entries(ops)) checkOperation(op, verb, path, placeholders, defs, file);
  }
  return { file, desc, defs, placeholders };
}

/** api/'s file of the notification types, which is no family (scripts/gen-api.mjs, EVENTS_FILE). */
export const EVENTS_FILE = 'webhooks.json';

/** All family files under `dir`, sorted, as `[rel, text]`. */
export function readFamilies(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (d === dir && entry.name === EVENTS_FILE) continue;
      else if (entry.name.endsWith('.json')) out.push([relative(dir, p).split(sep).join('/'), readFileSync(p, 'utf8')]);
    }
  };
  walk(dir);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// ---------------------------------------------------------------------------
// The chain tree.

function newNode(segment, prop, template) {
  return { segment, prop, template, children: new Map(), ops: new Map(), family: null };
}

function buildTree(families) {
  const root = newNode('v3', 'v3', 'v3');
  for (const fam of families) {
    for (const [path, ops] of Object.entries(fam.desc.paths)) {
      let node = root;
      const where = `paths["${path}"]`;
      const steps = chainSteps(path);
      for (const step of steps) {
        if (step.error) throw new DescriptionError(fam.file, where, step.error);
      }
      for (const { segment, ...mapped } of steps) {
        let child = node.children.get(segment);
        if (!child) {
          child = newNode(segment, mapped.prop, `${node.template}/${segment}`);
          child.placeholder = mapped.placeholder;
          node.children.set(segment, child);
        }
        node = child;
      }
      for (const [verb, op] of Object.entries(ops)) {
        if (node.ops.has(verb)) throw new DescriptionError(fam.file, `paths["${path}"].${verb}`, `is also described in ${node.ops.get(verb).fam.file}`);
        node.ops.set(verb, { op, fam, path });
      }
    }
    // The family's documentation goes on the node of its base path.
    let base = root;
    for (const segment of fam.desc.family.split('/')) base = base.children.get(segment);
    if (base.family) throw new DescriptionError(fam.file, 'family', `is also described by ${base.family.file}`);
    base.family = fam;
  }
  return root;
}

// ---------------------------------------------------------------------------
// Emitting TypeScript.

/** One space per nesting level: the declarations nest deep, and bytes count (bench: types). */
function indent(level) {
  return ' '.repeat(level);
}

function quote(s) {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function propName(name) {
  return IDENTIFIER.test(name) ? name : quote(name);
}

/** A JSDoc block from lines, at `indent`; empty lines become paragraph breaks. */
function jsdoc(lines, indent) {
  const clean = lines.map((l) => l.replace(/\*\//g, '*\\/'));
  while (clean.length && clean[clean.length - 1] === '') clean.pop();
  if (clean.length === 0) return '';
  if (clean.length === 1) return `${indent}/** ${clean[0]} */\n`;
  return `${indent}/**\n${clean.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

/** A field of a oneOf's alternative (by its schema object): the line naming the alternatives. */
const ONE_OF_NOTES = new WeakMap();

/**
 * What a string of `format: base64` is, sent (`request`) or answered: WeChat Pay's descriptions give
 * that format to sensitive fields (敏感信息: names, id and phone numbers, bank accounts), encrypted
 * with the platform's key one way and the merchant's the other; a few others (a ledger id) have it too.
 */
const SENSITIVE = {
  request: 'Format: base64, which WeChat Pay gives a sensitive field (敏感信息): send `await wxpay.encrypt(plain)` (the request then names its key in `Wechatpay-Serial`), unless its page says otherwise.',
  response: 'Format: base64, which WeChat Pay gives a sensitive field (敏感信息): read it with `await wxpay.decrypt(value)`, unless its page says otherwise.',
  // The runtime looks for the fields `encrypt` returned in a body, not in a query.
  query: 'Format: base64, which WeChat Pay gives a sensitive field (敏感信息): send `await wxpay.encrypt(plain)`, unless its page says otherwise. A query is not looked into for its key: give `wxpay.wechatpaySerial`, read right after `encrypt`, as the request\'s `Wechatpay-Serial` header.',
};

/** At most this many enum values (with their meanings) are listed on one line of a field's doc. */
const ENUM_LINE_MAX = 6;

/** The doc lines of a schema; `mode` 'request', 'response', or 'query' (a request's query string). */
function schemaDoc(schema, mode) {
  const lines = [];
  if (schema.description) lines.push(schema.description);
  if (isObject(schema.enum)) {
    const values = Object.entries(schema.enum).map(([v, meaning]) => (meaning ? `\`${v}\` ${meaning}` : `\`${v}\``));
    // A few on one line; more, one a line (a hover of dozens on one line is a wall of text).
    lines.push(...(lines.length ? [''] : []), ...(values.length > ENUM_LINE_MAX ? values.map((v) => `- ${v}`) : [values.join('; ')]));
  }
  if (schema.format) lines.push(...(lines.length ? [''] : []), schema.format === 'base64' && schema.type === 'string' && SENSITIVE[mode] ? SENSITIVE[mode] : `Format: ${schema.format}.`);
  return lines;
}

/**
 * The TypeScript type of a schema. `mode` is 'request' (closed enums: a
 * typo is an error) or 'response' (open enums: WeChat Pay may add values).
 */
function tsType(schema, ctx, level) {
  const s = resolve(schema, ctx.defs);
  const t = baseType(s, ctx, level);
  return s.nullable ? `${/[|&]/.test(t) && !/^\{[\s\S]*\}$/.test(t) ? `(${t})` : t} | null` : t;
}

function baseType(s, ctx, level) {
  const pad = indent(level);
  switch (s.type) {
    case undefined:
      return 'unknown';
    case 'file':
      // Sent: a Blob in a FormData. Received: the answer's bytes, as the runtime hands them back.
      return ctx.mode === 'response' ? 'WxpayBytes' : 'Blob';
    case 'object': {
      if (!s.properties) return 'Record<string, unknown>';
      const required = new Set(s.required ?? []);
      const entries = Object.entries(s.properties);
      // Each alternative's fields say which others stand in for them (hover shows no union).
      // Only where no field is in two alternatives (else they differ below it, e.g. in `payer`).
      const names = s.oneOf?.flatMap((alt) => Object.keys(alt.properties));
      if (names && new Set(names).size === names.length) {
        const named = s.oneOf.map((alt) => Object.keys(alt.properties).map((n) => `\`${n}\``).join(' with '));
        const note = `One of: ${named.join(', or ')}.`;
        for (const alt of s.oneOf) for (const prop of Object.values(alt.properties)) ONE_OF_NOTES.set(prop, note);
      }
      const alternatives = s.oneOf ? `(${s.oneOf.map((alt) => baseType(alt, ctx, level)).join(' | ')})` : '';
      if (entries.length === 0) return alternatives || 'Record<string, never>';
      let out = '{\n';
      for (const [name, prop] of entries) {
        const note = ONE_OF_NOTES.get(prop);
        const doc = schemaDoc(resolve(prop, ctx.defs), ctx.query ? 'query' : ctx.mode);
        out += jsdoc(note ? [...doc, ...(doc.length ? [''] : []), note] : doc, `${pad} `);
        // A field sent may be given as undefined (JSON leaves it out), also under exactOptionalPropertyTypes.
        const absent = required.has(name) ? '' : ctx.mode === 'request' ? ' | undefined' : '';
        out += `${pad} ${propName(name)}${required.has(name) ? '' : '?'}: ${nestedType(prop, ctx, level + 1, name)}${absent};\n`;
      }
      return alternatives ? `${out}${pad}} & ${alternatives}` : `${out}${pad}}`;
    }
    case 'array': {
      if (!s.items) return 'unknown[]';
      const item = nestedType(s.items, ctx, level, `${ctx.hint ?? 'Item'}Item`);
      return /^[\w$.]+$|^\{[\s\S]*\}$/.test(item) ? `${item}[]` : `(${item})[]`;
    }
    case 'string':
    case 'integer':
    case 'number': {
      const base = s.type === 'string' ? 'string' : 'number';
      if (s.enum === undefined) return base;
      const values = Array.isArray(s.enum) ? s.enum : Object.keys(s.enum).map((v) => (base === 'number' ? Number(v) : v));
      const literals = values.map((v) => (base === 'string' ? quote(v) : String(v)));
      if (ctx.mode === 'response') literals.push(`(${base} & {})`);
      return literals.join(' | ');
    }
    case 'boolean':
      return 'boolean';
    default:
      throw new Error(`unreachable schema type ${s.type}`);
  }
}

// ---------------------------------------------------------------------------
// Shared object types. The corpus repeats many nested objects (an amount, a
// payer, a coupon's rules) across endpoints: a nested object type of three fields
// or more that occurs twice or more (same fields, labels and enums, in the same mode) is declared
// once in `WeChatPay.OpenAPI.Schemas` and referenced, which halves the
// declarations and the work of a type check. Top-level types (RequestConfig,
// JsonDataRequest, WellformedResponse...) keep their own names.

/** Generation state: pass 1 counts the nested objects, pass 2 names and emits the shared ones. */
let SHARED = null;
const SHARED_LEVEL = 2;
/** Smaller objects stay inline, readable on hover (sharing them saves next to nothing). */
const SHARED_MIN_FIELDS = 3;

function newShared() {
  return { counting: true, counts: new Map(), names: new Map(), taken: new Set(), decls: [] };
}

/** The identity of a nested object: its mode and its fully resolved schema, less its own label and nullability. */
function schemaKey(s, ctx) {
  const deep = (x) => {
    if (Array.isArray(x)) return x.map(deep);
    if (!isObject(x)) return x;
    const r = x.$ref ? resolve(x, ctx.defs) : x;
    const out = {};
    for (const k of Object.keys(r)) out[k] = deep(r[k]);
    return out;
  };
  const { description, nullable, ...rest } = s;
  const text = JSON.stringify(deep(rest));
  // A query's base64 field has a doc of its own (SENSITIVE.query): not shared with a body's.
  const where = ctx.query && text.includes('"format":"base64"') ? 'query:' : '';
  return `${ctx.mode}:${where}${text}`;
}

function pascal(hint) {
  const id = hint.replace(/[^A-Za-z0-9]+(.)?/g, (_, c) => (c ?? '').toUpperCase());
  return /^[A-Za-z]/.test(id) ? id[0].toUpperCase() + id.slice(1) : `T${id}`;
}

/** The type of a property or array item: a reference to a shared declaration when its object repeats. */
function nestedType(schema, ctx, level, hint) {
  const s = resolve(schema, ctx.defs);
  if (SHARED && s.type === 'object' && s.properties && !s.oneOf && Object.keys(s.properties).length >= SHARED_MIN_FIELDS) {
    const key = schemaKey(s, ctx);
    if (SHARED.counting) {
      SHARED.counts.set(key, (SHARED.counts.get(key) ?? 0) + 1);
    } else if (SHARED.counts.get(key) >= 2) {
      let name = SHARED.names.get(key);
      if (!name) {
        // Named after the field; when another shape took that name first, after the operation
        // too (`RefundsPostAmount`, which an editor's hover and a type error show), so that the
        // name says where it is from; a number only where that is taken as well.
        const field = pascal(hint);
        const rest = ctx.op && field.startsWith(ctx.op) ? field.slice(ctx.op.length) : field;
        const candidates = ctx.op ? [field, `${ctx.op}${rest}`, `${ctx.path}${rest}`] : [field];
        const base = candidates.find((c) => !SHARED.taken.has(c)) ?? candidates.at(-1);
        name = base;
        for (let i = 2; SHARED.taken.has(name); i++) name = `${base}${i}`;
        SHARED.taken.add(name);
        SHARED.names.set(key, name);
        const body = baseType({ ...s, description: undefined, nullable: undefined }, { ...ctx, hint }, SHARED_LEVEL);
        const doc = jsdoc([`${s.description ? `${s.description}: ` : ''}an object ${SHARED.counts.get(key)} places share (${ctx.mode === 'request' ? 'sent' : 'received'}).`], indent(SHARED_LEVEL));
        SHARED.decls.push(`${doc}${indent(SHARED_LEVEL)}export interface ${name} ${body}\n`);
      }
      return s.nullable ? `Schemas.${name} | null` : `Schemas.${name}`;
    }
  }
  return tsType(schema, { ...ctx, hint }, level);
}

/** `export interface Name {...}` for an object schema, else `export type Name = ...;`. */
function declaration(name, schema, ctx, level, docLines) {
  const pad = indent(level);
  const s = resolve(schema, ctx.defs);
  const own = schemaDoc(s, ctx.mode);
  const doc = jsdoc([...docLines, ...(docLines.length && own.length ? [''] : []), ...own], pad);
  if (s.type === 'object' && s.properties && Object.keys(s.properties).length > 0 && !s.nullable && !s.oneOf) {
    // The same answer or body as other endpoints: this name, their shared declaration.
    const shared = nestedType(s, ctx, level, ctx.hint ?? name);
    if (shared.startsWith('Schemas.')) return `${doc}${pad}export interface ${name} extends ${shared} {}\n`;
    return `${doc}${pad}export interface ${name} ${tsType(s, ctx, level)}\n`;
  }
  return `${doc}${pad}export type ${name} = ${tsType(s, ctx, level)};\n`;
}

function interfaceName(node) {
  if (/^_.+_$/.test(node.prop)) return node.prop;
  const id = node.prop.replace(/[{}]/g, '').replace(/\/(.)/g, (_, c) => c.toUpperCase()).replace(/-([a-z])/g, (_, c) => c.toUpperCase()).replace(/[^A-Za-z0-9_$]/g, '_');
  return id[0].toUpperCase() + id.slice(1);
}

function verbNamespace(verb) {
  return `${verb[0].toUpperCase()}${verb.slice(1)}HttpMethod`;
}

/** The declarations of one operation's types, and its signature in the node interface. */
function emitOperation(nodeName, verb, { op, fam, path }, level) {
  const pad = indent(level);
  const ns = verbNamespace(verb);
  const ref = `${nodeName}.${ns}`;
  const method = verb.toUpperCase();
  const names = placeholderNames(path);
  const query = op.query ? resolve(op.query, fam.defs) : null;
  const queryRequired = Boolean(query && (query.required ?? []).length);
  const headers = op.headers ? resolve(op.headers, fam.defs) : null;
  // The runtime sends Wechatpay-Serial itself (the `wechatpaySerial` option): never required of the caller.
  const headersRequired = Boolean(headers && (headers.required ?? []).some((h) => h.toLowerCase() !== 'wechatpay-serial'));
  // A DELETE with a documented body takes it as its config's `data` (the runtime's deleteBody).
  const bodyInConfig = Boolean(op.body) && !DATA_VERBS.has(verb);
  const configOptional = names.length === 0 && !queryRequired && !headersRequired && !bodyInConfig;
  const opName = `${nodeName}${ns.replace('HttpMethod', '')}`;
  // What a shared type's name may take from where it is first met (nestedType): the node and
  // verb (`RefundsPost`), else the whole path (`PayPartnerTransactionsIdTransactionIdGet`).
  const where = { op: pascal(opName), path: pascal(`${path.replace(/^\/v3\//, '')}/${verb}`) };
  const request = { defs: fam.defs, mode: 'request', hint: `${opName}Request`, ...where };
  const response = { defs: fam.defs, mode: 'response', hint: `${opName}Response`, ...where };
  const answers = Array.isArray(op.response) ? op.response : [op.response];

  let body = '';
  // RequestConfig: the placeholders by name, the typed query and headers, the common options.
  const parts = [names.length ? 'the path placeholders' : '', bodyInConfig ? 'the body (`data`)' : '', query ? 'the query (`params`)' : '`params` (unchecked: no query documented)', '`headers`', '`signal`', '`timeout`', '`retry`', '`maxBodyBytes`'].filter(Boolean);
  body += jsdoc([`The config of \`${verb}\`: ${parts.join(', ')}.`], `${pad} `);
  let fields = '';
  for (const name of names) {
    // Own properties only: a placeholder named `toString` is no label of Object.prototype's.
    fields += jsdoc([Object.hasOwn(op.placeholders ?? {}, name) ? op.placeholders[name] : fam.placeholders[name]], `${pad} `);
    // The runtime takes a number as well and formats it as JS does (boundary.js `scalar`).
    fields += `${pad} ${propName(name)}: string | number;\n`;
  }
  if (bodyInConfig) fields += jsdoc(['The JSON body of this request.'], `${pad} `) + `${pad} data: JsonDataRequest;\n`;
  if (queryRequired) fields += `${pad} params: QueryParams;\n`;
  if (headersRequired) fields += `${pad} headers: RequestHeaders;\n`;
  // A `Headers` object cannot be checked by name: accepted unless a described header is required.
  const generics = query || headers ? `<${query ? 'QueryParams' : 'Params'}${headers ? (headersRequired ? ', RequestHeaders' : ', RequestHeaders | Headers') : ''}>` : '';
  body += `${pad} export interface RequestConfig extends RequestOptions${generics} {${fields ? `\n${fields}${pad} ` : ''}}\n`;
  if (query) body += declaration('QueryParams', query, { ...request, query: true }, level + 1, ['The query string of this request.']);
  if (headers) {
    const h = { ...headers, required: (headers.required ?? []).filter((n) => n.toLowerCase() !== 'wechatpay-serial') };
    const t = tsType(h, request, level + 1).replace(/\n(\s*)\}$/, `\n$1 readonly [name: string]: Scalar | null | undefined;\n$1}`);
    body += jsdoc(['The request headers this API documents (`Wechatpay-Serial` is sent for you), and any others.'], `${pad} `);
    body += `${pad} export interface RequestHeaders extends ReservedHeaders ${t}\n`;
  }
  if (op.body) {
    const lines = ['The JSON body of this request.'];
    if (bodyInConfig) lines.push('', `Given as the config's \`data\`: \`${verb}({ data, ... })\`.`);
    body += declaration('JsonDataRequest', op.body, request, level + 1, lines);
  }
  if (op.form) {
    body += declaration('MultipartDataRequest', op.form, request, level + 1, ['The `multipart/form-data` fields of this upload (sent as `FormData`; JSON fields as text).']);
  }
  const results = [];
  answers.forEach((a, i) => {
    const name = i === 0 ? 'WellformedResponse' : `WellformedResponse${a.status}`;
    if (a.body && resolve(a.body, fam.defs).type === 'file') {
      body += declaration(name, a.body, response, level + 1, [`\`data\` of the ${a.status} answer: the file, as bytes.`]);
    } else if (a.body) {
      body += declaration(name, a.body, response, level + 1, [`\`data\` of the ${a.status} answer.`]);
    } else {
      body += jsdoc([`${a.status} No Content: the answer has no body, so \`data\` is \`''\`.`], `${pad} `);
      body += `${pad} export type ${name} = '';\n`;
    }
    results.push(`WxpayResponse<${ref}.${name}, ${a.status}>`);
  });
  const types = `${pad}export namespace ${ns} {\n${body}${pad}}\n`;

  const config = `config${configOptional ? '?' : ''}: ${ref}.RequestConfig`;
  let params = config;
  if (DATA_VERBS.has(verb)) {
    const data = op.body ? `data: ${ref}.JsonDataRequest` : op.form ? 'data: FormData' : configOptional ? 'data?: null' : 'data: null | undefined';
    params = `${data}, ${config}`;
  }
  const doc = [op.title, ''];
  if (op.description) doc.push(op.description, '');
  if (op.host) doc.push(`Served by ${op.host}: call it on a client whose \`baseURL\` is that host.`, '');
  // Say what the client cannot do yet rather than let a typed call fail unexplained.
  if (op.form) doc.push('An upload (`multipart/form-data`, fields in `MultipartDataRequest`): pass a `FormData` whose file has a name (a `File`, or `uploadForm(bytes, name, ...)`); the client builds the body and signs its `meta` part (README, Uploads).', '');
  if (bodyInConfig) doc.push(`The API documents a JSON body (\`JsonDataRequest\`): give it as the config's \`data\`.`, '');
  doc.push(`\`${method} ${path}\``);
  // What the config must carry, for signature help (a call without it says only "Expected 2 arguments").
  const configParts = [
    names.length ? `the path's placeholder${names.length > 1 ? 's' : ''} by name (${names.map((n) => `\`${n}\``).join(', ')})` : '',
    bodyInConfig ? 'the JSON body as `data`' : '',
    queryRequired ? 'the query as `params`' : '',
    headersRequired ? 'the `headers` the API requires' : '',
  ].filter(Boolean);
  if (configParts.length) doc.push(`@param config ${configParts.join(', ')}, besides the options`);
  if (op.link) doc.push(`@link ${op.link}`);
  for (const url of op.see ?? []) doc.push(`@see ${url}`);
  if (op.deprecated) doc.push('@deprecated The documentation marks this API as deprecated.');
  const signature =
    jsdoc(doc, pad) +
    `${pad}${verb}(${params}): Promise<${results.join(' | ')}>;\n`;
  return { types, signature };
}

function familyDoc(fam) {
  const d = fam.desc;
  const lines = [d.title];
  if (d.description) lines.push('', d.description);
  lines.push('', `\`v3/${fam.desc.family}\`: typed from ${fam.file}.`);
  for (const url of d.see ?? []) lines.push(`@see ${url}`);
  return lines;
}

/**
 * The interface and namespace of `node`, named `name`, at `level`. `joinedVerbs`: the verb names
 * of this node that its parent reaches as a path instead (`profitsharing['receivers/delete']`, where
 * `receivers.delete` is the DELETE verb), by the parent's chain expression of that path.
 */
function emitNode(node, name, level, reserved, joinedVerbs = new Map()) {
  const pad = indent(level);
  const members = [];
  const inner = [];
  for (const verb of VERBS) {
    const entry = node.ops.get(verb);
    if (entry) {
      const { types, signature } = emitOperation(name, verb, entry, level + 1);
      members.push(signature);
      inner.push(types);
    } else if (joinedVerbs.has(verb)) {
      // Not a verb of this API: said where an editor shows it (hover, the error's member).
      members.push(jsdoc([joinedVerbs.get(verb)], `${pad} `) + `${pad} readonly ${verb}: never;\n`);
    }
  }
  const children = [...node.children.values()].sort((a, b) => (a.segment < b.segment ? -1 : 1));
  // `x/delete` joined here (chainSteps): `x`'s own `delete` says where it went. So does `x`'s
  // verb that only `x/` (a path ending in a slash, `['applyment/']`) has.
  const joined = new Map();
  const join = (segment, verb, text) => joined.set(segment, (joined.get(segment) ?? new Map()).set(verb, text));
  for (const child of children) {
    const slash = child.segment.lastIndexOf('/');
    const verb = child.segment.slice(slash + 1);
    const expression = `${chainExpression(`/${node.template}`)}['${child.segment}']`;
    if (slash > 0 && VERBS.includes(verb)) {
      const plain = child.segment.slice(0, slash);
      join(plain, verb, `Not an API: here \`${verb}\` is the ${verb.toUpperCase()} verb, which \`${node.template}/${plain}\` does not document. The API \`${child.template}\` is reached as \`${expression}\`.`);
    } else if (slash === child.segment.length - 1 && slash > 0) {
      const plain = child.segment.slice(0, slash);
      for (const v of child.ops.keys()) {
        join(plain, v, `Not an API: \`${node.template}/${plain}\` documents no ${v.toUpperCase()}; \`${child.template}\`, with its slash, does: \`${expression}.${v}(...)\`.`);
      }
    }
  }
  const taken = new Map(VERBS.map((v) => [verbNamespace(v), 'a verb namespace']));
  for (const child of children) {
    const childName = interfaceName(child);
    const where = `/${child.template}`;
    if (reserved.has(childName)) throw new Error(`${where}: its type name ${childName} would shadow the core's ${childName}`);
    if (taken.has(childName)) throw new Error(`${where}: its type name ${childName} collides with ${taken.get(childName)}`);
    taken.set(childName, `/${child.template}`);
    const doc = child.family ? familyDoc(child.family) : [`\`${child.template}\``];
    members.push(jsdoc(doc, `${pad} `) + `${pad} readonly ${propName(child.prop)}: TypedNode<${name}.${childName}>;\n`);
    // Every spelling of a placeholder the runtime reads: `_card_id_`, `$card_id$` and, in brackets,
    // `['{card_id}']` (wechatpay-axios-plugin's documented form).
    if (child.placeholder) {
      for (const spelling of [`$${child.placeholder}$`, `{${child.placeholder}}`]) {
        members.push(jsdoc(doc, `${pad} `) + `${pad} readonly ${propName(spelling)}: TypedNode<${name}.${childName}>;\n`);
      }
    }
    inner.push(emitNode(child, childName, level + 1, reserved, joined.get(child.segment)));
  }
  const iface = `${pad}export interface ${name} {\n${members.join('')}${pad}}\n`;
  const ns = inner.length ? `${pad}export namespace ${name} {\n${inner.join('')}${pad}}\n` : '';
  return iface + ns;
}

/** Names the core exports: the generated namespaces must not shadow them. */
function exportedNames(core) {
  return new Set([...core.matchAll(/^export\s+(?:declare\s+)?(?:interface|type|class|namespace|const|function|enum)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]));
}

/** The notification types of `dir`/webhooks.json (scripts/gen-api.mjs, readEvents), parsed. */
export function readEvents(dir) {
  return JSON.parse(readFileSync(join(dir, EVENTS_FILE), 'utf8'));
}

/** The types a notification's `event_type` and `resource.original_type` may take. */
const EVENT_TYPES = [
  ['event_type', 'NotificationEventType', "A notification's `event_type` (通知类型)"],
  ['original_type', 'NotificationOriginalType', "An encrypted resource's `original_type` (原始回调类型)"],
];

/** `events` (as readEvents gives them) as one union type a field, each value with its pages. */
function emitEvents(events) {
  let out = '';
  for (const [field, name, what] of EVENT_TYPES) {
    const entries = events[field] ?? [];
    if (!Array.isArray(entries)) throw new DescriptionError(EVENTS_FILE, field, 'a list of values');
    const seen = new Set();
    const members = entries.map((e, i) => {
      if (!isObject(e) || typeof e.value !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(e.value)) throw new DescriptionError(EVENTS_FILE, `${field}[${i}]`, 'a value of letters, digits, `_`, `.` and `-`');
      if (seen.has(e.value)) throw new DescriptionError(EVENTS_FILE, `${field}[${i}]`, `${e.value} twice`);
      seen.add(e.value);
      const title = [(e.titles ?? []).join(', '), e.label].filter(Boolean).join(': ');
      return jsdoc([...(title ? [title] : []), ...(e.links ?? []).map((url) => `@see ${url}`)], '  ') + `  | '${e.value}'\n`;
    });
    const doc = jsdoc([`${what}, as WeChat Pay's description lists them. The field is typed \`${name} | (string & {})\`, so that a value the list lacks is a string too.`], '');
    out += `${doc}export type ${name} =\n${members.length ? members.join('') : '  never\n'};\n\n`;
  }
  return out;
}

/**
 * The full declaration file: `core` followed by the namespaces generated
 * from `files` (`[rel, text]` pairs, as readFamilies returns) and the notification types of
 * `events` (readEvents; none given: each is `never`, so the core's fields are open strings).
 */
export function generate(core, files, events = {}) {
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const families = sorted.map(([rel, text]) => loadFamily(rel, text));
  const reserved = exportedNames(core);
  for (const name of ['TypedNode', 'WxpayResponse', 'RequestOptions', 'Params', 'Scalar']) {
    if (!reserved.has(name)) throw new Error(`the core declarations must export ${name}: the generated types use it`);
  }
  const tree = buildTree(families);
  const header = [
    '',
    '// ---------------------------------------------------------------------------',
    '// Generated by scripts/gen-types.mjs from the API descriptions:',
    ...families.map((f) => `//   ${f.file}`),
    '// Do not edit here: change the description and rebuild.',
    '// ---------------------------------------------------------------------------',
    '',
  ].join('\n');
  for (const [, name] of EVENT_TYPES) if (reserved.has(name)) throw new Error(`the core declarations must not export ${name}: it is generated`);
  reserved.add('Schemas');
  SHARED = newShared();
  try {
    emitNode(tree, 'V3', 1, reserved); // pass 1: count the nested objects
    SHARED.counting = false;
    const body = emitNode(tree, 'V3', 1, reserved);
    const schemas = SHARED.decls.length
      ? ` /** Object types that several endpoints share (generated; named after a field that has them, or, that name taken, after the operation or path first met in). */\n export namespace Schemas {\n${SHARED.decls.join('')} }\n`
      : '';
    return `${core.replace(/\s*$/, '\n')}${header}\n${emitEvents(events)}export declare namespace WeChatPay.OpenAPI {\n${body}${schemas}}\n`;
  } finally {
    SHARED = null;
  }
}

function main(argv) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const args = { out: null, core: join(root, 'pkg-template/index.d.ts'), api: join(root, 'api') };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args) || argv[i + 1] === undefined) {
      process.stderr.write('usage: node scripts/gen-types.mjs [--out FILE] [--core FILE] [--api DIR]\n');
      return 2;
    }
    args[key] = argv[++i];
  }
  let text;
  try {
    text = generate(readFileSync(args.core, 'utf8'), readFamilies(args.api), readEvents(args.api));
  } catch (e) {
    process.stderr.write(`gen-types: ${e.message}\n`);
    return 1;
  }
  if (args.out) writeFileSync(args.out, text);
  else process.stdout.write(text);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
