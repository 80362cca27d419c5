// The boundary: the only code that touches what a caller or a server hands the package.
//
// Every caller-supplied value (options, request configs, bodies, notification inputs, keys) and
// everything the caller's `fetch` returns is read here, inside try/catch, and turned into plain
// values that our own code built (strings, numbers, fresh Uint8Arrays, arrays of pairs) or into a
// `WxpayError`. Rust imports these functions with `catch` (src/wasm/boundary.rs), so no JS
// exception, whatever a getter, Proxy, iterator or `fetch` throws, ever unwinds through Rust
// frames. No message here quotes a value the caller passed: a key pasted in the wrong place
// must not end up in a log.
import { HIDDEN, WxpayError, errorText, escapeControls, field, hide, isError } from './error.js';

// Inputs are copied into wasm memory: bound them, so an absurd input is an error, never a trap.
const MAX_TEXT = 1 << 20;
const MAX_BYTES = 64 << 20;
/**
 * A notification's body: the service's are a few KiB. The URL takes POSTs from anyone, and a body
 * is held in wasm memory about twice while it is verified (the bytes, and the message signed),
 * memory that never shrinks: a 64 MiB body of nonsense with headers anyone can copy would grow
 * it by 128 MiB for good.
 */
const MAX_NOTIFICATION = 1 << 20;
/**
 * The most `[name, value]` pairs read from an iterable of params or headers (each costs at least
 * its two separators of MAX_TEXT), and the most entries of an upload's FormData (the service's
 * uploads have a few; each is a part with its own framing).
 */
const MAX_PAIRS = MAX_TEXT >> 1;
const MAX_PARTS = 1024;
/**
 * Bodies read chunk by chunk: the most chunks of one body held until it ends (each chunk is an
 * object of its own, whatever its size: a body in 1-byte chunks would hold many times its limit),
 * and the most empty chunks of one body (they add nothing, and a stream that gives them
 * endlessly, each read settled at once, would keep timers from ever firing).
 */
const MAX_CHUNKS = 1 << 18;
const MAX_EMPTY_CHUNKS = 4096;
const tooManyEmpty = () => new TypeError(`the body gave more than ${MAX_EMPTY_CHUNKS} empty chunks`);
/** The most `certs` entries (a merchant has a few platform certificates and keys). */
export const MAX_CERTS = 1024;
/** The most of an answer's status text kept (HTTP reason phrases are a few words). */
const MAX_STATUS_TEXT = 1024;
/** Bytes hashed by Rust in one call at most: a larger chunk is hashed in slices of it. */
const HASH_SLICE = 1 << 20;
const long = (what, max, unit = max === MAX_TEXT ? 'characters' : 'bytes') => `${what} is longer than ${max} ${unit}`;

/**
 * An unknown key as a message names it: quoted when it looks like a misspelt option (a short
 * identifier: `baseUrl`, `parmas`), else only its length: a key (PEM, APIv3 key) pasted as a
 * property name must not end up in a log.
 */
export const named = (key) => (/^[A-Za-z_$][A-Za-z0-9_$]{0,23}$/.test(key) ? `\`${key}\`` : `(${key.length} characters, not shown)`);

const fail = (code, message, cause) =>
  new WxpayError(code, message, cause === undefined ? undefined : { cause });
export const param = (message, cause) => fail('ERR_INVALID_PARAM', message, cause);
const config = (message, cause) => fail('ERR_INVALID_CONFIG', message, cause);

/** `typeof`, with `null` and arrays named: for messages. Never throws. */
function kind(v) {
  if (v === null) return 'null';
  try {
    if (Array.isArray(v)) return 'array';
  } catch {
    return 'object';
  }
  return typeof v;
}

/**
 * Defines `key` on an object Rust made as an own data property, as an assignment to a fresh
 * object would: unlike an assignment, it runs no setter Object.prototype may have for `key` (a
 * polluted realm's, which could throw through Rust frames).
 */
export function own(target, key, value) {
  // error.js's descriptor, of no prototype: Object.prototype's `get` or `set` (a polluted
  // realm's) would make an inherited-looking accessor of it, and the definition throw.
  Object.defineProperty(target, key, field(value));
}

/** A request's result, `{ status, statusText, headers, data }`: a literal, which runs no setter either. */
export function result(status, statusText, headers, data) {
  return { status, statusText, headers, data };
}

/** The most characters of a thrown value's description that a message quotes. */
const DESCRIBED = 1000;

/**
 * A short, safe description of something thrown, for messages: at most DESCRIBED characters
 * (a caller's error message may be of any length, and messages reach Rust). Never throws.
 */
export function describe(e, hidden) {
  // A server's or a caller's text: its line breaks and other controls escaped, so that it cannot
  // forge a log line of its own or send escape sequences to a terminal. `hidden` (`[from, to]`
  // pairs: a query, a path as filled) is left out of it wherever it is quoted whole, before the cut.
  const whole = escapeControls(hide(describeWhole(e), hidden));
  return whole.length > DESCRIBED ? `${whole.slice(0, DESCRIBED)}…` : whole;
}


function describeWhole(e) {
  try {
    if (isError(e)) return errorText(e);
    return typeof e === 'string' ? e : kind(e);
  } catch {
    return 'an exception';
  }
}

/**
 * Node before 20, refused at import with what to do (its runtimes lack what the package needs:
 * Node 18's ES modules have no global `crypto`, so nothing could be signed; Node 16 cannot compile
 * the .wasm), or undefined. Bun and Deno, which load the Node entry too, are not Node.
 */
export function nodeTooOld(versions = globalThis.process?.versions) {
  if (versions?.bun !== undefined || versions?.deno !== undefined) return undefined;
  const major = Number(/^(\d+)\./.exec(versions?.node ?? '')?.[1]);
  if (!(major < 20)) return undefined;
  return new Error(`wxpay-wasm: needs Node 20 or later, and this is Node ${versions.node} (README, Install)`);
}

/**
 * The error of a Node entry (node.mjs, node.cjs) that cannot read the .wasm at `file` (a path)
 * beside it: Deno without read access says so itself (NotCapable), and its flag with the file's
 * directory is the advice (`node_modules/wxpay-wasm` in a package.json project, Deno's own cache
 * for an `npm:` import); Node's permission model (`--permission` without `--allow-fs-read` of the
 * file) likewise, with Node's flag; a Worker that loaded the Node entry (by `require`) is told to `import`;
 * else a bundler that moved the entry without the .wasm is named as the cause.
 */
export function wasmUnreadable(cause, file) {
  const dir = String(file).replace(/[\\/][^\\/]*$/, '');
  if (denoRefused(cause)) {
    return new Error(`wxpay-wasm: Deno needs read access to wxpay_wasm_bg.wasm: run with --allow-read=${dir} (its directory), or --allow-read (README, Runtimes): ${cause.message}`, { cause });
  }
  if (cause?.code === 'ERR_ACCESS_DENIED') {
    return new Error(`wxpay-wasm: Node's permission model refused to read wxpay_wasm_bg.wasm: allow its directory too, --allow-fs-read=${dir} (README, Runtimes): ${cause.message}`, { cause });
  }
  if (inWorkerd()) {
    return new Error(`wxpay-wasm: this is the Node entry, which a Worker's require('wxpay-wasm') loads: use import { Wxpay } from 'wxpay-wasm' (README, Runtimes): ${cause?.message}`, { cause });
  }
  return new Error(`wxpay-wasm: cannot read wxpay_wasm_bg.wasm beside its entry. If a bundler (Next.js, esbuild, webpack, rollup, Vite's SSR build, bun build) took the package into a bundle, keep it external (README, Runtimes): ${cause?.message}`, { cause });
}

/** Whether `cause` is Deno refusing a read it was given no permission for. */
export const denoRefused = (cause) => cause?.name === 'NotCapable' || cause?.name === 'PermissionDenied';

/**
 * Runs `read`, turning anything it throws into `wrap(message, cause)`; a `WxpayError` we threw
 * ourselves passes as it is.
 */
export function guarded(what, wrap, read) {
  try {
    return read();
  } catch (e) {
    if (e instanceof WxpayError) throw e;
    throw wrap(`${what} threw: ${describe(e)}`, e);
  }
}

/**
 * `pending`, settled with a `WxpayError` only: anything else it rejects with becomes `wrap(e)`.
 * For the promises Rust awaits, where any other rejection would be taken for a trap (guarded's
 * twin for async reads).
 */
function rejectsWxpay(pending, wrap) {
  return pending.then(undefined, (e) => {
    throw e instanceof WxpayError ? e : wrap(e);
  });
}

/** Whether scalar() takes the string `s` as it is: within MAX_TEXT, and no lone surrogate. */
const carried = (s) => s.length <= MAX_TEXT && wellFormed(s);

/**
 * A placeholder, query or header value as text: strings, safe integers, bigints and booleans;
 * `undefined` for undefined/null; a `WxpayError` naming `what` for anything else.
 *
 * A number must be a safe integer: JS formats a larger one as another number
 * (1234567890123456789 -> `1234567890123456800`) or in exponent form (`4.2e+27`), and a fraction
 * or NaN is no value the API takes (every numeric query parameter of the API description is a
 * count, an offset or a code). Ids are strings: an order number of 19 digits is not a number.
 */
function scalar(v, what, expected) {
  switch (typeof v) {
    case 'string':
      if (carried(v)) return v;
      if (v.length > MAX_TEXT) throw param(long(what, MAX_TEXT));
      throw param(lone(what));
    case 'number':
      if (Number.isSafeInteger(v)) return String(v);
      // The value is not quoted: it may be an id, and it is not what was meant anyway.
      throw param(`${what} is a number that is not a safe integer (a whole number of at most 2^53 - 1, which JS formats as written): pass ids and large numbers as strings`);
    case 'bigint':
    case 'boolean':
      return String(v);
    case 'undefined':
      return undefined;
    default:
      if (v === null) return undefined;
      throw param(`${what} must be ${expected}, got ${kind(v)}`);
  }
}

// %TypedArray%.prototype's own getters read a typed array's internal slots: no getter, subclass
// or Proxy of a caller's can change what they say about a chunk.
const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const intrinsic = (key) => Object.getOwnPropertyDescriptor(typedArray, key).get;
const typedArrayName = intrinsic(Symbol.toStringTag);
const typedArrayBuffer = intrinsic('buffer');
const typedArrayOffset = intrinsic('byteOffset');
const typedArrayLength = intrinsic('byteLength');
const typedArrayAt = typedArray.at;
const resizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;

/**
 * Throws for a typed array out of the bounds of its resizable ArrayBuffer (shrunk since the view
 * was made), whose getters read 0 where a DataView's throw: its bytes are gone, not empty. (`at`
 * checks the bounds. A SharedArrayBuffer never shrinks; a view of a detached fixed-length buffer
 * fails as it is read.)
 */
function inBounds(v) {
  if (resizable === undefined || typedArrayName.call(v) === undefined || typedArrayLength.call(v) !== 0) return;
  const buffer = typedArrayBuffer.call(v);
  if (shared(buffer) || !resizable.call(buffer)) return;
  try {
    typedArrayAt.call(v, 0);
  } catch {
    throw new TypeError('the view is out of the bounds of its resizable ArrayBuffer (shrunk or detached since the view was made)');
  }
}

/**
 * A chunk of a body stream as a plain Uint8Array of ours over the same bytes, when it is a real
 * Uint8Array (of any realm); `undefined` for anything else. Throws for a detached buffer, or one
 * shrunk under the view (inBounds). A SharedArrayBuffer's bytes (a caller's fetch may give them)
 * are copied: every byte the package hands out is over an ArrayBuffer (`WxpayBytes`), and bytes
 * another thread can change are not what a digest checked.
 */
function chunkView(v) {
  if (typedArrayName.call(v) !== 'Uint8Array') return undefined;
  inBounds(v);
  const buffer = typedArrayBuffer.call(v);
  const view = new Uint8Array(buffer, typedArrayOffset.call(v), typedArrayLength.call(v));
  return shared(buffer) ? view.slice() : view;
}

/** Whether a typed array's `buffer` is a SharedArrayBuffer, which ArrayBuffer's own getter refuses (any realm's). */
function shared(buffer) {
  try {
    arrayBufferLength.call(buffer);
    return false;
  } catch {
    return true;
  }
}

/** The tags of the buffers copyBytes also takes from another realm (a vm context, an iframe). */
const BUFFER_TAGS = new Set(['[object ArrayBuffer]', '[object SharedArrayBuffer]']);

/** A fresh copy of the bytes of an ArrayBuffer or any view of one; `undefined` for anything else. */
function copyBytes(v) {
  if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
  // Copied by a Uint8Array's slice: into an ArrayBuffer, a SharedArrayBuffer's bytes too.
  if (ArrayBuffer.isView(v)) {
    inBounds(v);
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  }
  if (BUFFER_TAGS.has(Object.prototype.toString.call(v))) return new Uint8Array(new Uint8Array(v));
  return undefined;
}

/** Whether copyBytes takes `v`, asked without copying it. */
export function isBytes(v) {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v) || BUFFER_TAGS.has(Object.prototype.toString.call(v));
}

const encoder = new TextEncoder();

/** Whether `s` has no lone surrogate (String.prototype.isWellFormed, where the runtime has it). */
export const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !/\p{Surrogate}/u.test(s);

/** Why a string with a lone surrogate is refused (UTF-8 would carry U+FFFD instead: another text). */
const lone = (what) => `${what} has a lone UTF-16 surrogate, which UTF-8 cannot carry (it would become U+FFFD, another text)`;

// Node's `Buffer` as this module found it (Node, Bun; Deno for npm packages), for signatureBase64.
const NodeBuffer = typeof Buffer === 'function' && typeof Buffer.isBuffer === 'function' ? Buffer : undefined;

/**
 * The base64 of a signature the runtime made: node:crypto's `Buffer` encodes natively, other bytes
 * (WebCrypto's) go through `btoa`.
 */
export function signatureBase64(bytes) {
  return NodeBuffer !== undefined && NodeBuffer.isBuffer(bytes) ? bytes.toString('base64') : btoa(String.fromCharCode.apply(null, bytes));
}

/** node:crypto's `sign(algorithm, data, key)`, as base64 (for Rust: one call where two would be). */
export function nodeSignBase64(crypto, algorithm, data, key) {
  return signatureBase64(crypto.sign(algorithm, data, key));
}

/**
 * Bytes from a string (UTF-8) or binary input: a fresh Uint8Array. A detached buffer, a throwing
 * view or a Proxy becomes `wrap(...)`.
 */
export function bytes(v, what, wrap = param, max = MAX_BYTES) {
  return guarded(`reading ${what}`, wrap, () => {
    if (typeof v === 'string' && !wellFormed(v)) throw wrap(lone(what));
    const copy = typeof v === 'string' ? encoder.encode(v) : typeof v === 'object' && v !== null ? copyBytes(v) : undefined;
    if (copy === undefined) throw wrap(`${what} must be a string or bytes (Uint8Array, ArrayBuffer), got ${kind(v)}`);
    if (copy.byteLength > max) {
      copy.fill(0); // it may be a key: ours, wiped before the error goes
      throw wrap(long(what, max, 'bytes'));
    }
    return copy;
  });
}

/** `[key, value]` pairs of a plain object, or of anything iterable over pairs (`Headers`, `Map`, `URLSearchParams`). */
function pairs(v, what) {
  if (typeof v[Symbol.iterator] === 'function') {
    const out = [];
    for (const pair of v) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string') throw param(`${what} must iterate over [name, value] pairs`);
      if (out.length === MAX_PAIRS) throw param(`${what} gives more than ${MAX_PAIRS} pairs`);
      out.push([pair[0], pair[1]]);
    }
    return out;
  }
  return Object.entries(v);
}

/**
 * The User-Agent: `base` plus the runtime where it lets us say it: its own name where
 * `navigator.userAgent` gives one, or workerd's where it has no `navigator` (`Cloudflare-Workers`,
 * also under nodejs_compat, which sets
 * `process.versions.node` too; `Bun/<version>`, `Deno/<version>`), else `node/<version> <os>/<arch>`
 * where `process.versions.node` is set (Node, whose `navigator.userAgent` is `Node.js/<major>`);
 * undefined in a browser, which does not let a page set it.
 */
