/**
 * Every failure of wxpay-wasm, and every error answer of WeChat Pay, is a
 * `WxpayError`. `code` is stable: ours start with `ERR_`; the service's
 * (`PARAM_ERROR`, `SIGN_ERROR`...) are passed through as they come.
 */
// The ESM entry and the CommonJS bundle each carry a copy of this class; a process that loads
// both (an ESM app with a `require`-ing dependency) must still see one error type. Instances are
// branded with a registry symbol, which `instanceof` checks across copies.
const BRAND = Symbol.for('wxpay-wasm.WxpayError');

/** The fields `props` may give, in the order they are set. */
const FIELDS = ['status', 'requestId', 'detail', 'response'];

/**
 * `props[key]` when `props` has it as an own property, else `undefined`; never an inherited one:
 * a getter on `Object.prototype` (a polluted or instrumented realm) must not run here, where Rust
 * builds its errors without a `catch` (a throw would unwind through its frames, and the call
 * waiting for this error would never settle). What an own getter or a Proxy throws is ignored.
 */
function own(props, key) {
  try {
    return Object.hasOwn(props, key) ? { value: props[key] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Text an error's JSON leaves out of its `cause`: `[from, to]` pairs (a request's query, a path as
 * filled), set by boundary.js for the ERR_NETWORK errors it makes. Kept beside the error, not on
 * it: `util.inspect(err, { showHidden: true })` and `console.log('%o', err)` print even a hidden
 * property, and the pairs hold the very text they hide.
 */
export const HIDDEN = new WeakMap();

/** `text` with each `from` of `pairs` replaced by its `to`. */
export const hide = (text, pairs = []) => pairs.reduce((t, [from, to]) => (from ? t.split(from).join(to) : t), text);

/** A data property as an assignment makes it, also where `Object.prototype` has an accessor of that name. */
export const field = (value) => ({ __proto__: null, value, writable: true, enumerable: true, configurable: true });

export class WxpayError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ status?: number, requestId?: string, detail?: unknown, response?: unknown, cause?: unknown }} [props]
   */
  constructor(code, message, props) {
    const object = props !== null && (typeof props === 'object' || typeof props === 'function');
    const cause = object ? own(props, 'cause') : undefined;
    super(message, cause === undefined ? undefined : { __proto__: null, cause: cause.value });
    Object.defineProperty(this, BRAND, { __proto__: null, value: true });
    Object.defineProperty(this, 'code', field(code));
    if (!object) return;
    for (const key of FIELDS) {
      const value = own(props, key)?.value;
      if (value !== undefined) Object.defineProperty(this, key, field(value));
    }
  }
}
Object.defineProperty(WxpayError, Symbol.hasInstance, {
  __proto__: null,
  value(value) {
    // A subclass keeps the ordinary prototype check.
    if (this !== WxpayError) return Function.prototype[Symbol.hasInstance].call(this, value);
    try {
      return (typeof value === 'object' || typeof value === 'function') && value !== null && value[BRAND] === true;
    } catch {
      return false; // a Proxy whose get trap throws is not ours
    }
  },
});
Object.defineProperty(WxpayError.prototype, 'name', { __proto__: null, value: 'WxpayError', writable: true, configurable: true });

const define = (name, value) => Object.defineProperty(WxpayError.prototype, name, { __proto__: null, value, writable: true, configurable: true });
/**
 * `WxpayError [CODE]: message`, as Node writes its own errors: a log line made with `${err}` says
 * which failure it was. (The stack is left to the runtime, which writes it from `name` and
 * `message` when it is first read.)
 */
define('toString', function toString() {
  const head = this.code === undefined ? String(this.name) : `${this.name} [${this.code}]`;
  return this.message ? `${head}: ${this.message}` : head;
});
/**
 * What `JSON.stringify(err)` writes: the name, code and message (an Error's own `message` is not
 * enumerable, so it was left out), its own `status`, `requestId`, `detail` and `attempts` when set
 * (never inherited ones), and a `cause` that is an Error as its name and message (one of ours as
 * its own JSON, three deep at most); not `response`, whose headers (a signature among them) add
 * nothing a log needs.
 */
define('toJSON', function toJSON() {
  return json(this, 3);
});

function json(error, depth) {
  const out = { name: error.name, code: own(error, 'code')?.value, message: error.message };
  for (const key of ['status', 'requestId', 'detail', 'attempts']) {
    const value = own(error, key)?.value;
    if (value !== undefined) out[key] = value;
  }
  const cause = own(error, 'cause')?.value;
  if (cause instanceof WxpayError && depth > 1) out.cause = json(cause, depth - 1);
  else if (isError(cause)) out.cause = hide(errorText(cause), HIDDEN.get(error));
  return out;
}

/**
 * Whether `v` is an Error, also of another realm (a `vm` context, Jest's test environment, whose
 * `fetch` errors are the host's): its tag says so, as `instanceof` does not. Never throws.
 */
export function isError(v) {
  try {
    return v instanceof Error || (typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Error]');
  } catch {
    return false;
  }
}

/**
 * `name: message` of an error (`code: message` of a WxpayError: `SIGN_ERROR: ...` says more in a
 * log line than its class), then the messages of up to three errors below it in `cause`, each
 * once: undici hides the real reason one level down (`connect ECONNREFUSED ...`) or three (a
 * proxy's `Proxy response (407) !== 200 when HTTP Tunneling` under `Request was cancelled.`),
 * none that the message quotes already. A getter that throws while the causes are read ends the
 * list there; one that throws on the error's own name or message makes it `an exception`. Never
 * throws.
 */
export function errorText(e) {
  let name, message;
  try {
    name = e instanceof WxpayError && typeof e.code === 'string' ? e.code : String(e.name);
    message = String(e.message);
  } catch {
    return 'an exception';
  }
  const head = `${name}: ${message}`;
  const below = [];
  try {
    for (let c = e.cause, depth = 0; isError(c) && depth < 3; c = c.cause, depth++) {
      const text = String(c.message);
      // Not a text the message already quotes (ERR_NETWORK's quotes its fetch's error: a download's
      // ERR_CERTIFICATE_DOWNLOAD quoting it would say that error twice).
      if (text && !quotes(message, text) && !below.includes(text)) below.push(text);
    }
  } catch { /* the list so far */ }
  return below.length ? `${head} (${below.join('; ')})` : head;
}

/** C0 and C1 controls, DEL, and the two line separators JavaScript counts as line breaks. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` with each of CONTROLS as `\\uXXXX` (boundary.js's describe quotes a thrown value so). */
export const escapeControls = (text) => text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Whether `message` quotes `text` whole, as errorText and boundary.js's describe quote one (its
 * controls escaped or not): after `: `, `(` or `; `, and before the end, `)`, `;` or ` (`. Not a
 * text that only occurs inside another (a cause's `failed` in its parent's `fetch failed`).
 */
function quotes(message, text) {
  for (const t of new Set([text, escapeControls(text)])) {
    for (let at = message.indexOf(t); at >= 0; at = message.indexOf(t, at + 1)) {
      const before = message.slice(Math.max(0, at - 2), at);
      const after = message.slice(at + t.length, at + t.length + 2);
      if ((before === ': ' || before.endsWith('(') || before === '; ') && (after === '' || after[0] === ')' || after[0] === ';' || after === ' (')) return true;
    }
  }
  return false;
}