export function userAgent(base) {
  const text = (v) => (typeof v === 'string' ? v : '');
  try {
    const ua = globalThis.navigator?.userAgent;
    if (typeof ua === 'string' && ua !== '' && !ua.startsWith('Mozilla/') && !ua.startsWith('Node.js/')) return `${base} ${ua}`;
    // workerd with navigator turned off: the client learns from this name too that a request's
    // I/O ends with the request (Client::io_ends_with_request).
    if (inWorkerd()) return `${base} Cloudflare-Workers`;
    const p = globalThis.process;
    if (typeof p === 'object' && p !== null) {
      const node = p.versions?.node;
      if (typeof node === 'string') return `${base} node/${node} ${text(p.platform)}/${text(p.arch)}`;
    }
  } catch { /* a throwing getter: no runtime named */ }
  return undefined;
}

const REQUEST_OPTIONS = new Set(['params', 'headers', 'signal', 'timeout', 'maxBodyBytes', 'retry']);

/**
 * Request headers that frame the message or the connection, by lower-case name (and every
 * `Proxy-*`): fetch makes them from the body and the URL, or refuses them (as a network error,
 * after the request was signed), and a `Content-Length` that is not the body's hangs the call.
 * The package makes the body, so a caller's value can only be wrong: refused, like Authorization.
 */
const FRAMING_HEADERS = new Map([
  ['content-length', 'Content-Length'], ['transfer-encoding', 'Transfer-Encoding'], ['host', 'Host'],
  ['connection', 'Connection'], ['expect', 'Expect'], ['keep-alive', 'Keep-Alive'], ['upgrade', 'Upgrade'],
  ['te', 'TE'], ['trailer', 'Trailer'],
]);

/** An HTTP field name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A header's name as messages show it: quoted when short and plain (`Idempotency-Key`), else only
 * its length, as `named` does for config keys: a value pasted where a name goes may be a secret.
 */
const SHORT_NAME = /^[A-Za-z0-9_-]{1,24}$/;
const headerName = (k) => (SHORT_NAME.test(k) ? JSON.stringify(k) : `(${k.length} characters, not shown)`);

/** `params.name` for a short name; any other key only by its length, as `headerName` does. */
const paramName = (k) => (SHORT_NAME.test(k) ? `params.${k}` : `params[(${k.length} characters, not shown)]`);

/**
 * Why fetch could not send the header `k: text` as given (the caller's, checked before any signing
 * work; `lower` is `k` in lower case), or undefined. A value may hold HTAB, visible characters and
 * obs-text (Latin-1); other controls are refused by fetch (as a network error, after signing and
 * retrying) or by the server.
 */
function badHeader(k, lower, text, what) {
  if (!TOKEN.test(k)) return `headers: ${headerName(k)} is not a valid header name`;
  // fetch reads a headers object as a record, which cannot hold this name: it would be dropped.
  if (lower === '__proto__') return 'headers: __proto__ is not a header fetch can send';
  if (lower === 'authorization') return 'headers must not set Authorization: every request is signed for you';
  // Named by its usual spelling (one of ours), never as the caller wrote it.
  const framed = FRAMING_HEADERS.get(lower) ?? (lower.startsWith('proxy-') ? 'Proxy-*' : undefined);
  if (framed !== undefined) return `headers must not set ${framed}: the package makes the request's body and fetch frames it`;
  if (/[\0-\x08\x0a-\x1f\x7f]/.test(text)) return `${what} must not contain control characters (CR, LF, NUL, DEL...)`;
  if (/[^\0-\xff]/.test(text)) return `${what} has characters outside Latin-1, which HTTP headers cannot carry: percent-encode it`;
  return undefined;
}

/**
 * The request config of one call, read once: the text of each of `names` (or undefined), then
 * `[params, headers, signal, timeout, maxBodyBytes, retry]` where `params`/`headers` are flat
 * `[name, text, ...]` arrays, or undefined when none of these is set (the usual call: fewer reads
 * for Rust). A key that is neither an option nor one of `names` is refused: a misspelt `parmas`
 * or an axios `baseURL` must not be dropped in silence.
 */
export function requestConfig(cfg, names) {
  if (cfg === undefined || cfg === null) return names.map(() => undefined);
  if (typeof cfg !== 'object') throw param(`the request config must be an object, got ${kind(cfg)}`);
  // Inline, with no closure, label strings or spread array a call: this runs on every request
  // (what that cost: CONTRIBUTING, "Profiling the request path").
  try {
    return readConfig(cfg, names);
  } catch (e) {
    if (e instanceof WxpayError) throw e;
    throw param(`reading the request config threw: ${describe(e)}`, e);
  }
}

/** On the error of an unknown request config key (our own object), the key: see `halfPlaceholder`. */
const UNKNOWN_KEY = Symbol('unknown request config key');

/**
 * A DELETE's body, given as its config's `data` (as axios has it: a few APIs document one):
 * `[data, the config without it]`, or undefined when the config has no own `data`, or when `data`
 * names a placeholder of the path. The config is read once here, inside the boundary.
 */
export function deleteBody(cfg, names) {
  if (typeof cfg !== 'object' || cfg === null || names.includes('data')) return undefined;
  return guarded('reading the request config', param, () => {
    if (!Object.prototype.hasOwnProperty.call(cfg, 'data')) return undefined;
    const { data, ...rest } = cfg;
    return [data, rest];
  });
}

/**
 * `e` again, or, when it refuses an unknown config key `k` and the path `template` has a segment
 * that is `k` half written as a placeholder (`_k`, `k_`, `$k`, `k$`: the chain sent it as a
 * literal segment), a like error that says so. On the error path only (`sendVerb`).
 */
export function halfPlaceholder(e, template) {
  // Kept by readConfig only for a key `named` shows (a longer one is not shown here either).
  const key = e instanceof WxpayError ? e[UNKNOWN_KEY] : undefined;
  if (key === undefined) return e;
  const half = template.split('/').find((s) => s === `_${key}` || s === `${key}_` || s === `$${key}` || s === `${key}$`);
  if (half === undefined) return e;
  const as = half.startsWith('$') || half.endsWith('$') ? `$${key}$` : `_${key}_`;
  return param(`${e.message}; this path has the literal segment \`${half}\`: a placeholder is written \`${as}\``);
}

/**
 * A placeholder's name as a message shows it: the API's are letters, digits and `_` (at most 25 of
 * them); any other is the caller's text (a bracket path may carry an id from a form), shown by its
 * length, so it cannot forge a log line.
 */
const placeholderName = (name) => (/^[A-Za-z0-9_]{1,64}$/.test(name) ? name : `(${name.length} characters, not shown)`);

function readConfig(cfg, names) {
  for (const key of Object.keys(cfg)) {
    if (!REQUEST_OPTIONS.has(key) && !names.includes(key)) {
      const expected = names.length ? `, or a placeholder of this path (${names.map(placeholderName).join(', ')})` : '';
      const body = key === 'data' ? ' (a body is the first argument of post, put and patch, and the config\'s data of delete only)' : '';
      const e = param(`unknown request config key ${named(key)}: expected params, headers, signal, timeout, maxBodyBytes or retry${expected}${body}`);
      // Not enumerable (console.log prints an enumerable symbol's value), and only a key
      // `halfPlaceholder` can use: a long one (an APIv3 key pasted as a name) is not kept at all.
      if (/^[A-Za-z][A-Za-z0-9_]{0,23}$/.test(key)) Object.defineProperty(e, UNKNOWN_KEY, { value: key });
      throw e;
    }
  }
  // Each text is bounded; so is the whole (names, values and the separators between them: a
  // pair of empty texts is still two characters of the URL), which Rust copies and encodes into
  // the URL and headers. Checked as it grows, so an endless source stops at the bound.
  let total = 0;
  const tooLong = () => param(`the request's params, headers and placeholders are longer than ${MAX_TEXT} characters in all`);
  const params = [];
  const p = cfg.params;
  if (typeof p === 'object' && p !== null) {
    for (const [k, v] of guarded('reading params', param, () => pairs(p, 'params'))) {
      if (!wellFormed(k)) throw param(lone('a params key'));
      for (const item of Array.isArray(v) ? v : [v]) {
        const text = scalar(item, paramName(k), 'a string, number or boolean');
        if (text !== undefined) {
          params.push(k, text);
          total += k.length + text.length + 2;
          if (total > MAX_TEXT) throw tooLong();
        }
      }
    }
  } else if (p !== undefined && p !== null) {
    throw param(`params must be an object, got ${kind(p)}`);
  }
  const headers = [];
  const h = cfg.headers;
  if (typeof h === 'object' && h !== null) {
    // One header a name, in any case: a later one replaces an earlier (and goes last), so Rust
    // merges them with its own in one pass.
    const byName = new Map();
    let read = 0;
    for (const [k, v] of guarded('reading headers', param, () => pairs(h, 'headers'))) {
      const what = `headers[${headerName(k)}]`;
      // An array is one header with its values joined by ", ", as Headers and node:http do.
      const text = Array.isArray(v)
        ? v.map((item) => scalar(item, what, 'a string')).filter((t) => t !== undefined).join(', ')
        : scalar(v, what, 'a string');
      if (text !== undefined) {
        // Bounded as read, repeated names too (a later one replaces an earlier).
        read += k.length + text.length + 4;
        if (read > MAX_TEXT) throw tooLong();
        const lower = k.toLowerCase();
        const bad = badHeader(k, lower, text, what);
        if (bad !== undefined) throw param(bad);
        // The body's type is the package's, as its framing is: `application/json`, or an upload's
        // `multipart/form-data` with the boundary its parts are framed by, which a caller's (form-data's
        // `getHeaders()`, a bare `multipart/form-data`) would hide from the service. Dropped, not
        // refused: code from other SDKs passes `'Content-Type': 'application/json'` everywhere.
        if (lower === 'content-type') continue;
        byName.delete(lower);
        byName.set(lower, [k, text]);
      }
    }
    for (const [k, text] of byName.values()) {
      headers.push(k, text);
      total += k.length + text.length + 4;
      if (total > MAX_TEXT) throw tooLong();
    }
  } else if (h !== undefined && h !== null) {
    throw param(`headers must be an object, got ${kind(h)}`);
  }
  let signal = cfg.signal;
  if (signal === null) signal = undefined;
  if (signal !== undefined && !(typeof signal === 'object' && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
    throw param('signal must be an AbortSignal');
  }
  const timeout = number(cfg.timeout, 'config.timeout', param);
  const maxBodyBytes = number(cfg.maxBodyBytes, 'config.maxBodyBytes', param);
  const out = [];
  for (let i = 0; i < names.length; i++) {
    const v = cfg[names[i]];
    // A string is the usual value: scalar()'s own check, without making its label for it.
    const text = typeof v === 'string' && carried(v) ? v : scalar(v, `path placeholder {${placeholderName(names[i])}}`, 'a string or a number');
    out.push(text);
    if (text !== undefined) total += text.length;
  }
  if (total > MAX_TEXT) throw tooLong();
  let retry = cfg.retry;
  if (retry !== undefined && retry !== null && typeof retry !== 'boolean' && typeof retry !== 'number') {
    throw param(`config.retry must be a boolean or a number of retries, got ${kind(retry)}`);
  }
  retry ??= undefined;
  if (params.length || headers.length || signal !== undefined || timeout !== undefined || maxBodyBytes !== undefined || retry !== undefined) {
    out.push([params, headers, signal, timeout, maxBodyBytes, retry]);
  }
  return out;
}

function number(v, what, wrap) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw wrap(`${what} must be a number, got ${kind(v)}`);
  return v;
}

const NOT_JSON = new Set(['[object Blob]', '[object File]', '[object Map]', '[object Set]',
  '[object WeakMap]', '[object WeakSet]', '[object WeakRef]', '[object ReadableStream]', '[object URLSearchParams]', '[object Promise]',
  '[object Response]', '[object Request]', '[object Error]', '[object RegExp]']);

/**
 * The exact bytes to send for `data`: strings as UTF-8, bytes as given, plain objects and arrays
 * (or anything with `toJSON`) as their `JSON.stringify`; `undefined` for no body. A `FormData` is
 * an upload. A `Blob`, `Map`... (NOT_JSON), or any other built-in or host object whose JSON is
 * `{}` (a `Headers`, an iterator, an `AbortSignal`), is refused: its JSON is not what it holds.
 * Objects tagged `Object` (plain ones from any realm, class instances) go as their JSON. The same
 * holds at any depth (jsonOf), where bytes, NaN, the infinities and BigInts are refused too.
 */
export function body(data) {
  if (data === undefined || data === null) return undefined;
  if (guarded('reading the request body', param, () => Object.prototype.toString.call(data) === '[object FormData]')) {
    return upload(data);
  }
  const bytes = guarded('reading the request body', param, () => bodyBytes(data));
  if (bytes.byteLength > MAX_BYTES) throw param(long('the request body', MAX_BYTES));
  return bytes;
}

/** ERR_INVALID_PARAM for a body object (of tag `tag`) whose JSON would not carry what it holds. */
function noJson(tag) {
  return param(`the request body (${tag.slice(8, -1)}) has no JSON form: send a plain object, a string or bytes`);
}

function bodyBytes(data) {
  if (typeof data === 'string') {
    // UTF-8 cannot carry a lone surrogate: it would be sent (and signed) as U+FFFD, another text.
    if (!wellFormed(data)) throw param('the request body has a lone UTF-16 surrogate, which UTF-8 cannot carry: send it as JSON (an object) or fix the text');
    return encoder.encode(data);
  }
  let tag;
  if (typeof data === 'object') {
    const copy = copyBytes(data);
    if (copy !== undefined) return copy;
    tag = Object.prototype.toString.call(data);
  }
  let json;
  try {
    json = jsonOf(data);
  } catch (e) {
    if (e instanceof WxpayError) throw e;
    throw param(`the request body cannot be serialised as JSON: ${describe(e)}`, e);
  }
  if (typeof json !== 'string') throw param(`the request body of type ${kind(data)} cannot be serialised as JSON`);
  // A built-in or host object (its tag not Object's) whose JSON is {}: what it holds is not in it.
  if (json === '{}' && tag !== '[object Object]' && typeof data.toJSON !== 'function') throw noJson(tag);
  return encoder.encode(json);
}

/**
 * `JSON.stringify(data)`, refusing what JSON would change without a word, wherever it sits in
 * `data`: a `Map`, `Set`... (NOT_JSON) or any other object of a built-in or host tag with no
 * fields of its own (a `Headers`, an iterator: `{}`), bytes (a typed array's index object, a
 * `Buffer`'s `{type,data}`), a number that is not finite, boxed or not, and an invalid `Date`
 * (both `null`), and a BigInt (a TypeError that names no place). The replacer sees each value as
 * JSON will write it (after `toJSON`), so what a `toJSON` answers is checked too; where that is an
 * object or null, the value as it was (an own data property: no getter is run again) is looked at
 * for bytes and dates. The error names where the value sits (`amount.total`, `detail[2]`), never
 * the value. (Functions and `undefined` go as JSON has them: left out, or `null` in an array.)
 */
function jsonOf(data) {
  const parents = new Map(); // each object seen -> [its holder, its key], to name a place
  let root;
  return JSON.stringify(data, function check(key, value) {
    root ??= this;
    const type = typeof value;
    if (type === 'number') {
      if (!Number.isFinite(value)) throw refused(parents, root, this, key, `${value}, which JSON sends as null`);
      return value;
    }
    if (type === 'bigint') throw refused(parents, root, this, key, 'a BigInt, which JSON cannot carry: send a number or a string');
    if (type !== 'object') return value;
    const raw = Object.getOwnPropertyDescriptor(this, key)?.value;
    if (raw !== value && typeof raw === 'object' && raw !== null) {
      if (ArrayBuffer.isView(raw)) throw refused(parents, root, this, key, BYTES);
      if (value === null && Object.prototype.toString.call(raw) === '[object Date]' && Number.isNaN(Date.prototype.getTime.call(raw))) {
        throw refused(parents, root, this, key, 'an invalid Date, which JSON sends as null');
      }
    }
    if (value === null || Array.isArray(value)) return remember(parents, value, this, key);
    const tag = Object.prototype.toString.call(value);
    if (tag === '[object Object]') return remember(parents, value, this, key);
    if (tag === '[object Number]' && !Number.isFinite(Number.prototype.valueOf.call(value))) {
      throw refused(parents, root, this, key, 'a boxed non-finite number, which JSON sends as null');
    }
    if (WRAPPERS.has(tag)) return value;
    if (ArrayBuffer.isView(value) || tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') throw refused(parents, root, this, key, BYTES);
    if (NOT_JSON.has(tag) || Object.keys(value).length === 0) {
      const name = tag.slice(8, -1);
      const what = name.length > 32 ? `an object tagged ${name.length} characters long` : `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
      throw refused(parents, root, this, key, `${what}, which has no JSON form (it would go as {})`);
    }
    return remember(parents, value, this, key);
  });
}

const BYTES = 'bytes, which JSON cannot carry: encode them (base64, as the API asks; a file to upload goes in a FormData, see uploadForm)';

/** JSON writes these boxed primitives as the primitive. */
const WRAPPERS = new Set(['[object Number]', '[object String]', '[object Boolean]']);

/** `value`, noted as `holder[key]` if it is an object (JSON goes into it next). */
function remember(parents, value, holder, key) {
  if (value !== null) parents.set(value, [holder, key]);
  return value;
}

/** How a key shows in a place: a field name as is, an index in brackets, anything else by its length. */
const keyShown = (holder, key) => (Array.isArray(holder) ? `[${key}]`
  : /^[a-z_][a-z0-9_]{0,39}$/.test(key) || /^[A-Za-z_$][A-Za-z0-9_$]{0,23}$/.test(key) ? `.${key}` : `[(${key.length} characters)]`);

/**
 * ERR_INVALID_PARAM for `what` at `holder[key]` in the body, its place named by keys (never by a
 * value; a key that is not a short field name by its length), the innermost 16 of a deeper one.
 */
function refused(parents, root, holder, key, what) {
  const keys = [];
  for (let h = holder, k = key; h !== root && keys.length <= 16; ) {
    keys.push(keyShown(h, k));
    const up = parents.get(h);
    if (up === undefined) break;
    [h, k] = up;
  }
  const deep = keys.length > 16;
  if (deep) keys.length = 16;
  const path = keys.reverse().join('').replace(/^\./, '');
  const at = !path ? '' : deep ? ` at ${path} (the last 16 keys of its place)` : ` at ${path}`;
  return param(`the request body holds ${what}${at}`);
}

/**
 * The options of `new Wxpay`, read once: `[mchid, serial, privateKey, certs, wechatpaySerial,
 * apiv3Key, baseURL, timeout, fetch, crypto, maxBodyBytes]`; `certs` as `[serial, bytes, ...]`.
 * Types are checked here; values (formats, ranges, keys) by Rust.
 */
const CLIENT_OPTIONS = ['mchid', 'serial', 'privateKey', 'certs', 'wechatpaySerial', 'apiv3Key', 'baseURL', 'timeout', 'fetch',
  'crypto', 'maxBodyBytes', 'retry', 'backupBaseURL', 'onRequest', 'onResponse', 'certsRefreshInterval'];

/**
 * A serial without the sign byte of its DER encoding: a serial whose first byte is 0x80 or more
 * is encoded after a 00 byte, which `openssl x509 -text` prints (`00:8c:79:...`) and libraries
 * that dump the DER bytes keep (wechatpay-node-v3's `getSN`: 42 digits). That 00 is no digit of
 * the serial (`openssl x509 -serial` and the merchant platform show `8C79...`), and with it a
 * 20-byte serial reads as more than 40 digits. Rust checks the rest (`serial=`, colons, hex).
 */
const derSerial = (s) => s.replace(/^(\s*(?:serial=)?)00:?(?=[89a-fA-F])/, '$1');

export function clientOptions(o) {
  if (typeof o !== 'object' || o === null) {
    throw config(`new Wxpay(options): options must be an object with mchid, serial, privateKey and certs, got ${kind(o)}`);
  }
  guarded('reading options', config, () => {
    for (const key of Object.keys(o)) {
      if (!CLIENT_OPTIONS.includes(key)) throw config(`unknown option ${named(key)}: expected ${CLIENT_OPTIONS.join(', ')}`);
    }
  });
  const get = (name) => guarded(`reading options.${name}`, config, () => o[name]);
  return guarded('reading options', config, () => {
    const string = (name, required) => {
      const v = get(name);
      if (typeof v === 'string') {
        if (v.length > MAX_TEXT) throw config(long(`options.${name}`, MAX_TEXT));
        return v;
      }
      if (v === undefined && !required) return undefined;
      throw config(v === undefined ? `options.${name} is required` : `options.${name} must be a string, got ${kind(v)}`);
    };
    const mchid = string('mchid', true);
    const serial = derSerial(string('serial', true));
    const privateKey = get('privateKey');
    if (privateKey === undefined) throw config('options.privateKey is required');
    const key = keyBytes(privateKey, 'options.privateKey');
    // Our copy of the key: Rust wipes it once copied; refused here, it is wiped before the error goes.
    try {
      const mistaken = privateKeyMistake(key);
      if (mistaken !== undefined) throw fail('ERR_INVALID_KEY', `options.privateKey ${mistaken}`);
      // Checked before certs, which it may stand in for: a key of the wrong type (a Buffer from
      // readFileSync) is named as such, not taken for a missing certs.
      const apiv3Key = get('apiv3Key');
      if (apiv3Key !== undefined && typeof apiv3Key !== 'string') {
        throw config(`options.apiv3Key must be a string (the 32-character APIv3 key; read a file of it as text, 'utf8'), got ${kind(apiv3Key)}`);
      }
      if (apiv3Key !== undefined && apiv3Key.length > MAX_TEXT) throw config(long('options.apiv3Key', MAX_TEXT));
      // Without certs, an APIv3 key lets the client download the platform certificates.
      const given = get('certs');
      const certs = given ?? (apiv3Key !== undefined && given === undefined ? {} : undefined);
      if (typeof certs !== 'object' || certs === null || Array.isArray(certs)) {
        throw config(certs === undefined
          ? 'options.certs is required (or options.apiv3Key, to download the platform certificates): an object mapping each platform serial or PUB_KEY_ID_... to its PEM'
          : `options.certs must be an object mapping each serial to its PEM, got ${kind(certs)}`);
      }
      const entries = [];
      const list = guarded('reading options.certs', config, () => upTo(certs instanceof Map ? certs : Object.entries(certs), MAX_CERTS,
        () => config(`options.certs has more than ${MAX_CERTS} entries`)));
      for (const [s, pem] of list) {
        if (typeof s !== 'string') throw config('options.certs keys must be serials (strings)');
        // The value is named by its position, not its key: a key may be a PEM in the wrong place.
        const entry = `options.certs entry ${entries.length / 2 + 1}`;
        const bytes = keyBytes(pem, entry, 'spki');
        if (looksLikePath(bytes)) throw fail('ERR_INVALID_KEY', `${entry} ${PATH_MISTAKE}`);
        entries.push(s, bytes);
      }
      const fn = (name) => {
        const f = get(name);
        if (f !== undefined && typeof f !== 'function') throw config(`options.${name} must be a function, got ${kind(f)}`);
        return f;
      };
      const fetch = fn('fetch');
      const retry = get('retry');
      if (retry !== undefined && retry !== false && typeof retry !== 'number') throw config(`options.retry must be a number of retries or false, got ${kind(retry)}`);
      const backup = get('backupBaseURL');
      if (backup !== undefined && backup !== false && typeof backup !== 'string') throw config(`options.backupBaseURL must be a URL string or false, got ${kind(backup)}`);
      return [
        mchid, serial, key, entries, string('wechatpaySerial'), apiv3Key, string('baseURL'),
        option(get('timeout'), 'options.timeout'), fetch, string('crypto'), option(get('maxBodyBytes'), 'options.maxBodyBytes'),
        retry, backup, fn('onRequest'), fn('onResponse'), option(get('certsRefreshInterval'), 'options.certsRefreshInterval'),
      ];
    } catch (e) {
      key.fill(0);
      throw e;
    }
  });
}

/** A numeric option: only `undefined` is absent (a `null` is a mistake worth naming). */
function option(v, what) {
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw config(`${what} must be a number, got ${kind(v)}`);
  return v;
}

/**
 * What `options.privateKey`'s bytes are when they are plainly not a key, told from their shape
 * only (nothing of them is quoted): empty, or a PKCS#12 bundle (DER `SEQUENCE { INTEGER 3, ...}`:
 * `apiclient_cert.p12`, which holds the key). Undefined for anything else, which Rust parses.
 */
function privateKeyMistake(key) {
  if (key.every((b) => b === 0x20 || (b >= 0x09 && b <= 0x0d))) {
    return 'is empty: give the PEM of apiclient_key.pem (was the file or the environment variable read empty?)';
  }
  if (looksLikePath(key)) return PATH_MISTAKE;
  if (key[0] === 0x30 && key[1] >= 0x81 && key[1] <= 0x83 && key[key[1] - 0x7e] === 0x02 && key[key[1] - 0x7d] === 0x01 && key[key[1] - 0x7c] === 0x03) {
    return 'is a PKCS#12 bundle (apiclient_cert.p12), not the key: extract the key with `openssl pkcs12 -in apiclient_cert.p12 -nocerts -nodes` (the password is the merchant id; OpenSSL 3 may need -legacy), or give apiclient_key.pem';
  }
  return undefined;
}

const PATH_MISTAKE = "reads like a file's path, not the key: give the file's text (readFileSync(path, 'utf8'))";

/**
 * Whether key bytes are a file's name rather than its content: one short line ending in .pem, .key,
 * .crt, .cer or .txt (a PEM has several lines; base64 or DER never ends so). Not quoted in the
 * message: what was given as a key is never shown.
 */
function looksLikePath(key) {
  return key.length <= 1024 && /^[^\n]{1,1000}\.(pem|key|crt|cer|txt)\s*$/i.test(String.fromCharCode(...key));
}

function keyBytes(v, what, type = 'pkcs8') {
  if (v === undefined || v === null) throw config(`${what} is required: a PEM string or bytes`);
  // A key object of node:crypto (what wechatpay-axios-plugin's Rsa.from made) or of WebCrypto is
  // named with the call that gives its bytes; nothing of it is read but a CryptoKey's `extractable`.
  const tag = typeof v === 'object' ? guarded(`reading ${what}`, config, () => Object.prototype.toString.call(v)) : '';
  if (tag === '[object KeyObject]') throw config(`${what} is a KeyObject: give its PEM, key.export({ type: '${type}', format: 'pem' })`);
  if (tag === '[object CryptoKey]') {
    // One made with extractable false gives no bytes: the client signs (or verifies) with its own copy.
    if (guarded(`reading ${what}`, config, () => v.extractable) === false) {
      throw config(`${what} is a CryptoKey that is not extractable: the client needs the key's own ${type === 'spki' ? 'PEM' : "PEM (apiclient_key.pem), as it signs every request itself; a key that never leaves a KMS or HSM cannot be used"}`);
    }
    throw config(`${what} is a CryptoKey: give its bytes, await crypto.subtle.exportKey('${type}', key)`);
  }
  return bytes(v, what, (message, cause) =>
    fail('ERR_INVALID_CONFIG', message.replace('must be a string or bytes', 'must be a PEM string or bytes'), cause));
}

/** The fields of an AEAD resource (`decryptResource`): `[algorithm, ciphertext, nonce, associated_data]`. */
export function resource(v) {
  if (typeof v !== 'object' || v === null) throw param(`decryptResource(resource): resource must be an object, got ${kind(v)}`);
  return guarded('decryptResource(resource): reading resource', param, () => {
    const field = (name, required) => {
      const f = v[name];
      if (typeof f === 'string') return text(f, `decryptResource(resource): resource.${name}`);
      if ((f === undefined || f === null) && !required) return undefined;
      throw param(`decryptResource(resource): resource.${name} must be a string, got ${kind(f)}`);
    };
    return [field('algorithm', false), field('ciphertext', true), field('nonce', true), field('associated_data', false)];
  });
}

/**
 * The input of `jsapiParams` / `appParams`: `[appId, prepay_id, partnerid]` (`appKey` is `appId`
 * or `appid`; `partnerid`, APP only, defaults to the client's mchid).
 */
export function paymentInput(v, method, appKey) {
  const keys = appKey === 'appid' ? [appKey, 'prepay_id', 'partnerid'] : [appKey, 'prepay_id'];
  if (typeof v !== 'object' || v === null) throw param(`${method}(input): input must be an object with ${appKey} and prepay_id, got ${kind(v)}`);
  return guarded(`${method}(input): reading input`, param, () => {
    const field = (name, required = true) => {
      const f = v[name];
      if (f === undefined && !required) return undefined;
      return text(f, `${method}(input): input.${name}`);
    };
    for (const key of Object.keys(v)) {
      if (!keys.includes(key)) throw param(`${method}(input): unknown key ${named(key)}: expected ${keys.join(', ')}`);
    }
    return [field(appKey), field('prepay_id'), field('partnerid', false)];
  });
}

/** A value that must be a string (`encrypt`'s text and the like); never throws anything but a WxpayError. */
export function text(v, what, expected = 'a string') {
  if (typeof v !== 'string') throw param(`${what} must be ${expected}, got ${kind(v)}`);
  if (v.length > MAX_TEXT) throw param(long(what, MAX_TEXT));
  if (!wellFormed(v)) throw param(lone(what));
  return v;
}

/** The text of `notifications.failure(message)`: a string, an Error's message, or `failed`. */
export function failureMessage(v) {
  if (v === undefined) return 'failed';
  // The answer to the service, never signed: a lone surrogate is let through as U+FFFD, so that a
  // handler's failure path does not throw over an odd character of an error's message.
  const message = (m) => text(m.length <= MAX_TEXT && !wellFormed(m) ? m.replace(/\p{Surrogate}/gu, '\uFFFD') : m, 'failure(message, status): message');
  if (typeof v === 'string') return message(v);
  return guarded('failure(message, status): reading message', param, () => {
    // An Error of another realm (a vm context, Jest's) is an Error too.
    if (isError(v)) return message(String(v.message));
    throw param(`failure(message, status): message must be a string or an Error, got ${kind(v)}`);
  });
}

const isMap = (v) => Object.prototype.toString.call(v) === '[object Map]';

/**
 * The values of `iterable` (a caller's Map, say) as an array of at most `max`: one more throws
 * `tooMany()`, so an iterator that never ends stops there (the loop's exit closes it).
 */
export function upTo(iterable, max, tooMany) {
  const out = [];
  for (const v of iterable) {
    if (out.length === max) throw tooMany();
    out.push(v);
  }
  return out;
}

/**
 * A notification's headers as `[name, value]` pairs: a plain object (Node's `req.headers`), a
 * `Map`, or an array, of pairs or flat `[name, value, name, value...]` (Node's `req.rawHeaders`).
 */
function headerPairs(headers, what) {
  const tooMany = () => param(`${what}: input.headers has more than ${MAX_PAIRS} headers`);
  if (isMap(headers)) return upTo(headers, MAX_PAIRS, tooMany);
  if (!Array.isArray(headers)) {
    // Another iterable (a generator, a Set) is none of the forms: refused, not read as an object
    // without entries (which the four headers would then be missing from).
    if (typeof headers[Symbol.iterator] === 'function') throw param(`${what}: ${HEADERS_EXPECTED}`);
    return Object.entries(headers);
  }
  // Before `every` reads them all: as many names and values as MAX_PAIRS headers take, at most.
  if (headers.length > 2 * MAX_PAIRS) throw tooMany();
  if (headers.every((p) => Array.isArray(p) && p.length === 2)) {
    if (headers.length > MAX_PAIRS) throw tooMany();
    return headers;
  }
  if (headers.length % 2 === 0 && headers.every((v) => typeof v === 'string')) {
    const out = [];
    for (let i = 0; i < headers.length; i += 2) out.push([headers[i], headers[i + 1]]);
    return out;
  }
  throw param(`${what}: ${HEADERS_EXPECTED}`);
}

/** Every form of a notification's headers that headerPairs (or `get`) reads. */
const HEADERS_EXPECTED = "input.headers must be a Headers, a plain object (Node's req.headers), a Map, or an array of [name, value] pairs or of names and values (Node's req.rawHeaders)";

/** The keys of a plain-object notification input: `{ headers, body }`, or Request-like `{ headers, arrayBuffer }`. */
const NOTIFY_INPUT = ['headers', 'body', 'arrayBuffer'];

/**
 * Why the notification `input`, lacking usable `headers` or `body`, is not one: a misspelt key of
 * a plain `{ headers, body }` named (a key kept for a plain object only: a framework's request
 * object carries many others), or a node:http request given whole; undefined if neither.
 */
function notificationShape(input, headers, body, what) {
  const proto = Object.getPrototypeOf(input);
  // Hono's c.req (and the like) wraps the fetch Request as `raw`.
  if (typeof input.raw === 'object' && input.raw !== null && typeof input.raw.arrayBuffer === 'function') {
    return `${what}: input wraps a fetch Request as input.raw (Hono's c.req): pass that Request (c.req.raw), its body not read yet`;
  }
  // A Request-like object (its body read by its own arrayBuffer) is read as before.
  if (typeof input.arrayBuffer === 'function') return undefined;
  if (proto === Object.prototype || proto === null) {
    const unknown = Object.keys(input).find((k) => !NOTIFY_INPUT.includes(k));
    if (unknown !== undefined) return `${what}: unknown key ${named(unknown)}: expected { headers, body }, or a fetch Request`;
  }
  if (body === undefined && typeof headers === 'object' && headers !== null && (typeof input.pipe === 'function' || typeof input.on === 'function')) {
    return `${what}: input looks like a node:http request (req), whose body is not read yet: read the raw body and pass { headers: req.headers, body } (a Buffer: the signature covers its bytes)`;
  }
  return undefined;
}

/** Why a notification's `body` that is neither text nor bytes (nor a Request's) is refused. */
function notificationBody(body, what) {
  if (typeof body !== 'object' || body === null) {
    // A framework that kept no raw body leaves it undefined: say where each keeps one.
    const unkept = body === undefined
      ? ` (no raw body kept? NestJS: create the app with rawBody: true, then req.rawBody; Express: express.raw({ type: 'application/json' }) on the route; Koa: koa-bodyparser's ctx.request.rawBody; README, "In Node's frameworks")`
      : '';
    return `${what}: input.body must be a string or bytes (Uint8Array, Buffer, ArrayBuffer), the raw body, got ${kind(body)}${unkept}`;
  }
  if (typeof body.getReader === 'function' || typeof body.pipe === 'function' || typeof body[Symbol.asyncIterator] === 'function') {
    return `${what}: input.body is a stream: read it to bytes first and pass those (the signature covers the raw bytes)`;
  }
  if (typeof body.arrayBuffer === 'function') {
    return `${what}: input.body is a Blob: pass its bytes (await body.arrayBuffer())`;
  }
  return `${what}: input.body is an object (a parsed body: express.json(), koa-bodyparser, Fastify's JSON parser, NestJS's @Body()?): the signature covers the raw bytes as received, so pass the raw body (a Buffer or string) taken before any JSON parser runs (in NestJS, rawBody: true, then req.rawBody), never a parsed or re-serialised one (README, "In Node's frameworks", shows how in each)`;
}

/**
 * A `Request-ID` a notification's error carries: visible ASCII (no control, no space), at most 128
 * characters. Any other is not the service's, and a log line built from it could be forged.
 */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

const NOTIFY_HEADERS = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial', 'request-id'];

/**
 * `v`, a promise's rejection observed: a `get` that answers a promise (one of the client's own chain
 * nodes given as headers: its verb `get` starts a request that rejects) is no header, and leaves no
 * rejection unhandled. Inside `guarded`: a caller's promise subclass may throw. (A caller's own
 * promise of another realm, or whose `then` throws, is left as it is: the caller's.)
 */
function observed(v) {
  if (v instanceof Promise) Promise.prototype.then.call(v, undefined, () => {});
  return v;
}

/**
 * A notification's input, read once: a fetch `Request` or `{ headers, body }` (Node's
 * `req.headers` and the raw body) -> `[timestamp, nonce, signature, serial, requestId, body]`.
 */
export function notification(input) {
  return rejectsWxpay(readNotification(input), (e) => param(`notifications.parse(input): reading input threw: ${describe(e)}`, e));
}

async function readNotification(input) {
  const what = 'notifications.parse(input)';
  if (typeof input !== 'object' || input === null) {
    throw param(`${what}: input must be a fetch Request or { headers, body }, got ${kind(input)}`);
  }
  const [values, rawBody, read] = guarded(`${what}: reading input`, param, () => {
    const headers = input.headers;
    const rawBody = input.body;
    // Node's request itself (node:http's `req`, and the frameworks' that are one), its body
    // read here: `on`, `removeListener` and `resume` are a Readable's.
    const stream = (rawBody === undefined || unreadEmpty(input, rawBody)) && typeof headers === 'object' && headers !== null &&
      typeof input.arrayBuffer !== 'function' && typeof input.on === 'function' && typeof input.removeListener === 'function' && typeof input.resume === 'function';
    if (!stream && (typeof headers !== 'object' || headers === null || rawBody === undefined)) {
      const why = notificationShape(input, headers, rawBody, what);
      if (why !== undefined) throw param(why);
    }
    if (typeof headers !== 'object' || headers === null) {
      throw param(`${what}: ${HEADERS_EXPECTED}, got ${kind(headers)}`);
    }
    let values;
    // A header given more than once has no one value: never the first or the last one given.
    const twice = new Set();
    if (typeof headers.get === 'function' && !isMap(headers)) {
      values = NOTIFY_HEADERS.map((name) => observed(headers.get(name)));
    } else {
      const list = headerPairs(headers, what);
      const lower = new Map();
      for (const [k, v] of list) {
        const name = String(k).toLowerCase();
        if (lower.has(name)) twice.add(name);
        lower.set(name, v);
      }
      values = NOTIFY_HEADERS.map((name) => lower.get(name));
    }
    // Node gives an array for a repeated header; one value is still one value.
    values = values.map((v, i) => {
      if (Array.isArray(v) && v.length > 1) twice.add(NOTIFY_HEADERS[i]);
      return Array.isArray(v) ? v[0] : v;
    }).map((v) => (typeof v === 'string' ? v : undefined));
    values.forEach((v, i) => {
      if (v !== undefined && v.length > MAX_TEXT) throw param(long(`${what}: the ${NOTIFY_HEADERS[i]} header`, MAX_TEXT));
      // The whitespace around a value is not part of it (fieldValue), as a Headers has it.
      if (v !== undefined) values[i] = v = fieldValue(v);
      // A Headers (and Node) join a repeated header's values with ", ": none of these holds a comma.
      if (v?.includes(',')) twice.add(NOTIFY_HEADERS[i]);
    });
    // A Request-ID given twice is no one id; one not of REQUEST_ID's shape is not the service's
    // either: an error carries neither (an attacker's 8,000 characters went whole into every log
    // line of a refused notification, helper-177; a line break forged a line of its own, helper-180).
    if (twice.has('request-id') || (values[4] !== undefined && !REQUEST_ID.test(values[4]))) values[4] = undefined;
    const repeated = NOTIFY_HEADERS.slice(0, 4).filter((name) => twice.has(name));
    if (repeated.length > 0) {
      const names = repeated.map((name) => name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase()));
      throw new WxpayError('ERR_NOTIFY_UNSIGNED', `unsigned notification: ${names.join(', ')} given more than once`, values[4] === undefined ? undefined : { requestId: values[4] });
    }
    if (stream) return [values, undefined, NODE_REQUEST];
    if (typeof rawBody === 'string' || (typeof rawBody === 'object' && rawBody !== null && isBytes(rawBody))) return [values, rawBody, undefined];
    // A fetch Request: its body read by its own arrayBuffer (or stream).
    const read = input.arrayBuffer;
    if (typeof read !== 'function') throw param(notificationBody(rawBody, what));
    return [values, rawBody, read];
  });
  let body;
  if (values.slice(0, 4).includes(undefined)) {
    // Unsigned: refused on its headers (ERR_NOTIFY_UNSIGNED), whatever its body, in either form,
    // so a body anyone may POST is not read, nor copied into wasm memory, for nothing. A
    // Request's is left unread (not cancelled: the connection is the server's, which still
    // answers).
    body = new Uint8Array(0);
  } else if (read === undefined) {
    body = bytes(rawBody, `${what}: input.body`, param, MAX_NOTIFICATION);
  } else if (read === NODE_REQUEST) {
    body = await nodeRequestBody(input, what);
  } else {
    body = await requestBody(input, rawBody, read, what);
  }
  if (base64Json(body)) {
    throw param(`${what}: input.body is base64 text (it begins eyJ, the base64 of {"), not the notification's JSON: a serverless platform's event carries the body so when its isBase64Encoded is true; pass the bytes it encodes, Buffer.from(event.body, 'base64') (README, "In Node's frameworks")`);
  }
  values.push(body);
  return values;
}

/**
 * Whether `body` is base64 text that begins with the encoding of `{"`: what an API gateway hands
 * a function for a JSON body (`isBase64Encoded`), and never a notification, whose JSON begins `{`.
 */
function base64Json(body) {
  if (body.length < 4 || body[0] !== 0x65 || body[1] !== 0x79 || body[2] !== 0x4a) return false;
  for (const b of body) {
    const alphabet = (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2f || b === 0x3d;
    if (!alphabet && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/**
 * Whether `body` is the empty object Express 4's body parsers set on a request they did not read
 * (another content type than theirs), the request's own body still unread.
 */
function unreadEmpty(req, body) {
  if (typeof body !== 'object' || body === null || req.readableEnded !== false) return false;
  const proto = Object.getPrototypeOf(body);
  return (proto === Object.prototype || proto === null) && Reflect.ownKeys(body).length === 0;
}

/** `readNotification`'s mark for Node's request given itself, whose body nodeRequestBody reads. */
const NODE_REQUEST = Symbol('node request');

/**
 * The body of Node's request (`req` of node:http, Express, Koa...), read from its `data` events,
 * within MAX_NOTIFICATION: past it the request is refused at once and what is left of its body is
 * read and dropped (`resume`), so that the server can still answer on the connection. A request
 * whose connection closes before its body ends (the client went away) rejects; its `error` is
 * listened to for good (an `error` with no listener would end the process). One whose body a
 * parser read already, or whose chunks are text (`setEncoding`), is refused saying so. Every call
 * on the caller's object is made inside a `try`; the listeners never throw.
 */
function nodeRequestBody(req, what) {
  return new Promise((resolve, reject) => {
    // The bytes so far, in one buffer grown by doubling: no object held a chunk (a body sent a
    // byte at a time comes in as many chunks as bytes).
    let body = new Uint8Array(16384);
    let size = 0;
    let settled = false;
    const settle = (error, body) => {
      if (settled) return;
      settled = true;
      for (const [name, listener] of listeners) {
        try {
          req.removeListener(name, listener);
        } catch { /* the caller's object: its listener stays, and does nothing */ }
      }
      if (error === undefined) resolve(body);
      else reject(error);
    };
    const data = (chunk) => {
      if (settled) return;
      // A chunk is the caller's value: anything reading it runs may throw (a tag getter), and
      // nothing may throw into the request's emitter.
      let copy;
      try {
        if (typeof chunk === 'string' || !isBytes(chunk)) {
          settle(param(typeof chunk === 'string'
            ? `${what}: the request's body came as text (req.setEncoding() was called), not bytes: the signature covers the raw bytes, so leave its encoding unset`
            : `${what}: a chunk of the request's body is ${kind(chunk)}, not bytes`));
          return;
        }
        copy = copyBytes(chunk);
      } catch (e) {
        settle(e instanceof WxpayError ? e : param(`${what}: reading a chunk of the request body threw: ${describe(e)}`, e));
        return;
      }
      if (size + copy.byteLength > MAX_NOTIFICATION) {
        settle(param(long(`${what}: the request body`, MAX_NOTIFICATION, 'bytes')));
        try {
          req.resume();
        } catch { /* the caller's object */ }
        return;
      }
      if (size + copy.byteLength > body.byteLength) {
        const grown = new Uint8Array(Math.min(MAX_NOTIFICATION, Math.max(2 * body.byteLength, size + copy.byteLength)));
        grown.set(body.subarray(0, size));
        body = grown;
      }
      body.set(copy, size);
      size += copy.byteLength;
    };
    const end = () => settle(undefined, body.slice(0, size));
    const error = (e) => settle(param(`${what}: reading the request body failed (its client went away?): ${describe(e)}`, e));
    const close = () => settle(param(`${what}: the request closed before its body ended (its client went away)`));
    const listeners = [['data', data], ['end', end], ['close', close]];
    try {
      if (req.readableEnded === true) {
        settle(param(`${what}: input is Node's request, whose body has been read already (by a body parser: express.json(), express.raw(), koa-bodyparser?): pass { headers: req.headers, body } with the raw body the parser kept (README, "In Node's frameworks")`));
        return;
      }
      if (req.destroyed === true) {
        // Its client went away before parse was called (a handler that awaited something first).
        settle(param(`${what}: input is Node's request, closed before its body was read (its client went away?)`));
        return;
      }
      req.on('error', error);
      for (const [name, listener] of listeners) req.on(name, listener);
      // Flowing, whatever paused it before.
      req.resume();
    } catch (e) {
      settle(param(`${what}: reading the request body threw: ${describe(e)}`, e));
    }
  });
}

/**
 * A fetch `Request`'s body, within MAX_NOTIFICATION: its stream read chunk by chunk and given up
 * as soon as it passes the limit (a body anyone may POST is never buffered whole first), else
 * `arrayBuffer()`, checked.
 */
async function requestBody(input, stream, read, what) {
  const tooLong = () => param(long(`${what}: the request body`, MAX_NOTIFICATION, 'bytes'));
  const failed = (e) => (e instanceof WxpayError ? e : param(`${what}: reading the request body failed (was it already read?): ${describe(e)}`, e));
  try {
    if (stream !== null && typeof stream === 'object' && typeof stream.getReader === 'function') {
      return await readChunks(stream.getReader(), MAX_NOTIFICATION, tooLong);
    }
    const buffer = await read.call(input);
    const body = guarded(`${what}: input.arrayBuffer()`, param, () => copyBytes(buffer));
    if (body === undefined) throw param(`${what}: input.arrayBuffer() did not give an ArrayBuffer`);
    if (body.byteLength > MAX_NOTIFICATION) throw tooLong();
    return body;
  } catch (e) {
    throw failed(e);
  }
}

/**
 * The bytes a body stream's `reader` gives, read chunk by chunk (each read through `race`), given
 * up as soon as they pass `max` (`tooLong()` is thrown; the reader is cancelled on any failure):
 * always an array made here, never one of the stream's own chunks, and a chunk that views a
 * larger pooled buffer is copied, not kept with its buffer.
 */
async function readChunks(reader, max, tooLong, race = (p) => p) {
  const chunks = [];
  let total = 0;
  let empty = 0;
  let copied = false; // whether the last chunk kept is a copy made here
  try {
    for (;;) {
      const { done, value } = await race(reader.read());
      if (done) break;
      const view = chunkView(value);
      if (view === undefined) throw new TypeError('the body gave a chunk that is not bytes');
      if (view.byteLength === 0) {
        if (++empty > MAX_EMPTY_CHUNKS) throw tooManyEmpty();
        continue;
      }
      if (chunks.length === MAX_CHUNKS) throw new TypeError(`the body came in more than ${MAX_CHUNKS} chunks`);
      total += view.byteLength;
      if (total > max) throw tooLong();
      copied = view.byteLength !== view.buffer.byteLength;
      chunks.push(copied ? view.slice() : view);
    }
  } catch (e) {
    try { reader.cancel().catch(() => {}); } catch { /* released */ }
    throw e;
  }
  if (chunks.length !== 1) return concat(chunks, total);
  return copied ? chunks[0] : chunks[0].slice();
}

/** The longest delay `setTimeout` takes (2^31 - 1 ms): a longer one fires at once, after 1 ms. */
const MAX_DELAY = 2147483647;

/**
 * The requests waiting on each caller's signal, and the one `abort` listener that stops them all:
 * requests that share a signal (one controller for a batch) add one listener to it, not one each,
 * which past ten would set off Node's "possible EventTarget memory leak" warning. The listener is
 * taken off when its last request is done.
 */
const watched = new WeakMap();

function watch(signal, onAbort) {
  let waiting = watched.get(signal);
  if (waiting !== undefined) {
    waiting.add(onAbort);
    return;
  }
  // Kept before addEventListener runs (a caller's signal's may call back, or start another
  // request on the same signal), and taken back if it throws.
  waiting = new Set([onAbort]);
  waiting.all = () => { for (const f of [...waiting]) f(); };
  watched.set(signal, waiting);
  try {
    signal.addEventListener('abort', waiting.all);
  } catch (e) {
    if (watched.get(signal) === waiting) watched.delete(signal);
    throw e;
  }
}

function unwatch(signal, onAbort) {
  const waiting = watched.get(signal);
  if (waiting === undefined || !waiting.delete(onAbort) || waiting.size > 0) return;
  watched.delete(signal);
  signal.removeEventListener('abort', waiting.all);
}

/**
 * Every Guard not disposed yet. Rust disposes of a request's Guard when the request ends (Drop);
 * after a trap it never will, so the trap takes them (`abandonGuards`), and the microtask after it
 * ends them (`endGuards`). A Guard made while the instance is dead is the dead instance's: made
 * stopped, it arms nothing (`guard`).
 */
let liveGuards = new Set();
/** The Guards of a dead instance, until endGuards ends them. */
let dyingGuards;

/**
 * What a deadline's error adds when it ended the wait for a platform-certificate download: that
 * its answer came (a 2xx signed under a serial still unknown), or that nothing was sent. Then, in
 * workerd, where a download a call not awaited (nor handed to `ctx.waitUntil`) started ends with
 * that call's request, unsettled, that it may be such a one.
 */
function waitedDownload(g) {
  const waited = ' while it waited for the platform certificate download';
  if (g.answered !== undefined) return `${waited} that verifies its answer`;
  if (g.sent) return waited;
  return `${waited}, before anything was sent${inWorkerd() ? ' (in a Worker, one started by a call another request did not await nor hand to ctx.waitUntil ends with that request, unfinished)' : ''}`;
}

/**
 * The deadline of one request, all its attempts and back-off sleeps included: the caller's
 * `signal` and `timeoutMs` settle the call themselves, so a `fetch` that ignores its signal
 * still settles on time. Throws ERR_ABORTED at once for a signal that has already fired.
 */
class Guard {
  constructor(signal, timeoutMs) {
    /**
     * `reject` of each race not settled yet: the deadline's end rejects them. Held strongly by
     * what can end the deadline: the timer's callback, and the signal's listener (which the Guard
     * keeps too, to take it off); weakly by the Guard itself, which Rust holds for the request's
     * life. With a timeout alone, once the timer is gone unfired (in a Worker, a request's timers
     * when the request ends, which workerd drops), a race is held only by the promise it waits for,
     * and a call waiting on it is dropped as one with no deadline is (`unsettled` in wxpay.js).
     */
    const racing = new Set();
    this.racing = typeof WeakRef === 'function' ? new WeakRef(racing) : { deref: () => racing };
    this.controller = new AbortController();
    this.stopped = undefined;
    this.signal = signal;
    /** The request in flight (`{ method, url }`, set by exchange and a file's first reads), which the deadline's error names. */
    this.at = undefined;
    /** `[status, requestId]` of a 2xx answer come (exchange), which the deadline's error carries after it. */
    this.answered = undefined;
    /** Whether it is racing a platform-certificate download (race), which the deadline's error then names. */
    this.downloading = false;
    /** Whether an attempt has gone to `fetch` (exchange). */
    this.sent = false;
    if (signal !== undefined) {
      const aborted = () => this.named(fail('ERR_ABORTED', 'request aborted by its signal', safeReason(signal)), 'aborted by its signal');
      try {
        if (signal.aborted) {
          // Nothing was sent: the error says so, as one that ends the wait for a download does.
          const e = aborted();
          e.attempts = 0;
          throw e;
        }
        this.onAbort = () => this.stop(aborted(), racing);
        watch(signal, this.onAbort);
      } catch (e) {
        throw e instanceof WxpayError ? e : param(`signal threw: ${describe(e)}`, e);
      }
    }
    if (timeoutMs !== undefined) {
      this.timer = setTimeout(() => this.stop(this.named(fail('ERR_TIMEOUT', `request timed out after ${timeoutMs} ms`), `timed out after ${timeoutMs} ms`), racing), Math.min(timeoutMs, MAX_DELAY));
    }
    liveGuards.add(this);
  }

  /**
   * `error` (the deadline's), its message naming the request in flight, as ERR_NETWORK's does:
   * `GET https://.../v3/x/{id} timed out after 300 ms` (the query and, once pathNamed has run, a
   * placeholder's value left out). Nothing in flight (a back-off's wait, a wait for a certificate
   * download): as it is, with the status and Request-ID of a 2xx answer that came before; a
   * download's wait says so (waitedDownload).
   */
  named(error, what) {
    const request = this.at;
    if (request === undefined && this.downloading) error.message += waitedDownload(this);
    if (request === undefined) return this.answered === undefined ? error : answered(error, ...this.answered);
    const hidden = [queryHidden(request.url)];
    const remake = (h) => `${requestText(request, h)} ${what}`;
    error.message = remake(hidden);
    NETWORK.set(error, { request, remake });
    HIDDEN.set(error, hidden);
    return error;
  }

  stop(error, racing = this.racing.deref()) {
    if (this.stopped) return;
    this.stopped = error;
    // A race's callbacks run later: rejecting never changes the set while it is walked.
    if (racing !== undefined) {
      for (const reject of racing) reject(error);
      racing.clear();
    }
    try { this.controller.abort(error); } catch { /* an abort listener threw */ }
  }

  /**
   * `promise`, or the deadline's error if that comes first (at once if it already has). One
   * promise and one `then` a race; `promise` losing it is left to settle unheard. With nothing
   * left that can end the deadline, `promise` itself.
   */
  race(promise) {
    const p = Promise.resolve(promise);
    if (this.stopped) {
      p.catch(() => {});
      return Promise.reject(this.stopped);
    }
    const racing = this.racing.deref();
    if (racing === undefined) return p;
    // A platform-certificate download (certs.rs races it against its limit, then the request's
    // deadline races that): the deadline's error says it was waited for.
    const download = downloads.has(p);
    if (download) this.downloading = true;
    const raced = new Promise((resolve, reject) => {
      racing.add(reject);
      p.then(
        (value) => { racing.delete(reject); this.downloading = false; resolve(value); },
        (error) => { racing.delete(reject); this.downloading = false; reject(error); },
      );
    });
    if (download) downloads.add(raced);
    return raced;
  }

  dispose() {
    liveGuards.delete(this);
    dyingGuards?.delete(this);
    this.racing.deref()?.clear();
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onAbort !== undefined) {
      try { unwatch(this.signal, this.onAbort); } catch { /* nothing to clean */ }
    }
  }
}

/** With neither a signal nor a timeout there is nothing to race: no controller, no timer. */
const NO_DEADLINE = {
  stopped: undefined,
  controller: undefined,
  race: (promise) => promise,
  dispose() {},
};

/** A deadline made by a dead instance's code still running (its call has failed ERR_INTERNAL). */
const DEAD = {
  get stopped() {
    return fail('ERR_INTERNAL', 'the WebAssembly instance failed while this call was under way; it is re-instantiated before the next call');
  },
  controller: undefined,
  race(promise) {
    Promise.resolve(promise).catch(() => {});
    return Promise.reject(this.stopped);
  },
  dispose() {},
};

export function guard(signal, timeoutMs) {
  if (signal === undefined && timeoutMs === undefined) return NO_DEADLINE;
  // Nothing armed for a call that has failed already (helper-179: its timer kept the process up).
  return recovery?.dead() ? DEAD : new Guard(signal, timeoutMs);
}

/**
 * At a trap (wxpay.js's listener): the live Guards are the dead instance's, taken aside for
 * endGuards. Assignments only where it can (the JS stack may have ended); a second trap before
 * endGuards adds its own. Never throws where the stack has room.
 */
export function abandonGuards() {
  if (dyingGuards === undefined) {
    const fresh = new Set();
    dyingGuards = liveGuards;
    liveGuards = fresh;
  } else {
    for (const g of liveGuards) dyingGuards.add(g);
    liveGuards.clear();
  }
}

/**
 * In the microtask after a trap: the requests of the dead instance are over, so each Guard taken
 * aside stops with `error` (its fetch is aborted) and is disposed of (its timer cleared, its
 * signal's listener removed). Never throws.
 */
export function endGuards(error) {
  const guards = dyingGuards;
  dyingGuards = undefined;
  if (guards === undefined) return;
  for (const g of guards) {
    g.stop(error);
    g.dispose();
  }
}

export function dispose(g) {
  g.dispose();
}

/** `promise`, or the deadline's error if that comes first. */
export function race(g, promise) {
  return g.race(promise);
}

/** The deadline's error once it has ended, else undefined. */
export function stopped(g) {
  return g.stopped;
}

const abandoners = new WeakMap();
/** sharedDownload's promises, and a deadline's race of one: a deadline racing one waits for the certificates. */
const downloads = new WeakSet();

/**
 * A platform-certificate download's promise as the requests that wait for it share it: settles as
 * `download` does, or rejects with undefined once abandonDownload() is called on it. (In workerd, a
 * download's I/O ends with the request that started it: when that request gives up, the download
 * may never settle, and those waiting move to the next.) Never throws: Rust calls it without a catch.
 */
export function sharedDownload(download) {
  let abandon;
  const s = Promise.race([download, new Promise((_, reject) => { abandon = reject; })]);
  s.catch(() => {});
  abandoners.set(s, abandon);
  downloads.add(s);
  return s;
}

/** Rejects sharedDownload(download)'s promise `s` with undefined, if it has not settled. Never throws. */
export function abandonDownload(s) {
  abandoners.get(s)?.();
}

/** Resolves after `ms`, or rejects with the deadline's error (`g` undefined: there is none). */
export function sleep(g = NO_DEADLINE, ms) {
  let timer;
  return g.race(new Promise((resolve) => { timer = setTimeout(resolve, Math.min(ms, MAX_DELAY)); })).finally(() => clearTimeout(timer));
}

// Network errors raised before the request could reach the server: safe to send elsewhere.
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
// undici's ProxyAgent (a caller's `dispatcher`, or Node's NODE_USE_ENV_PROXY) when the proxy answers
// its CONNECT with anything but 200 (407, 502...): the tunnel never opened, so nothing was sent
// through it. The code alone is also an abort's; the message is undici's own, in 6 and 7.
const PROXY_REFUSED = /^Proxy response \(\d{3}\) !== 200 when HTTP Tunneling$/;
// Deno's fetch gives no code: its cause's message names hyper's connector error, which comes
// before any byte of the request is written (TCP, DNS and TLS alike).
const DENO_CONNECT = 'client error (Connect)';
const connectErrors = new WeakSet();

/**
 * `globalThis.fetch` as it is now (a caller may replace it) when it is a function, else undefined,
 * also when reading it throws: this never throws (Rust calls it without a catch, every request).
 */
export function globalFetch() {
  try {
    const f = globalThis.fetch;
    return typeof f === 'function' ? f : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `e` is a network error of a connection that never opened (so nothing was sent). */
export function isConnectError(e) {
  return typeof e === 'object' && e !== null && connectErrors.has(e);
}

// Errors of a connection that failed while it was being opened, after the cases above: reset or
// refused in its TCP or TLS handshake (Node: `connect ECONNRESET`), a certificate refused. Nothing
// was written. Not taken to the backup host (only CONNECT_CODES are), but told as unsent.
const handshakeErrors = new WeakSet();
const TLS_REFUSED = /^ERR_TLS_|^ERR_SSL_|CERT|SELF_SIGNED|^UNABLE_TO_(GET|VERIFY)/;
// A WxpayError a caller's `fetch` threw, handed on as it is: never changed by the package.
const callersErrors = new WeakSet();

function handshakeFailed(e) {
  return inCauses(e, ({ code, syscall }) => (syscall === 'connect' || (typeof code === 'string' && TLS_REFUSED.test(code)) ? true : undefined));
}

/** Whether `e` is a network error of a connection that failed while opening: nothing was sent. */
export function isUnsentError(e) {
  return typeof e === 'object' && e !== null && (connectErrors.has(e) || handshakeErrors.has(e));
}

/** Whether `e` is a WxpayError a caller's `fetch` threw (handed on as it is). */
export function isCallersError(e) {
  return typeof e === 'object' && e !== null && callersErrors.has(e);
}

/**
 * The first answer `test` gives (true or false; undefined goes on to the cause) for `e` and its
 * causes, four deep at most; false when none answers or a getter throws.
 */
function inCauses(e, test) {
  try {
    for (let c = e, depth = 0; c && depth < 4; c = c.cause, depth++) {
      const answer = test(c);
      if (answer !== undefined) return answer;
    }
  } catch { /* a getter threw */ }
  return false;
}

function causeCode(e) {
  return inCauses(e, ({ code, message, syscall }) => {
    // A socket's error while it read or wrote (Node: `read EHOSTUNREACH`) came after it
    // connected, when the request may have been written: whatever its code.
    if (syscall === 'read' || syscall === 'write' || syscall === 'writev') return false;
    if (typeof code === 'string' && CONNECT_CODES.has(code)) return true;
    if (typeof message !== 'string') return undefined;
    if (message.includes(DENO_CONNECT)) return true;
    if (code === 'UND_ERR_ABORTED' && PROXY_REFUSED.test(message)) return true;
    return undefined;
  });
}

/**
 * One attempt: `fetch` an already signed request, under `g`'s deadline (undefined: none); read
 * its answer in chunks, refused as soon as it passes `maxBytes`. `methodIndex` is the method's
 * index in METHODS; `headerBytes` the request's headers as UTF-8 `name\nvalue\n...` (none has a
 * line feed), a view of wasm memory read at once (headerRecord). Resolves `[status, statusText,
 * headers, body, stream, ...the Wechatpay-* signature headers]` (see answer(); `headers` a plain
 * object with lower-case names, `body` a Uint8Array); rejects with a `WxpayError`: ERR_NETWORK,
 * ERR_TIMEOUT, ERR_ABORTED or ERR_RESPONSE_TOO_LARGE.
 *
 * With `signCrypto` (node:crypto; `signAlgorithm` 'sha256', `signKey` the private KeyObject,
 * `message` a view of wasm memory), the request is signed here, just before its fetch: the last
 * header is `Authorization` up to `signature="`, which the signature and `"` complete. What that
 * signing throws, this throws (nothing is sent; Rust then signs as usual); nothing else throws.
 */
export function send(g = NO_DEADLINE, fetchFn, thisArg, url, methodIndex, headerBytes, payload, maxBytes, streamed, signCrypto, signAlgorithm, signKey, message) {
  const headers = headerRecord(headerBytes);
  if (signCrypto !== undefined) headers.Authorization += `${nodeSignBase64(signCrypto, signAlgorithm, message, signKey)}"`;
  return exchange(g, fetchFn, thisArg, url, METHODS[methodIndex], headers, payload, maxBytes, streamed);
}

/** `send`'s attempt, once its headers are made. */
async function exchange(g, fetchFn, thisArg, url, method, headers, payload, maxBytes, streamed) {
  if (g.stopped) throw g.stopped;
  // The request the deadline's error names while it is in flight (its error then passes through
  // pathNamed, which Rust applies to what this rejects with; after it, one waiting for a
  // certificate download, say, would name the path as filled: so only in flight).
  if (g !== NO_DEADLINE) {
    g.at = { method, url };
    g.sent = true;
    // Only the last answer counts: a multi-part bill's next part, a retry, starts without one.
    g.answered = undefined;
  }
  try {
    // A redirect is answered as it is, never followed: the signature covers this URL, method and
    // body only, and WeChat Pay does not redirect its API.
    const init = g.controller === undefined ? { method, headers, redirect: 'manual' } : { method, headers, redirect: 'manual', signal: g.controller.signal };
    if (payload !== undefined) init.body = payload;
    let response;
    try {
      response = await g.race(fetchFn.call(thisArg, url, init));
    } catch (e) {
      // A WxpayError the caller's fetch threw (not the deadline's): handed on as it is, never changed.
      if (g.stopped === undefined && e instanceof WxpayError) {
        try {
          callersErrors.add(e);
        } catch { /* not an object after all: nothing to remember */ }
      }
      throw networkError(g, e, method, url);
    }
    let status, statusText, answerHeaders, stream;
    try {
      if (typeof response !== 'object' || response === null) throw new TypeError(`fetch resolved to ${kind(response)}, not a Response`);
      status = response.status;
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
        throw new TypeError('the answer has no valid status');
      }
      statusText = response.statusText;
      answerHeaders = headerObject(response.headers, status);
      stream = response.body;
    } catch (e) {
      cancel(stream);
      throw networkError(g, e, method, url);
    }
    // A file streamed to the caller: its body is read by fileBody(), with no size limit, but for
    // its head (readHead: its first two bytes), read here, within this attempt: a body that breaks
    // off before them is this attempt's ERR_NETWORK, tried again as a whole file's is (nothing has
    // been handed out).
    if (streamed && status >= 200 && status < 300 && stream) {
      return answer(status, statusText, answerHeaders, new Uint8Array(0), await Opened.open(stream, g, { request: { method, url }, status, requestId: answerHeaders['request-id'] }));
    }
    const declared = answerHeaders['content-length'];
    const length = Number(declared);
    if (length > maxBytes) {
      cancel(stream);
      throw tooLarge(status, maxBytes, answerHeaders);
    }
    // Only the runtime's own fetch is trusted to hold a body to its Content-Length (undici, workerd
    // and browsers do): a caller's may not, nor stop reading when the deadline ends the call, so its
    // bodies are read chunk by chunk, counted and cancelled.
    const framed = fetchFn === runtimeFetch && declared !== undefined && /^\d+$/.test(declared) && (answerHeaders['content-encoding'] ?? 'identity') === 'identity';
    let body;
    try {
      body = await readBody(response, stream, maxBytes, g, status, framed);
    } catch (e) {
      // The answer's headers had come (the request was received): its status and Request-ID go
      // with the error its body ended with (ERR_NETWORK, ERR_TIMEOUT, ERR_ABORTED,
      // ERR_RESPONSE_TOO_LARGE).
      throw answered(networkError(g, e, method, url), status, answerHeaders['request-id']);
    }
    // A 2xx answer is the last: a deadline that ends the call after it (in the wait for the keys
    // that verify it) carries its status and Request-ID (Guard.named).
    if (g !== NO_DEADLINE && status >= 200 && status < 300) g.answered = [status, answerHeaders['request-id']];
    return answer(status, statusText, answerHeaders, body, undefined);
  } finally {
    if (g !== NO_DEADLINE) g.at = undefined;
  }
}

/**
 * `error` with the status and `Request-ID` of the answer whose body it ended, where it has none
 * of its own (a WxpayError of ours; anything else as it is).
 */
function answered(error, status, requestId) {
  if (error instanceof WxpayError) {
    if (error.status === undefined) Object.defineProperty(error, 'status', field(status));
    if (typeof requestId === 'string' && error.requestId === undefined) Object.defineProperty(error, 'requestId', field(requestId));
  }
  return error;
}

/** The runtime's own `fetch`: the global one as this module found it (undefined if reading it threw). */
const runtimeFetch = (() => {
  try {
    return globalThis.fetch;
  } catch {
    return undefined;
  }
})();

/** The methods, by their index in the Rust side's `Method::ALL`: literals, nothing decoded. */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Our own header names and a value, sent by Rust as one byte each, their index + 1 (`KNOWN` in
 * src/wasm/boundary.rs, in the same order): no decoding, and names fetch looks up at once.
 */
const KNOWN = ['Accept', 'Content-Type', 'User-Agent', 'Wechatpay-Serial', 'Authorization', 'application/json'];

/**
 * The request's headers as a plain object, each name and value decoded on its own. Not one string
 * split: V8 makes the parts of a split (13 characters or more) slices of it, and once fetch's
 * header checks (undici's `ByteString`, a loop over each character) meet such strings beside
 * ordinary ones (other code's `Headers`, `Request` and `Response` objects), their optimised code
 * runs slower for all of them, in the whole process (CONTRIBUTING, "What the package hands to
 * fetch").
 */
function headerRecord(bytes) {
  const headers = {};
  let name;
  for (let at = 0; at < bytes.length;) {
    let end = bytes.indexOf(10, at);
    if (end === -1) end = bytes.length;
    const code = end === at + 1 ? bytes[at] : 0;
    const text = code >= 1 && code <= KNOWN.length ? KNOWN[code - 1] : lossy.decode(bytes.subarray(at, end));
    if (name === undefined) {
      name = text;
    } else {
      headers[name] = text;
      name = undefined;
    }
    at = end + 1;
  }
  return headers;
}

/**
 * What an error of ours that names its request (ERR_NETWORK: networkError; the deadline's:
 * Guard.named) names it by, and how its message is made again with more text hidden (pathNamed):
 * `{ request, remake(hidden) }`, beside the error, not on it, as its URL holds the query its
 * message leaves out (see error.js HIDDEN).
 */
const NETWORK = new WeakMap();

/** A request as a message names it: the method and the URL without its query, `hidden`'s text left out. */
function requestText({ method, url }, hidden) {
  const q = url.indexOf('?');
  return `${method} ${hide(q < 0 ? url : `${url.slice(0, q)}?…`, hidden)}`;
}

/**
 * ERR_NETWORK's message: the method, the URL without its query (a download's token, a payer's
 * openid), and the fetch's error, each with `hidden`'s text left out (the query, and a path as
 * filled named by its template: Deno's error quotes the URL).
 */
function networkMessage(request, hidden, e) {
  return `${requestText(request, hidden)} failed: ${describe(e, hidden)}`;
}

/** `url`'s query with its `?` (so that the same text elsewhere stays), as `?…`; none: nothing. */
function queryHidden(url) {
  const q = url.indexOf('?');
  return [q < 0 || q === url.length - 1 ? '' : url.slice(q), '?…'];
}

/**
 * An ERR_NETWORK error of ours (networkError), its message made again with the request's `path`
 * as filled (`v3/x/123`) named by its `template` (`v3/x/{id}`, its controls escaped): a
 * placeholder's value (an order number, a ticket) is not repeated, nor in its JSON's `cause`
 * (error.js reads the same HIDDEN list). Any other error (a WxpayError a caller's fetch threw
 * among them) is left as it is.
 */
export function pathNamed(e, path, template) {
  const named = NETWORK.get(e);
  if (named === undefined) return;
  const hidden = HIDDEN.get(e);
  hidden.push([path, escapeControls(template)]);
  e.message = named.remake(hidden);
}

/** What a failed attempt rejects with: the deadline's error, ours, or ERR_NETWORK around `e`. */
function networkError(g, e, method, url) {
  if (g.stopped) return g.stopped;
  if (e instanceof WxpayError) return e;
  // The error as thrown is the `cause`, untouched; its JSON (error.js) hides what the message does.
  const request = { method, url };
  const hidden = [queryHidden(url)];
  const error = fail('ERR_NETWORK', networkMessage(request, hidden, e), e);
  NETWORK.set(error, { request, remake: (h) => networkMessage(request, h, e) });
  HIDDEN.set(error, hidden);
  if (causeCode(e)) connectErrors.add(error);
  else if (handshakeFailed(e)) handshakeErrors.add(error);
  return error;
}

/**
 * Calls a caller's hook (`onRequest`, `onResponse`) with `info`. What it throws or returns is
 * ignored: logging must never break a payment.
 */
export function hook(fn, info) {
  try {
    const r = fn(info);
    if (r && typeof r.then === 'function') Promise.resolve(r).catch(() => {});
  } catch { /* ignored, as documented */ }
}

/**
 * What `send` resolves to: `[status, statusText, headers, body, stream, ...]`. The headers Rust
 * verifies go along in the array (one crossing instead of one per header).
 */
function answer(status, statusText, h, body, stream) {
  const text = typeof statusText !== 'string' ? '' : statusText.length > MAX_STATUS_TEXT ? statusText.slice(0, MAX_STATUS_TEXT) : statusText;
  const timestamp = h['wechatpay-timestamp'];
  const nonce = h['wechatpay-nonce'];
  const signature = h['wechatpay-signature'];
  const serial = h['wechatpay-serial'];
  // The four as one string `timestamp\nnonce\nsignature\nserial` when that is unambiguous (always,
  // for a fetch `Headers`, whose values cannot hold a line feed); else each on its own.
  if (joinable(timestamp) && joinable(nonce) && joinable(signature) && joinable(serial)) {
    return [status, text, h, body, stream, `${timestamp}\n${nonce}\n${signature}\n${serial}`];
  }
  return [status, text, h, body, stream, undefined, timestamp, nonce, signature, serial];
}

const joinable = (v) => typeof v === 'string' && !v.includes('\n');

/** Bytes handed to the caller: out of wasm memory (a copy), or the body as `send` read it. */
const copyOut = (b) => b.slice();
const asRead = (b) => b;

/**
 * `{ status, statusText, headers, data }` of an answer `a` (as `send` resolved it), built here in
 * one call: `data` decoded by its content type (answerData), or with `bytes` the body. With
 * `verified`, `data` is made from `checked`: the bytes the signature was checked over, Rust's copy
 * (a view of wasm memory: read before this returns, which allocates nothing in wasm, and copied
 * where handed on). Else (an unsigned download, never checked) from the body `send` read.
 */
export function answerResult(a, verified, checked, bytes) {
  const [status, statusText, headers, body] = a;
  const own = verified ? checked : body;
  const handOn = verified ? copyOut : asRead;
  const data = bytes ? handOn(own) : answerData(own, headers['content-type'], status, headers['request-id'], handOn);
  return { status, statusText, headers, data };
}

function safeReason(signal) {
  try { return signal.reason; } catch { return undefined; }
}

/**
 * An answer refused for its size, with its status; and its `Request-ID` given `headers` (the
 * check on Content-Length; `exchange` adds it to one its body's reading threw).
 */
function tooLarge(status, maxBytes, headers) {
  const requestId = headers?.['request-id'];
  return new WxpayError('ERR_RESPONSE_TOO_LARGE', `the answer is larger than maxBodyBytes (${maxBytes} bytes)`, typeof requestId === 'string' ? { status, requestId } : { status });
}

function cancel(stream) {
  try {
    if (stream && typeof stream.cancel === 'function') stream.cancel().catch(() => {});
  } catch { /* already locked or closed */ }
}

/**
 * `v` without the spaces and tabs around it (RFC 9110: optional whitespace, not part of a field's
 * value). Node's fetch keeps a value's trailing whitespace, where Deno's, workerd's and browsers'
 * take it off: a signature header padded by a gateway checks alike everywhere. A value without
 * any is returned as it is, unread past its two ends.
 */
function fieldValue(v) {
  // Index by index from each end, not a regular expression: `[\t ]+$` tried at each space of a
  // long inner run (`a`, a megabyte of spaces, `b `) takes time quadratic in it.
  let start = 0;
  let end = v.length;
  while (start < end && (v.charCodeAt(start) === 32 || v.charCodeAt(start) === 9)) start++;
  while (end > start && (v.charCodeAt(end - 1) === 32 || v.charCodeAt(end - 1) === 9)) end--;
  return start === 0 && end === v.length ? v : v.slice(start, end);
}

/**
 * The answer's headers as a plain object with lower-case names (repeated names joined by `, `, as
 * `Headers` does), each name an own data property, whatever it is (`constructor`, `__proto__`).
 * Within MAX_TEXT characters in all (names and values; fetch's own answers have a few KB), or
 * ERR_RESPONSE_TOO_LARGE: they cross into wasm memory, and the signature headers are joined.
 */
function headerObject(h, status) {
  if (typeof h !== 'object' || h === null) return {};
  // Gathered in an object with no prototype (no setter or getter of Object.prototype runs, and
  // `__proto__` is a name like any other), then given Object.prototype: in Node about 1.5 µs a
  // request less than a Map and Object.fromEntries (bench/profile/headers.mjs).
  const out = Object.create(null);
  let total = 0;
  const list = typeof h[Symbol.iterator] === 'function' ? h : Object.entries(h);
  for (const pair of list) {
    const name = String(pair[0]);
    // With the separators a header takes (`: ` and a line break), so that endless empty headers
    // stop at the bound too.
    total += name.length + 4;
    const raw = pair[1];
    let value;
    if (Array.isArray(raw)) {
      const parts = [];
      for (const item of raw) {
        const text = String(item);
        total += text.length + 2;
        if (total > MAX_TEXT) throw headersTooLarge(status);
        parts.push(fieldValue(text));
      }
      value = parts.join(', ');
    } else {
      value = String(raw);
      total += value.length;
      value = fieldValue(value);
    }
    if (total > MAX_TEXT) throw headersTooLarge(status);
    const lower = name.toLowerCase();
    const earlier = out[lower];
    out[lower] = earlier === undefined ? value : `${earlier}, ${value}`;
  }
  return Object.setPrototypeOf(out, Object.prototype);
}

/** ERR_RESPONSE_TOO_LARGE for headers past MAX_TEXT characters, with the answer's status (retries see it). */
function headersTooLarge(status) {
  return new WxpayError('ERR_RESPONSE_TOO_LARGE', `the answer's headers are longer than ${MAX_TEXT} characters in all`, { status });
}

async function readBody(response, stream, maxBytes, g, status, framed) {
  // A body framed by Content-Length (no content coding to inflate it) cannot exceed what was
  // checked against the limit: read it whole, which is cheaper than chunk by chunk. Otherwise
  // the stream, chunk by chunk; `arrayBuffer()` only for an answer without a stream.
  // A body that is no web stream (node-fetch's Node Readable, a test double's bytes) is read by
  // `arrayBuffer()` and measured after.
  const readable = stream !== null && stream !== undefined && typeof stream.getReader === 'function';
  const arrayBuffer = readable && !framed ? undefined : response.arrayBuffer;
  if (readable && !(framed && typeof arrayBuffer === 'function')) {
    // Rust reads the body it is handed: always an array made here. A chunk may view a much
    // larger pooled buffer (inflated answers do): holding it would hold several times the limit.
    return readChunks(stream.getReader(), maxBytes, () => tooLarge(status, maxBytes), (p) => g.race(p));
  }
  if (typeof arrayBuffer !== 'function') {
    // No stream and no arrayBuffer(): no body is an empty one; a test double's string or bytes
    // are its body; anything else is no body this can read.
    if (stream === null || stream === undefined) return new Uint8Array(0);
    if (typeof stream === 'string' && stream.length > maxBytes) throw tooLarge(status, maxBytes);
    const bytes = typeof stream === 'string' ? encoder.encode(stream) : isBytes(stream) ? copyBytes(stream) : undefined;
    if (bytes === undefined) throw new TypeError(`the answer's body is ${kind(stream)}, not a stream, bytes or a string, and it has no arrayBuffer()`);
    if (bytes.byteLength > maxBytes) throw tooLarge(status, maxBytes);
    return bytes;
  }
  const buffer = await g.race(arrayBuffer.call(response));
  const bytes = typeof buffer === 'object' && buffer !== null ? fixedView(buffer) ?? copyBytes(buffer) : undefined;
  if (bytes === undefined) throw new TypeError('arrayBuffer() did not give an ArrayBuffer');
  if (bytes.byteLength > maxBytes) throw tooLarge(status, maxBytes);
  return bytes;
}

const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const arrayBufferResizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;

/**
 * A view of all of `buffer` when it is an ArrayBuffer of this realm that cannot grow (what fetch's
 * `arrayBuffer()` gives), else `undefined`. No copy: Rust copies the body into wasm memory, checks
 * its signature there, and the result is made from that copy (answerResult), so what a caller's
 * fetch does with the buffer later changes nothing. Its length is fixed here: a buffer detached
 * meanwhile reads as empty, which no signature covers. The intrinsic getters throw for anything
 * else (a SharedArrayBuffer, a Proxy), and run no caller code.
 */
function fixedView(buffer) {
  let length;
  try {
    length = arrayBufferLength.call(buffer);
    if (arrayBufferResizable !== undefined && arrayBufferResizable.call(buffer)) return undefined;
  } catch {
    return undefined;
  }
  return new Uint8Array(buffer, 0, length);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * An answer's Content-Type (lower-cased) as a message shows it: a media type's characters only,
 * at most 64 of them; anything else by its length (the header is not signed).
 */
const mediaType = (ct) => (/^[a-z0-9!#$%&'*+.^_`|~/; =\-"]{1,64}$/.test(ct) ? ct : `a Content-Type of ${ct.length} characters`);

/** A media type's type and subtype: up to its parameters, trimmed. */
const essenceOf = (t) => {
  const semi = t.indexOf(';');
  return (semi < 0 ? t : t.slice(0, semi)).trim();
};

/**
 * Whether a (lower-cased) Content-Type is a JSON media type as the WHATWG MIME Sniffing standard
 * has it: `application/json`, `text/json`, or a `+json` subtype. Not any type that says "json"
 * somewhere (`application/octet-stream; name=bill.json` is a file). Of a combined value (the
 * header given twice: `a, b`), the last media type is the answer's, as the Fetch standard's
 * "extract a MIME type" reads it.
 */
const isJson = (ct) => {
  // One media type (every answer but a rare one): its essence, read without building a list
  // (this runs on every answer: about 35 ns, where a split and filter each time took 300).
  const essence = ct.includes(',')
    ? ct.split(',').map(essenceOf).filter((t) => /^[^/\s]+\/[^/\s]+$/.test(t) && t !== '*/*').at(-1)
    : essenceOf(ct);
  return essence === 'application/json' || essence === 'text/json' || /^[^/]+\/[^/]*\+json$/.test(essence ?? '');
};

/**
 * `data` of an answer, decoded here: `''` when empty, parsed JSON for JSON, text for text, bytes
 * for anything else (downloads), as `handOn` gives them.
 */
function answerData(body, contentType, status, requestId, handOn) {
  if (body.byteLength === 0) return '';
  const ct = (contentType ?? '').toLowerCase();
  if (isJson(ct)) {
    try {
      return JSON.parse(utf8.decode(body));
    } catch (e) {
      throw new WxpayError('ERR_RESPONSE_BODY', `answer says ${mediaType(ct)} but its body is not valid JSON`, bodyErrorProps(status, requestId, e));
    }
  }
  try {
    if (ct.startsWith('text/')) return lossy.decode(body);
    if (ct === '') {
      let text;
      try {
        text = utf8.decode(body);
      } catch {
        return handOn(body);
      }
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
  } catch (e) {
    // A text longer than the engine's longest string.
    throw new WxpayError('ERR_RESPONSE_BODY', `the answer's ${ct ? mediaType(ct) : 'body'} is too long to be a string`, bodyErrorProps(status, requestId, e));
  }
  return handOn(body);
}

/** The properties of an ERR_RESPONSE_BODY error. */
function bodyErrorProps(status, requestId, cause) {
  return { status, ...(requestId === undefined ? {} : { requestId }), cause };
}

/** `data` of an error answer: its JSON, else its text, else its bytes. Never throws. */
export function errorData(body) {
  try {
    const text = lossy.decode(body);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  } catch {
    return body;
  }
}

/**
 * `segment`, checked before wxpay.js adds it to a chain node's path template, `length` characters
 * so far: a property name can be of any length, and it crosses into wasm memory.
 */
export function chainSegment(length, segment) {
  // `outTradeNo['']` (an id left empty) would send the path without it: `.../out-trade-no/`, or
  // `...//close`. (An API whose path ends in `/` is reached by its last segment with the slash.)
  if (segment === '') throw param('a chain segment is empty: an id left empty? (placeholders, `_out_trade_no_`, refuse one)');
  if (segment.length > MAX_TEXT) throw param(`a chain segment is longer than ${MAX_TEXT} characters`);
  if (!wellFormed(segment)) throw param(lone('a chain segment'));
  if (length + segment.length >= MAX_TEXT) throw param(`the chain's path is longer than ${MAX_TEXT} characters`);
  return segment;
}

/**
 * An upload's FormData, read once: `[meta, name, filename, type, bytes, ...]` where `meta` is the
 * caller's `meta` text (or undefined) and each other entry follows in order, `filename`
 * undefined for a text field. Blobs are read with `arrayBuffer()`, so this is async. Rust awaits
 * it: it rejects with a WxpayError only (anything else would be taken for a trap), whatever the
 * entries of a FormData look-alike do. Within MAX_BYTES of content (files and text fields) and
 * MAX_TEXT characters of names, filenames and types.
 */
function upload(form) {
  const what = 'the upload (FormData)';
  return rejectsWxpay(readForm(form, what), (e) => param(`reading ${what} threw: ${describe(e)}`, e));
}

async function readForm(form, what) {
  let meta;
  let parts = 0;
  const out = [undefined];
  let total = 0; // bytes of content (meta counted by its characters, within MAX_TEXT anyway)
  let labels = 0; // characters of names, filenames and types
  const label = (s, which) => {
    if (s.length > MAX_TEXT) throw param(long(`${what}: ${which}`, MAX_TEXT));
    labels += s.length;
    if (labels > MAX_TEXT) throw param(`${what}: its field names, filenames and types are longer than ${MAX_TEXT} characters in all`);
    return s;
  };
  const content = (n) => {
    total += n;
    if (total > MAX_BYTES) throw param(long(what, MAX_BYTES));
  };
  for (const entry of form.entries()) {
    if (++parts > MAX_PARTS) throw param(`${what} has more than ${MAX_PARTS} fields`);
    const [name, value] = entry;
    if (typeof name !== 'string') throw param(`${what} has a field name that is not a string`);
    label(name, 'a field name');
    // A field is named in messages only when its name is short (see `named`).
    const field = named(name);
    const isBlob = typeof value === 'object' && value !== null && typeof value.arrayBuffer === 'function';
    if (name === 'meta') {
      if (meta !== undefined) throw param(`${what} has more than one meta part`);
      meta = isBlob ? await readText(value, what) : text(value, `${what}: meta`);
      content(meta.length);
      continue;
    }
    if (!isBlob) {
      const bytes = encoder.encode(text(String(value), `${what}: field ${field}`));
      content(bytes.byteLength);
      out.push(name, undefined, '', bytes);
      continue;
    }
    const filename = value.name;
    const type = value.type;
    if (typeof filename !== 'string' || filename === '') throw param(`${what}: the file of field ${field} needs a filename (a File, or FormData.append(name, blob, filename))`);
    // FormData names a Blob appended without a filename "blob": no name the service takes (it
    // reads the file's kind from its extension), so refused here rather than there.
    if (filename === 'blob') throw param(`${what}: the file of field ${field} is named "blob", the name FormData gives a Blob appended without one: append it with its filename (FormData.append(name, blob, filename), or uploadForm)`);
    label(filename, `the filename of field ${field}`);
    const mediaType = typeof type === 'string' ? label(type, `the type of field ${field}`) : '';
    // A Blob says its size: one too large is refused before it is read whole.
    const size = value.size;
    if (typeof size === 'number' && total + size > MAX_BYTES) throw param(long(what, MAX_BYTES));
    let bytes;
    try {
      bytes = copyBytes(await value.arrayBuffer());
    } catch (e) {
      throw param(`${what}: reading the file of field ${field} failed: ${describe(e)}`, e);
    }
    if (bytes === undefined) throw param(`${what}: the file of field ${field} gave no bytes`);
    content(bytes.byteLength);
    out.push(name, filename, mediaType, bytes);
  }
  out[0] = meta;
  return out;
}

async function readText(blob, what) {
  try {
    return text(await blob.text(), `${what}: meta`);
  } catch (e) {
    if (e instanceof WxpayError) throw e;
    throw param(`${what}: reading meta failed: ${describe(e)}`, e);
  }
}

/**
 * A URL as `fetch` will send it (the WHATWG parser: percent-encoded, dot segments resolved, no
 * fragment), so that what is signed is what is sent and the "under baseURL" check sees the path
 * that goes out.
 */
function sentURL(t, what) {
  let url;
  try {
    url = new URL(t);
  } catch {
    throw param(`${what} is not an absolute URL`);
  }
  url.hash = '';
  return url.href;
}

/**
 * A file's `hash_type` (any case, as digest.rs reads it) and the hex its `hash_value` must be,
 * around which Rust's `str::trim` takes off Unicode's White_Space (not JS's `trim()`, which also
 * takes U+FEFF and keeps U+0085), and so does this check.
 */
const HASH_HEX = [[/^sha1$/i, 40], [/^sha256$/i, 64], [/^sm3$/i, 64]].map(([name, n]) => {
  const space = '[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*';
  return [name, new RegExp(`^${space}[0-9a-f]{${n}}${space}$`, 'i')];
});

/**
 * `wxpay.download(data, options)`, read once: `[stream, signal, timeout, maxBodyBytes, parts]` with
 * `parts` flat `[download_url, hash_type, hash_value, encrypt_key, nonce, ...]` in bill_sequence
 * order (the last two undefined for a plain file).
 */
export function downloadInput(data, options) {
  const what = 'download(data, options)';
  if (typeof data !== 'object' || data === null) throw param(`${what}: data must be the answer data of a bill request ({ download_url, hash_type, hash_value }), got ${kind(data)}`);
  return guarded(`${what}: reading data`, param, () => {
    const str = (o, k, required) => {
      const v = o[k];
      if (v === undefined && !required) return undefined;
      const t = text(v, `${what}: ${k}`);
      return k === 'download_url' || k === 'url' ? sentURL(t, `${what}: ${k}`) : t;
    };
    const parts = [];
    // Each part's bill_sequence, for a list: the digest errors below name their part.
    let sequences;
    const list = data.download_bill_list;
    // v3/bill/sub-merchant-fundflowbill documents download_bill_list as optional: an answer
    // without it names no file, which is said as such rather than as a missing download_url.
    // The 代金券 flow files' answers (marketing/favor/stocks/{stock_id}/use-flow, refund-flow) name
    // theirs `url`.
    const single = data.download_url === undefined && data.url !== undefined ? 'url' : 'download_url';
    if (list === undefined && data[single] === undefined) {
      // The whole `{ status, headers, data }` a verb resolves to, given for its `data`.
      if (data.data !== undefined && data.status !== undefined) {
        throw param(`${what}: data is a whole answer ({ status, headers, data }): pass the answer's .data (wxpay.download(answer.data))`);
      }
      throw param(`${what}: data has neither download_url (nor url) nor download_bill_list: it names no file to download`);
    }
    if (list !== undefined) {
      if (!Array.isArray(list) || list.length === 0) throw param(`${what}: download_bill_list must be a non-empty array`);
      const items = list.map((p) => {
        if (typeof p !== 'object' || p === null) throw param(`${what}: download_bill_list has an entry that is not an object`);
        const item = [Number(p.bill_sequence) || 0, str(p, 'download_url', true), str(p, 'hash_type', true), str(p, 'hash_value', true), str(p, 'encrypt_key', false), str(p, 'nonce', false)];
        if (item[4] !== undefined && item[5] === undefined) throw param(`${what}: a download_bill_list entry has an encrypt_key but no nonce`);
        return item;
      });
      items.sort((a, b) => a[0] - b[0]);
      // Joined in order, a part left out or given twice would make another file: the answer says
      // how many there are (download_bill_count), and each its place.
      const count = data.download_bill_count;
      if (count !== undefined && count !== items.length) {
        throw param(`${what}: download_bill_count is ${typeof count === 'number' ? count : kind(count)} but download_bill_list lists ${items.length}`);
      }
      const twice = items.find((item, i) => i > 0 && item[0] === items[i - 1][0]);
      if (twice !== undefined) throw param(`${what}: download_bill_list has two parts of bill_sequence ${twice[0]}`);
      for (const i of items) parts.push(...i.slice(1));
      sequences = items.map((i) => i[0]);
    } else {
      parts.push(str(data, single, true), str(data, 'hash_type', true), str(data, 'hash_value', true), undefined, undefined);
    }
    // Each part's digest is of a kind and length Rust checks too (digest.rs), here before any
    // part is fetched: a bad later part sends nothing.
    for (let i = 0; i < parts.length; i += 5) {
      const part = sequences === undefined ? '' : ` (download_bill_list's part of bill_sequence ${sequences[i / 5]})`;
      const hex = HASH_HEX.find(([name]) => name.test(parts[i + 1]))?.[1];
      if (hex === undefined) throw param(`download(data): hash_type must be SHA1, SHA256 or SM3${part}`);
      if (!hex.test(parts[i + 2])) throw param(`download(data): hash_value is not the hex digest hash_type names${part}`);
    }
    let o = options;
    if (o === undefined || o === null) o = {};
    if (typeof o !== 'object') throw param(`${what}: options must be an object, got ${kind(o)}`);
    for (const key of Object.keys(o)) {
      if (!['stream', 'signal', 'timeout', 'maxBodyBytes'].includes(key)) throw param(`${what}: unknown option ${named(key)}: expected stream, signal, timeout or maxBodyBytes`);
    }
    let signal = o.signal ?? undefined;
    if (signal !== undefined && !(typeof signal === 'object' && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
      throw param(`${what}: options.signal must be an AbortSignal`);
    }
    return [o.stream === true, signal, number(o.timeout, 'options.timeout', param), number(o.maxBodyBytes, 'options.maxBodyBytes', param), parts];
  });
}

const digestError = () => fail('ERR_DIGEST_MISMATCH', "the file's digest does not match the hash_value its answer gave");
// A WxpayError passes as it is: reading the network gives ERR_NETWORK (fileSource), so what is
// left is the decompressor's own failure.
const decodeError = (e) => (e instanceof WxpayError ? e : fail('ERR_FILE_DECODE', `the file could not be read (a broken GZIP stream?): ${describe(e)}`, e));
/**
 * A file's body streamed to the caller, once its head has come (`exchange` reads it): `reader`
 * (fileSource's), `head` (readHead's) and `watch`, whose `answer` is the request it answers
 * (`{ method, url }`, named with its query hidden: a download's token) with the answer's `status`
 * and `requestId`, which the errors of its reads carry (`fileError`). fileBody() reads on.
 */
class Opened {
  /** The head of `stream`, read within the deadline `g`; rejects as a file's read does, the body cancelled. */
  static async open(stream, g, answer) {
    const watch = { g, answer };
    let reader;
    try {
      reader = fileSource(stream, watch);
      return new Opened(reader, await readHead(reader), watch);
    } catch (e) {
      reader?.cancel(e);
      throw fileError(e, answer);
    }
  }

  constructor(reader, head, watch) {
    this.reader = reader;
    this.head = head;
    this.watch = watch;
  }

  /** Never throws (as fileSource's reader's). */
  cancel(reason) {
    return this.reader.cancel(reason);
  }
}

/**
 * A file's first two bytes at least (or all of it, if shorter), which say whether it is GZIP (its
 * magic), however the body is cut into chunks (a first chunk of 0 or 1 byte is read on from):
 * `{ chunks, bytes, ended }`. What was read to know is handed out first.
 */
async function readHead(reader) {
  const head = { chunks: [], bytes: 0, ended: false };
  while (head.bytes < 2) {
    const r = await reader.read();
    if (r.done) {
      head.ended = true;
      break;
    }
    head.chunks.push(r.value);
    head.bytes += r.value.byteLength;
  }
  return head;
}

/**
 * ERR_NETWORK of a file's read: with `answer` (an Opened's), named by its request as the
 * answer's own ERR_NETWORK is, its query left out of the message and JSON; `what`, if given,
 * says what failed before `e` does.
 */
const readError = (e, answer, what = undefined) => {
  if (e instanceof WxpayError) return e;
  // Each error its own list (pathNamed adds to an error's).
  const hidden = answer === undefined ? [] : [queryHidden(answer.request.url)];
  const why = what === undefined ? describe(e, hidden) : `${what}: ${describe(e, hidden)}`;
  const message = answer !== undefined ? `${requestText(answer.request, hidden)} failed: ${why}` : what === undefined ? `reading the file failed: ${why}` : why;
  const error = fail('ERR_NETWORK', message, e);
  HIDDEN.set(error, hidden);
  return error;
};
/** What a streamed file's read ends with, given its answer's status and Request-ID (`answer` may be undefined). */
const fileError = (error, answer) => (answer === undefined ? error : answered(error, answer.status, answer.requestId));
const DONE = Object.freeze({ done: true, value: undefined });
const hashError = (e) => (e instanceof WxpayError ? e : fail('ERR_CRYPTO', `hashing the file failed: ${describe(e)}`, e));

// The glue's recovery state (scripts/patch-glue.mjs), handed over by wxpay.js. A download's
// FileDigest is a Rust object that this file calls from stream callbacks, outside any call of
// wxpay.js: those calls get here the checks wxpay.js makes around its own.
let recovery;

/** Called once by wxpay.js with the glue's `__wxpay_recovery`. */
export function useRecovery(r) {
  recovery = r;
}

const internal = (cause) =>
  fail('ERR_INTERNAL', 'the WebAssembly instance failed during this download; it is re-instantiated before the next call', cause);
const released = () => fail('ERR_ABORTED', 'the download was stopped: its stream was cancelled');

/**
 * `rust`, a FileDigest of the instance live now, behind the checks wxpay.js makes around its own
 * calls: no method runs on that instance once it has trapped or been replaced (ERR_INTERNAL; `free`
 * does nothing, as there is nothing left to free and the new instance must not be touched), and
 * anything a method throws is a trap (they return no errors, and their arguments are bytes made
 * here): the instance is marked dead and replaced, as after a trap anywhere else.
 */
function rustDigest(rust) {
  const instance = recovery?.instance();
  const gone = () => recovery !== undefined && recovery.instance() !== instance;
  // Once freed, never called again: the glue would throw "null pointer passed to rust", which
  // counts as a trap, and a recovery fails every call in flight, of every client.
  let freed = false;
  const call = (method, arg) => {
    if (gone()) throw internal();
    if (freed) throw released();
    try {
      return rust[method](arg);
    } catch (e) {
      recovery?.trapped(e);
      throw internal(e);
    }
  };
  return {
    /** Throws ERR_INTERNAL once the instance is gone: the file can no longer be checked. */
    check() {
      if (gone()) throw internal();
      if (freed) throw released();
    },
    algorithm: () => call('algorithm'),
    // In slices: each call copies its bytes into wasm memory (a chunk of any size would be
    // allocated there whole).
    update(bytes) {
      for (let at = 0; at < bytes.byteLength; at += HASH_SLICE) call('update', bytes.subarray(at, at + HASH_SLICE));
    },
    finish: (got) => call('finish', got),
    free() {
      if (gone() || freed) return;
      freed = true;
      try {
        rust.free();
      } catch (e) {
        recovery?.trapped(e);
      }
    },
  };
}

const IDLE = Symbol('idle');
const WROTE = Symbol('wrote');
/**
 * `setTimeout` as the package was loaded: a test's fake timers installed later (Jest's
 * `useFakeTimers()` in a test) would hold `idle`'s macrotask until their clock moved, and a GZIP
 * download with it. The deadlines (`timeout`, back-off) read the global at each call: those a
 * test's clock should move.
 */
const loadedSetTimeout = setTimeout.bind(globalThis);
/** Resolves IDLE after one macrotask: what a decompressor had to give by then, it gave. */
const idle = () => new Promise((resolve) => loadedSetTimeout(resolve, 0, IDLE));

/**
 * GZIP `first` then the rest of `source` (a reader), decompressed as the reader pulls: the next
 * compressed slice goes in only once nothing more comes out of the last one. A
 * DecompressionStream fed by `pipeThrough` takes its input as fast as it arrives, and workerd's
 * (and Bun's) inflate whatever they are given at once: a 100 MB GZIP bill, a few MB on the wire,
 * was held whole. Slices are sized from the ratio seen so far so that one slice inflates to
 * about `OUT_PER_SLICE` bytes. Returns a reader: `read()`, `cancel(reason)`.
 */
function gunzip(first, source) {
  const OUT_PER_SLICE = 1 << 20;
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const out = ds.readable.getReader();
  let input = first;
  let at = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let ended = false;
  let reading = null;
  let writing = null;
  const feed = async () => {
    if (at >= input.byteLength) {
      const r = await source.read();
      if (r.done) {
        ended = true;
        await writer.close();
        return WROTE;
      }
      input = r.value;
      at = 0;
    }
    // 1 KiB until the ratio is known; then about OUT_PER_SLICE of output per slice.
    const size = bytesOut === 0 ? 1024 : Math.min(65536, Math.max(1024, Math.floor((OUT_PER_SLICE * bytesIn) / bytesOut)));
    const slice = input.subarray(at, at + size);
    at += slice.byteLength;
    bytesIn += slice.byteLength;
    await writer.write(slice);
    return WROTE;
  };
  return {
    async read() {
      for (;;) {
        reading ??= out.read();
        // While a slice is being written, wait for it or for output; otherwise give the
        // decompressor one macrotask to produce before feeding it more.
        const got = await Promise.race([reading, writing ?? (ended ? reading : idle())]);
        if (got === WROTE) {
          writing = null;
        } else if (got === IDLE) {
          if (!ended) {
            writing = feed();
            // Raced on the next pass; a reader that stops first must not leave it unhandled.
            writing.catch(() => {});
          }
        } else {
          reading = null;
          if (!got.done) bytesOut += got.value.byteLength;
          return got;
        }
      }
    },
    cancel(reason) {
      ended = true;
      return Promise.allSettled([source.cancel(reason), out.cancel(reason)]);
    },
  };
}

/** node:crypto where `process.getBuiltinModule` gives it (Node, Bun, Deno), else undefined; never throws. */
export function nodeCrypto() {
  try {
    return typeof process === 'object' && process !== null && typeof process.getBuiltinModule === 'function'
      ? process.getBuiltinModule('node:crypto') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The runtime's own hash of SHA-`algorithm` (1 or 256; 0: Rust hashes), faster
 * than wasm: node:crypto where `process.getBuiltinModule` gives it (Node, Bun, Deno), workerd's
 * `crypto.DigestStream`; else undefined. `{ write(chunk), end() -> digest bytes, abort(reason) }`.
 */
function nativeDigest(algorithm) {
  if (algorithm !== 1 && algorithm !== 256) return undefined;
  try {
    const node = nodeCrypto();
    if (typeof node?.createHash === 'function') {
      const hash = node.createHash(`sha${algorithm}`);
      return { write: (chunk) => { hash.update(chunk); }, end: () => hash.digest(), abort() {} };
    }
    const DigestStream = globalThis.crypto?.DigestStream;
    if (typeof DigestStream === 'function') {
      const stream = new DigestStream(`SHA-${algorithm}`);
      const { digest } = stream;
      if (typeof digest?.then !== 'function') return undefined;
      digest.catch(() => {});
      const writer = stream.getWriter();
      return {
        write: (chunk) => writer.write(chunk),
        end: async () => { await writer.close(); return new Uint8Array(await digest); },
        abort: (reason) => { writer.abort(reason).catch(() => {}); },
      };
    }
  } catch { /* none: Rust hashes */ }
  return undefined;
}

/**
 * Cancels the body of a streamed file dropped unread (readFile): Node's undici holds a locked body's
 * connection until it is cancelled. Only where streams are JS objects (Node, Bun, Deno: each sets
 * `process.versions.node`), not in workerd or a browser: there a stream is a host object whose JS
 * wrapper may be collected while its reader still reads it (Chromium's minor collections do), and
 * the finalizer cancelled live downloads (tests/common/streams.mjs); workerd's finalizers may do no
 * I/O either.
 */
const abandoned = typeof FinalizationRegistry === 'function' && streamsAreJs() ? new FinalizationRegistry((cleanup) => cleanup()) : undefined;

/** Node, Bun or Deno (`process.versions.node`), and not workerd (nodejs_compat sets it too); never throws. */
function streamsAreJs() {
  try {
    return typeof globalThis.process?.versions?.node === 'string' && !inWorkerd();
  } catch {
    return false;
  }
}

/**
 * Whether this is workerd (Cloudflare Workers): its `navigator.userAgent`, or, where a Worker turned
 * `navigator` off (`no_global_navigator`), two globals of its own (one polyfill is not taken for it);
 * never throws.
 */
function inWorkerd() {
  try {
    const ua = globalThis.navigator?.userAgent;
    return ua === 'Cloudflare-Workers'
      || (ua === undefined && typeof globalThis.WebSocketPair === 'function' && typeof globalThis.HTMLRewriter === 'function');
  } catch {
    return false;
  }
}
const ABANDONED = 'the stream was dropped unread';

/**
 * The reader of a downloaded file as it arrives: `source` is the answer's body as the caller's
 * `fetch` gave it (a ReadableStream, or anything else), or bytes already in hand. `read()`
 * resolves `{ done, value }` with `value` a plain Uint8Array of ours over the chunk's bytes;
 * whatever goes wrong there (a body that is not a stream, a reader that throws, a connection
 * lost, a chunk that is not a Uint8Array) rejects ERR_NETWORK, as it does for any other answer,
 * before it can reach a decompressor or Rust. Each read is raced against `watch.g`, the
 * request's deadline, for as long as that is set. `cancel(reason)` never throws.
 */
function fileSource(source, watch) {
  let reader;
  try {
    reader = source instanceof Uint8Array ? new Blob([source]).stream().getReader() : source.getReader();
    if (typeof reader?.read !== 'function') throw new TypeError('its getReader() gave no reader');
  } catch (e) {
    cancel(source);
    // Named by its request, as the answer's other ERR_NETWORK errors are, where it has one.
    throw readError(e, watch.answer, "the answer's body is not a readable stream");
  }
  let empty = 0;
  return {
    async read() {
      try {
        for (;;) {
          const r = await watch.g.race(reader.read());
          if (typeof r !== 'object' || r === null) throw new TypeError('the body stream gave no { done, value }');
          if (r.done) return DONE;
          const value = chunkView(r.value);
          if (value === undefined) throw new TypeError('the answer body gave a chunk that is not bytes');
          // An empty chunk is read past (bounded, as readChunks does).
          if (value.byteLength > 0) return { done: false, value };
          if (++empty > MAX_EMPTY_CHUNKS) throw tooManyEmpty();
        }
      } catch (e) {
        // The deadline's own error (ERR_TIMEOUT, ERR_ABORTED), not what it did to the read.
        throw fileError(watch.g.stopped ?? readError(e, watch.answer), watch.answer);
      }
    },
    cancel(reason) {
      try {
        Promise.resolve(reader.cancel(reason)).catch(() => {});
      } catch { /* released, or not a real reader */ }
      return Promise.resolve();
    },
  };
}

/**
 * A downloaded file's bytes (`source`: the answer's body, or bytes already in hand),
 * gunzipped when they start with the GZIP magic, every byte passed to `rust` (a FileDigest:
 * `algorithm()`, `update(bytes)`, `finish(digest?) -> bool`, called through rustDigest), or to
 * the runtime's own hash. With `streamed`, a ReadableStream that errors with
 * ERR_DIGEST_MISMATCH at its end on a mismatch; else the bytes, refused as soon as they and
 * `before` (the bytes of the earlier parts of a multi-part bill) pass `maxBytes`.
 */
export function fileBody(g, source, rust, streamed, maxBytes, before) {
  // Anything else (an allocation that fails, say) is a failed read.
  const answer = source instanceof Opened ? source.watch.answer : undefined;
  return rejectsWxpay(readFile(g, source, rust, streamed, maxBytes, before, answer), (e) => fileError(readError(e, answer), answer));
}

async function readFile(g = NO_DEADLINE, source, rust, streamed, maxBytes, before = 0, answer = undefined) {
  const digest = rustDigest(rust);
  // The request's deadline covers the reads made before download() resolves: every read for
  // bytes, the first ones for a stream (a body that stalls after its headers, a fetch that
  // ignores its signal); the caller then reads at their own pace and cancels to stop.
  const watch = source instanceof Opened ? source.watch : { g, answer };
  let reader;
  // Its head (readHead), handed out first, as it is for a plain file, without one more stream in
  // between. A streamed file's came with its answer (exchange): read on from it.
  let head;
  let native;
  try {
    native = nativeDigest(digest.algorithm());
    if (source instanceof Opened) ({ reader, head } = source);
    else head = await readHead(reader = fileSource(source, watch));
  } catch (e) {
    digest.free();
    native?.abort(e);
    if (reader === undefined) cancel(source);
    else reader.cancel(e);
    throw e;
  }
  const { bytes: headBytes, ended } = head;
  let held = headBytes === 0 ? undefined : head.chunks.length === 1 ? head.chunks[0] : concat(head.chunks, headBytes);
  if (held !== undefined && headBytes >= 2 && held[0] === 0x1f && held[1] === 0x8b) {
    reader = gunzip(held, reader);
    held = undefined;
  }
  let finished = false;
  const end = async () => {
    finished = true;
    let ok;
    try {
      ok = digest.finish(native === undefined ? undefined : await native.end());
    } catch (e) {
      throw hashError(e);
    } finally {
      digest.free();
    }
    return ok;
  };
  const drop = (reason) => {
    if (finished) return;
    finished = true;
    digest.free();
    native?.abort(reason);
  };
  const out = new ReadableStream({
    async pull(c) {
      let r;
      try {
        // A trap since the last read took the digest with it, whoever hashes: stop now.
        digest.check();
        if (held !== undefined) {
          r = { done: false, value: held };
          held = undefined;
        } else {
          r = ended ? DONE : await reader.read();
        }
      } catch (e) {
        drop(e);
        reader.cancel(e);
        throw fileError(decodeError(e), answer);
      }
      // Cancelled while the read waited (its digest freed): nothing more to check or hand out.
      if (finished) return;
      if (r.done) {
        if (await end()) c.close();
        else c.error(fileError(digestError(), answer));
        return;
      }
      try {
        if (native === undefined) digest.update(r.value);
        else await native.write(r.value);
      } catch (e) {
        drop(e);
        reader.cancel(e);
        throw hashError(e);
      }
      c.enqueue(r.value);
    },
    cancel(reason) {
      drop(reason);
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  if (streamed) {
    watch.g = NO_DEADLINE;
    // A stream dropped unread (a handler that threw before reading it) would hold the answer's
    // body, locked by our reader, and with it its connection, for good (undici cancels only an
    // unlocked body it collects): once the stream is collected, the body is cancelled and the
    // digest freed.
    abandoned?.register(out, () => {
      if (finished) return;
      try {
        drop(ABANDONED);
        reader.cancel(ABANDONED);
      } catch { /* a finalizer has no one to tell (workerd may refuse I/O of an ended request) */ }
    });
    return out;
  }
  const chunks = [];
  let total = 0;
  const r = out.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    total += value.byteLength;
    if (before + total > maxBytes) {
      r.cancel().catch(() => {});
      throw new WxpayError('ERR_RESPONSE_TOO_LARGE', `the file is larger than maxBodyBytes (${maxBytes} bytes)`);
    }
    if (chunks.length === MAX_CHUNKS) {
      r.cancel().catch(() => {});
      throw fail('ERR_NETWORK', `the file came in more than ${MAX_CHUNKS} chunks`);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

function concat(chunks, total) {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The files of a multi-part bill, in order, as one (bytes, or a stream of them). */
export function joinFiles(files, streamed) {
  const bytes = concat(files, files.reduce((n, f) => n + f.byteLength, 0));
  return streamed ? new Blob([bytes]).stream() : bytes;
}

// --- For Rust: the calls that throw on a caller's input, through imports that return nothing ---
// wasm-bindgen 0.2.130 stores the result of a `catch` import before it takes the exception, and
// then never frees that table slot: every throw of an import that returns a value leaked one
// (8.4 million failed calls filled the table and trapped). These return nothing; Rust takes the
// value with `taken()` right after (src/wasm/boundary.rs, `held`). A nested call from a caller's
// getter completes before the outer one stores its value.
let held;
const holding = (f) => (...args) => { held = f(...args); };
/** The value of the last `...Held` call, once. */
export function taken() {
  const value = held;
  held = undefined;
  return value;
}
export const requestConfigHeld = holding(requestConfig);
export const bodyHeld = holding(body);
export const clientOptionsHeld = holding(clientOptions);
export const resourceHeld = holding(resource);
export const paymentInputHeld = holding(paymentInput);
export const textHeld = holding(text);
export const bytesHeld = holding(bytes);
export const guardHeld = holding(guard);
export const downloadInputHeld = holding(downloadInput);
export const failureMessageHeld = holding(failureMessage);
export const answerResultHeld = holding(answerResult);
/** node:crypto's OAEP, whose failures come from a caller's input (a ciphertext, a text too long). */
export const nodeOaepHeld = holding((crypto, decrypt, options, data) => (decrypt ? crypto.privateDecrypt(options, data) : crypto.publicEncrypt(options, data)));
