// The package's `Wxpay`: a thin class around the Rust client of the glue
// (wxpay_wasm.js) that survives a trap of the WebAssembly instance.
//
// A trap (a panic, out of memory, a stack overflow, or a JS exception that
// unwound through Rust frames) leaves the instance unusable. The glue, patched
// by scripts/patch-glue.mjs, marks it dead at once and re-instantiates it from
// the same compiled module before the next call. Here:
// - the call that trapped, and every call still pending, fails with
//   `ERR_INTERNAL` (the trap's error as `cause`);
// - each client keeps the options it was built from (as the Rust side read
//   them, bytes copied) and rebuilds its Rust half on the new instance at its
//   next call: keys are parsed again, caches start empty;
// - the chain is built here, in JS: a node keeps its path template and sends
//   through the live client when a verb is called, so nodes survive a recovery;
// - `Wxpay.onRecover(info)` hears of each recovery.
import * as glue from './wxpay_wasm.js';
import { useRecovery, chainSegment, abandonGuards, endGuards, halfPlaceholder, deleteBody, upTo, named, isBytes, isUnsentError, isCallersError, MAX_CERTS } from './boundary.js';
import { WxpayError } from './error.js';

const recovery = glue.__wxpay_recovery;
// boundary.js calls a download's digest (a Rust object) from stream callbacks, outside run().
useRecovery(recovery);

/** Recoveries so far, and the error of the latest trap. */
let count = 0;
let lastTrap;
/**
 * `reject` of every call whose promise has not settled yet, each with its `sent` (see `call`).
 * After a trap the calls of the dead instance move to `dying`, which the microtask after it
 * rejects: a fresh map takes the calls made meanwhile on the new instance.
 */
let pending = new Map();
let dying;
/**
 * Runs `task` in a microtask: a resolved promise's `then`, not `queueMicrotask`, which a test's
 * fake timers replace (Jest's default `useFakeTimers()`) with one that waits for their clock.
 */
const resolved = Promise.resolve();
const microtask = (task) => void resolved.then(task);
/** Calls of ours on the stack: no re-instantiation while frames of an instance may be below. */
let depth = 0;
/**
 * The most calls of ours on the stack at once: a caller's code that a call runs (a getter,
 * `toJSON`, a hook, `fetch`) may call a client again, and that call's caller code again, up to
 * this deep. Past it, recursion without end would run the JS stack out inside the glue, with Rust
 * frames below, where neither a catch of ours nor the trap's recovery can be sure to run.
 */
const MAX_DEPTH = 8;
/**
 * What escaped the glue (not a WxpayError: a trap, or an exception through Rust frames) and is not
 * yet reported: `run` stores it before anything else, for where the JS stack ended anything else
 * may throw again, and reports it as soon as it can (`settle`), at the latest in the `run` below
 * on the stack or the next call's.
 */
let escaped;

/**
 * The trap whose recovery has not run to its end: set first, cleared last. Where the JS stack
 * ended in the listener (a trap of a call made that deep), any call there may throw again: the
 * next `run` finishes it.
 */
let unfinished;

/**
 * The trap the listener last heard: the glue tells a trap again when the stack ended in (or
 * before) its first telling, which counts once. Let go with the dead instance (the microtask).
 */
let heard;

recovery.listen((error) => {
  if (heard !== error) {
    heard = error;
    count++;
    lastTrap = error;
  }
  unfinished = error;
  finishRecovery(error);
});

/**
 * Takes the calls in flight and their deadlines aside at once, and, in a microtask, ends them,
 * re-instantiates and tells `Wxpay.onRecover`. Ended there, where the JS stack is empty: a trap
 * may have ended it (a stack overflow), and V8 runs the process's rejection tracker for each
 * caller's promise that has no handler yet, which then fails and prints a trace (helper-178, 199
 * of them). A call made before that microtask runs is one of the new instance (a fresh `pending`).
 * Where the stack ends half-way here, the next `run` comes again: a call is in `pending` or
 * `dying`, or in both (rejected twice: the second does nothing), never dropped unsettled.
 */
function finishRecovery(error) {
  if (dying === undefined) {
    const fresh = new Map();
    dying = pending;
    pending = fresh;
  } else {
    // A second trap before the microtask: the calls made on the instance in between too.
    for (const [reject, sent] of pending) dying.set(reject, sent);
    pending.clear();
  }
  // Their deadlines (timers, signal listeners and fetches that Rust would have ended), taken
  // now and ended in the microtask: ended here, where the stack may end, a timer could stay
  // armed (helper-179).
  abandonGuards();
  // Once a trap: a telling made again (the first cut short where the stack ended) finds it queued.
  if (queued !== error) {
    microtask(recovered(error, count));
    queued = error;
  }
  // Done, whoever called: the glue tells it no more (helper-181: finished by a dead call's next
  // step, it was told again at the re-instantiation, and onRecover heard it twice).
  recovery.heard();
  unfinished = undefined;
}

/** The trap whose recovery's microtask is queued and has not run yet. */
let queued;

/**
 * The microtask after a trap, at a point where no frame of the dead instance is on the stack:
 * ends the dead instance's deadlines and calls, re-instantiates and tells `Wxpay.onRecover`, with
 * `n`, the recoveries counted at that trap.
 */
function recovered(error, n) {
  return () => {
    if (queued === error) queued = undefined;
    endGuards(internal(error));
    const calls = dying;
    dying = undefined;
    if (calls !== undefined) {
      for (const [reject, sent] of calls) reject(mayHaveTakenEffect(internal(error), sent));
    }
    if (heard === error) heard = undefined;
    try {
      recovery.reset();
      // A V8 error keeps its stack's frames, the dead instance and its memory with them,
      // until its stack is read: the package keeps no such error once it is not needed.
      if (lastTrap === error) lastTrap = undefined;
    } catch {
      // Still dead: the next call tries again and fails with ERR_INTERNAL if it cannot.
    }
    try {
      // Read inside the try: an accessor of the caller's may throw too.
      const hook = Wxpay.onRecover;
      if (typeof hook === 'function') hook({ cause: error, count: n });
    } catch {
      // A failing hook must not fail the package.
    }
  };
}

/**
 * A recovery that the JS stack's end cut short (its listener not called, or stopped part-way),
 * finished where there is room: by a call of the dead instance whose next step came. Else the next
 * call's `run` would, and the calls taken aside would wait for it. Never throws.
 */
function finishCutShort() {
  try {
    if (unfinished !== undefined) finishRecovery(unfinished);
    else if (recovery.dead()) recovery.trapped(undefined); // tells a trap not yet told, if any
  } catch { /* the next call's run comes again */ }
}

function internal(cause) {
  return new WxpayError(
    'ERR_INTERNAL',
    'the WebAssembly instance failed while this call was under way (in it, or in another call in flight); it is re-instantiated before the next call',
    { cause },
  );
}

function nested() {
  return new WxpayError(
    'ERR_NESTED_CALL',
    `a client called from code of yours that a call of the package runs (a getter, toJSON, a hook, fetch), ${MAX_DEPTH} such calls deep: refused`,
  );
}

function freed() {
  return new WxpayError('ERR_CLIENT_FREED', 'this Wxpay was freed (free() or `using`): create a new one');
}

/**
 * Runs `fn(a, b, c)`, which calls into the glue. A `WxpayError` is an ordinary
 * failure of the call; anything else escaping the glue means the instance trapped.
 */
function run(fn, a, b, c) {
  if (unfinished !== undefined) finishRecovery(unfinished);
  if (escaped !== undefined) settle();
  const seen = count;
  if (recovery.dead() && (depth > 0 || recovery.busy())) throw internal(lastTrap);
  if (depth >= MAX_DEPTH) throw nested();
  depth++;
  try {
    const value = fn(a, b, c);
    if (escaped !== undefined) settle();
    if (count !== seen) {
      // A Rust closure we called trapped. The promise the call made is dropped: it must not
      // reject unhandled later.
      if (waits(value)) Promise.resolve(value).catch(() => {});
      throw internal(lastTrap);
    }
    return value;
  } catch (e) {
    if (count !== seen) throw e instanceof WxpayError && e.code === 'ERR_INTERNAL' ? e : internal(lastTrap);
    // Kept before anything else is done: a plain store cannot fail, where at the JS stack's end a
    // call (even `instanceof`) could throw again. Unless what escaped further down is still kept.
    if (escaped === undefined) {
      escaped = e;
      if (e instanceof WxpayError) {
        escaped = undefined;
        throw e;
      }
    }
    const cause = escaped;
    settle();
    throw internal(cause);
  } finally {
    depth--;
  }
}

/** Reports `escaped` as the instance's trap. Throws only where the JS stack has ended. */
function settle() {
  const e = escaped;
  // A WxpayError is the glue's own throw, after Rust returned: stored when `instanceof` could not run.
  if (!(e instanceof WxpayError)) {
    try {
      recovery.trapped(e);
    } catch (again) {
      // The instance is marked dead before the listener runs, and a listener that throws changes
      // nothing; but where the stack ended the mark itself may not be made.
      if (!recovery.dead()) throw again;
    }
  }
  escaped = undefined;
}

/**
 * Whether a step gave a promise to wait for (else it gave the result). Not `instanceof Promise`:
 * a promise of another realm (an edge sandbox's `vm` context whose `fetch` and `crypto.subtle`
 * are the host's) would fail it and be taken for the result. A step's result is never callable
 * by `then`: Rust makes it from JSON, bytes, strings and booleans.
 */
const waits = (step) => step instanceof Promise || (typeof step === 'object' && step !== null && typeof step.then === 'function');

/**
 * What drops `reject` from `pending`: made out here, for a closure made in `call` would keep
 * `call`'s scope, and with it the promise the call waits for, which `unsettled` must see collected.
 */
const forgetter = (reject) => () => pending.delete(reject);

/**
 * `run` for the calls the Rust side starts and `drive` runs on: every failure rejects, and a trap
 * before it settles too. `sent`: the verb of a request that may change something (not a GET),
 * whose failures after sending say so (`mayHaveTakenEffect`).
 */
function call(fn, a, b, c, sent) {
  let step;
  try {
    step = run(fn, a, b, c);
  } catch (e) {
    // A trap in the call's own first step (a hook or a getter of the caller's that trapped it):
    // the dead instance's code may still have sent it (helper-179). Where the JS stack ends that
    // call may fail too: the error as it is then.
    let error = e;
    if (sent !== undefined) {
      try {
        error = mayHaveTakenEffect(e, sent);
      } catch { /* the stack's end */ }
    }
    return Promise.reject(error);
  }
  if (!waits(step)) return Promise.resolve(step);
  return new Promise((resolve, reject) => {
    pending.set(reject, sent);
    // A call of a dead instance (in `dying`) rejects itself when its next step comes first.
    drive(step, (value) => pending.delete(reject) && resolve(value), (error) => (pending.delete(reject) || dying?.delete(reject) === true) && reject(sent === undefined ? error : mayHaveTakenEffect(error, sent)), forgetter(reject));
  });
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const TAKEN_EFFECT = 'was sent and may have been carried out';
const MAYBE_TAKEN_EFFECT = 'may have been sent and carried out';

/**
 * `error` of a request that may change something, which was sent (`attempts` 1 or more) and whose
 * answer could not be trusted or did not arrive (`ERR_RESPONSE_*`, `ERR_TIMEOUT`, `ERR_ABORTED`,
 * `ERR_NETWORK`), or was a 5xx: the service may have done it (an order placed, a refund made). Its
 * message says so, naming the request by its method only (a path may hold an id written in
 * brackets), for a log read without the README: a new number sent after it could do it twice.
 * Not for a 4xx (refused), a connection that failed while opening (nothing was written; with the
 * default retries, neither was any try before it: a POST goes on to the backup host only after
 * such a one), or a WxpayError of the caller's fetch (handed on as it is). And ERR_INTERNAL of such
 * a request once it waited (a trap in it or in another call in flight, helper-178): whether it was
 * sent is not known, so it may have been.
 */
function mayHaveTakenEffect(error, v) {
  try {
    if (v === undefined || !(error instanceof WxpayError)) return error;
    const effect = error.code === 'ERR_INTERNAL' ? MAYBE_TAKEN_EFFECT : sentEffect(error);
    if (effect === undefined) return error;
    if (String(error.message).includes(effect)) return error; // once, whatever hands it on twice
    error.message += ` (the ${METHODS[v.method]} ${effect}: query it before sending it again, and send it again under the same number)`;
  } catch {
    // An error whose fields cannot be read or written is handed on as it is.
  }
  return error;
}

/** TAKEN_EFFECT for an error of a request that was sent and may have been done, as above; else undefined. */
function sentEffect(error) {
  if (!(error.attempts >= 1) || isUnsentError(error) || isCallersError(error)) return undefined;
  const { code, status } = error;
  if (status >= 400 && status < 500) return undefined;
  if (!(typeof code === 'string' && (code.startsWith('ERR_RESPONSE_') || code === 'ERR_TIMEOUT' || code === 'ERR_ABORTED' || code === 'ERR_NETWORK')) && !(status >= 500)) return undefined;
  return TAKEN_EFFECT;
}

/** The buffers `keep` made: ours to wipe (wipeKey), never the caller's. */
const COPIES = new WeakSet();
const copied = (copy) => (COPIES.add(copy), copy);

/** A copy of key bytes, so a caller who reuses or wipes their buffer does not change the client. */
function keep(value) {
  try {
    if (value instanceof ArrayBuffer) return copied(value.slice(0));
    if (ArrayBuffer.isView(value)) return copied(new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice());
  } catch {
    // A detached or odd buffer: kept as given, the Rust side judges it.
  }
  return value;
}

/** `options.certs` as a plain object of its entries, read once, their bytes copied. */
function copyCerts(certs) {
  // Not a map of serials (an array, a primitive): handed on as it is, for the boundary to refuse.
  if (certs === null || (typeof certs !== 'object' && typeof certs !== 'function')) return certs;
  try {
    if (Array.isArray(certs)) return certs;
  } catch {
    return certs; // a revoked Proxy: the boundary reports it
  }
  try {
    // A Map of serials (boundary.js reads one): its entries, copied the same way.
    // Bounded: an endless iterator stops here (the boundary then refuses the Map itself).
    if (certs instanceof Map) return new Map(upTo(certs, MAX_CERTS, () => new RangeError('too many certs')).map(([serial, pem]) => [serial, keep(pem)]));
    const copy = {};
    for (const [serial, pem] of Object.entries(certs)) {
      Object.defineProperty(copy, serial, { value: keep(pem), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  } catch {
    return certs;
  }
}

/**
 * The options as the Rust side reads them, and a record of what it read: each
 * option is read once, from the caller's object, and the record rebuilds the
 * client after a recovery with exactly the values it was validated with.
 */
function recorder(options) {
  if (options === null || (typeof options !== 'object' && typeof options !== 'function')) {
    return { given: options, recipe: options };
  }
  const recipe = Object.create(null);
  // The target stays empty and extensible, so the traps may answer for the caller's object.
  const given = new Proxy(Object.create(null), {
    get(_, key) {
      let value = Reflect.get(options, key); // a getter that throws throws to the Rust side, which reports it
      if (key === 'certs') value = copyCerts(value);
      if (typeof key === 'string') recipe[key] = keep(value);
      return value;
    },
    has: (_, key) => Reflect.has(options, key),
    ownKeys: () => Reflect.ownKeys(options),
    getOwnPropertyDescriptor(_, key) {
      const found = Reflect.getOwnPropertyDescriptor(options, key);
      return found && { ...found, configurable: true };
    },
  });
  return { given, recipe };
}

/** The verbs, in the order of the Rust side's `Method::ALL` (`request`'s `method` index). */
const VERBS = new Map([['get', 0], ['post', 1], ['put', 2], ['patch', 3], ['delete', 4]]);
const GET = 0;
const DELETE = 4;
/** The verbs that send a body: `(data, config)`; the others take `(config)`. */
const VERBS_WITH_DATA = new Set(['post', 'put', 'patch']);

/** The rejection of a verb called with more arguments than it reads; nothing is sent. */
function tooMany(verb) {
  const takes = VERBS_WITH_DATA.has(verb)
    ? `${verb}(data, config) takes two arguments, the body and the request config`
    : `${verb}(config) takes one argument, the request config`;
  return Promise.reject(new WxpayError('ERR_INVALID_PARAM',
    `${takes}: a further one would not be sent (placeholders, params, headers and the other options all go in the config)`));
}

/** The most children one node keeps: `wxpay.v3.a === wxpay.v3.a` below it. */
const CHILDREN_CACHED = 64;
/** Names a plain object answers from `Object.prototype` (`toString` aside). */
const OBJECT_PROTOTYPE_NAMES = new Set([
  'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'valueOf',
  '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

/**
 * What an assignment to a node's child (or any name but a verb) does: it throws. Ignored, a
 * test's stub (`wxpay.v3.pay = fake`) would have let the test send real, signed requests. A verb
 * is a method of the node's own: a test may replace it (`node.post = jest.fn()`, `jest.spyOn(node,
 * 'post')`, `vi.spyOn`, node:test's `mock.method`).
 */
function readOnly(prop) {
  const name = typeof prop === 'string' ? named(prop) : 'a symbol';
  throw new WxpayError('ERR_INVALID_PARAM',
    `a chain node's ${name} cannot be assigned: only its verbs (get, post, put, patch, delete) can be replaced`);
}

/** A verb kept on a node: a method of its own, not enumerable, that a test may replace. */
const ownVerb = (value) => ({ value, writable: true, configurable: true });

/**
 * The node prototype's `set` trap, an assignment to a name the node does not keep yet: a verb is
 * kept as given, anything else refused. It needs nothing of the node: one for every node.
 */
function assignVerb(target, prop, value, receiver) {
  if (!VERBS.has(prop)) return readOnly(prop);
  if (Reflect.defineProperty(receiver, prop, ownVerb(value))) return true;
  throw new WxpayError('ERR_INVALID_PARAM',
    `a chain node's \`${prop}\` cannot be replaced on a node that keeps nothing: frozen, or made afresh at each read (its parent keeps ${CHILDREN_CACHED} children)`);
}

/** The node prototype's `has` trap: a verb is there before it is read (sinon.stub asks first). */
const hasVerb = (target, prop) => VERBS.has(prop) || Reflect.has(target, prop);

/**
 * A chain node (`wxpay.v3.marketing.membercardOpen...`): an object whose property reads answer
 * - `get` `post` `put` `patch` `delete`: the verbs, which send requests;
 * - `then`: `undefined`, so `await node` settles to the node itself;
 * - `toString`, `toJSON`, `Symbol.toPrimitive`: the path template, so `String(node)` and
 *   `JSON.stringify(node)` send nothing;
 * - `Object.prototype` names and other symbols: what a plain object has;
 * - any other string: the child node for that segment.
 * A name is first answered by the node's prototype, a Proxy; a verb or a child it makes is then
 * kept as a property of the node's own (not enumerable), so every later call's path is read
 * as plain properties, with no trap (a child's getter still refuses a freed client). A verb is
 * kept as a method a test may replace or spy on; a child, or any other name, cannot be assigned.
 * Its path template is made by the Rust side's segment rule (`chainPart`) once, when first
 * needed; a node holds nothing of the Rust side, so it outlives a recovery unchanged.
 */
function chainNode(client, parent, segment) {
  const state = { parent, segment, template: undefined, children: 0, describe: null };
  const misses = new Proxy({}, {
    get(target, prop) {
      if (typeof prop === 'symbol') return prop === Symbol.toPrimitive ? describer(client, state) : Reflect.get(target, prop);
      if (prop === 'then') return undefined;
      if (prop === 'toString' || prop === 'toJSON') return describer(client, state);
      if (OBJECT_PROTOTYPE_NAMES.has(prop)) return Reflect.get(target, prop);
      if (VERBS.has(prop)) return verbOf(prop);
      if (client.freed()) throw freed();
      const child = chainNode(client, state, prop).node;
      // Segments written in code are few; raw ids (`outTradeNo[id]`) are endless: keep so many.
      if (state.children < CHILDREN_CACHED) {
        state.children++;
        Reflect.defineProperty(state.node, prop, {
          get() {
            if (client.freed()) throw freed();
            return child;
          },
          set: () => readOnly(prop),
          configurable: true,
        });
      } else {
        // Made afresh at each read, it keeps nothing: a verb a test put on it would be lost with
        // it, so that assignment (or spy) fails instead.
        Object.preventExtensions(child);
      }
      return child;
    },
    set: assignVerb,
    // A spy (sinon.stub, vi.spyOn, node:test's mock.method) asks whether the node has a verb, and
    // looks for it down the prototype chain, before it reads it: a verb not kept yet is made and
    // kept, and found here; one the node has (a test's own) is left as it is.
    has: hasVerb,
    getOwnPropertyDescriptor(target, prop) {
      if (typeof prop !== 'string' || !VERBS.has(prop) || !Reflect.isExtensible(target)) return Reflect.getOwnPropertyDescriptor(target, prop);
      return ownVerb(Object.hasOwn(state.node, prop) ? state.node[prop] : verbOf(prop));
    },
  });
  /**
   * The verb `prop` of this node, made and kept as the node's own method. A verb takes (config)
   * or (data, config): an argument past those would be dropped in silence, so it rejects.
   * Checked against undefined, not by `arguments`: nothing is made a call, and
   * `get(config, undefined)` is still one argument.
   */
  function verbOf(prop) {
    const v = { client, state, method: VERBS.get(prop), names: null };
    const verb = VERBS_WITH_DATA.has(prop)
      ? (a, b, extra) => (extra === undefined ? call(sendVerb, v, a, b, v) : tooMany(prop))
      : (a, extra) => (extra === undefined ? call(sendVerb, v, a, undefined, v.method === GET ? undefined : v) : tooMany(prop));
    // Reflect: on a node that keeps nothing, nothing is kept, and nothing throws.
    Reflect.defineProperty(state.node, prop, ownVerb(verb));
    return verb;
  }
  state.node = Object.create(misses);
  return state;
}

/**
 * The path template of `state` (`v3/...`), made once and kept on it and on its parent: the
 * parent's serves its other children (`outTradeNo[id]` for each id) in one step, and the nodes
 * further up keep none, so a chain however deep holds two copies of a path, not one a node.
 * Inside `run`. A loop, not a recursion: a chain may be deeper than the JS stack. Each segment
 * crosses alone, bounded with the path's length so far (`chainSegment`: ERR_INVALID_PARAM).
 */
function template(state) {
  if (state.template !== undefined) return state.template;
  if (state.parent === null) return (state.template = 'v3');
  const parent = state.parent;
  parent.template ??= joined(parent);
  state.template = `${parent.template}/${glue.chainPart(chainSegment(parent.template.length, state.segment))}`;
  return state.template;
}

/** The path template of `state`, from the nearest node that keeps one, joined once. */
function joined(state) {
  const todo = [];
  let top = state;
  for (; top.template === undefined && top.parent !== null; top = top.parent) todo.push(top);
  const parts = [top.template ?? 'v3'];
  let length = parts[0].length;
  for (let i = todo.length - 1; i >= 0; i--) {
    const part = glue.chainPart(chainSegment(length, todo[i].segment));
    parts.push(part);
    length += 1 + part.length;
  }
  return parts.join('/');
}

/** Sends the verb `v` of its node on the live client (inside `run`). */
function sendVerb(v, a, b) {
  const inner = v.client.live();
  const path = template(v.state);
  // The template's placeholder names, which every request's config is read against: once per verb.
  v.names ??= glue.placeholderNames(path);
  try {
    if (v.method === DELETE) {
      const split = deleteBody(a, v.names);
      if (split !== undefined) return inner.request(path, DELETE, v.names, split[0], split[1]);
    }
    return inner.request(path, v.method, v.names, a, b);
  } catch (e) {
    // The config is read before the request's first wait: a key the path half names as a
    // placeholder (`_out_trade_no`) is told here, where the path is known.
    throw halfPlaceholder(e, path);
  }
}

/** What `glue.parked()` says when a step's promise is the request's own result. */
const HANDED_OFF = 0xffffffff;

/**
 * A parked call whose promise is collected unsettled can never resume (a caller's `fetch` that
 * never answers; in workerd, the I/O of a request that ended while a call it did not await went
 * on): the call is dropped, with the client and buffers it held, and its promise, left pending, is
 * no longer kept for a recovery to reject (`forget`). Unregistered when the promise settles, for
 * its slot may then hold another call.
 */
const unsettled = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ slot, instance, forget }) => {
    forget();
    if (recovery.instance() !== instance) return;
    try {
      run(glue.discard, slot);
    } catch { /* a trap: the instance is marked dead and replaced at the next call */ }
  })
  : undefined;

/**
 * Runs a call the Rust side started (src/wasm/driver.rs): a request, and every other method that
 * resolves later. While a step returns a promise, the call waits for it (a fetch, a WebCrypto
 * operation, a back-off...): its outcome is handed back to the parked call, which runs on.
 * Anything else a step returns is the result (`resolve`); what it throws, the error (`reject`).
 * A step that traps, or an instance replaced meanwhile (the call died with it), ends the call with
 * ERR_INTERNAL. Plain `then` callbacks, no async function: one promise a wait, none to settle.
 */
function drive(step, resolve, reject, forget) {
  const slot = glue.parked();
  if (slot === HANDED_OFF) {
    step.then(resolve, reject);
    return;
  }
  const instance = recovery.instance();
  // A promise of this realm whatever `step` is (a promise of another realm, a thenable that keeps
  // no reference to itself): it lives as long as anything can still settle it.
  const waited = Promise.resolve(step);
  const parked = { slot, instance, forget };
  unsettled?.register(waited, parked, parked);
  const next = (value, ok) => {
    unsettled?.unregister(parked);
    if (recovery.instance() !== instance) {
      finishCutShort();
      reject(internal(lastTrap));
      return;
    }
    let after;
    try {
      after = run(glue.resume, slot, value, ok);
    } catch (e) {
      reject(e);
      return;
    }
    if (waits(after)) drive(after, resolve, reject, forget);
    else resolve(after);
  };
  waited.then((value) => next(value, true), (error) => next(error, false));
}

/** `toString`, `toJSON`, `Symbol.toPrimitive`: the path template. */
function describer(client, state) {
  state.describe ??= () => {
    if (client.freed()) throw freed();
    return run(() => template(state));
  };
  return state.describe;
}

/** A WeChat Pay APIv3 client. See index.d.ts and README.md. */
export class Wxpay {
  /** What the Rust side read from the options, to rebuild it after a recovery. */
  #recipe;
  /** The Rust client, and the instance it lives in. */
  #inner;
  #instance;
  #freed = false;
  /** The state of the chain's root node (`wxpay.v3`), made at first use. */
  #v3 = null;
  #notifications = null;
  #client = { live: () => this.#live(), freed: () => this.#freed };
  /**
   * Fired by `free()`: ends a certificate download under way (see `Client::freed`). None where
   * an AbortController may not be made now: workerd's global scope, where a Worker may make its
   * client (and a request's I/O ends with it anyway).
   */
  #stop = stopper();

  constructor(options) {
    const { given, recipe } = recorder(options);
    try {
      this.#inner = run(() => new glue.Wxpay(given, this.#stop?.signal));
    } catch (e) {
      // Refused: the key's copy kept for a rebuild goes now, not with the collector.
      wipeKey(recipe);
      throw e;
    }
    this.#instance = recovery.instance();
    this.#recipe = recipe;
  }

  /** The Rust client in the live instance, rebuilt if the instance was replaced. Inside `run`. */
  #live() {
    if (this.#freed) throw freed();
    if (this.#instance !== recovery.instance()) {
      // The old Rust client died with its instance: never free it into the new one.
      this.#inner = new glue.Wxpay(this.#recipe, this.#stop?.signal);
      this.#instance = recovery.instance();
    }
    return this.#inner;
  }

  get v3() {
    if (this.#freed) throw freed();
    return (this.#v3 ??= chainNode(this.#client, null, undefined)).node;
  }

  get notifications() {
    if (this.#freed) throw freed();
    if (this.#notifications === null) {
      const live = () => this.#live().notifications;
      this.#notifications = {
        parse: (input) => call(() => live().parse(input)),
        success: () => run(() => live().success()),
        failure: (message, status) => run(() => live().failure(message, status)),
      };
    }
    return this.#notifications;
  }

  get wechatpaySerial() {
    return run(() => this.#live().wechatpaySerial);
  }

  get crypto() {
    return run(() => this.#live().crypto);
  }

  encrypt(text) {
    return call(() => this.#live().encrypt(text));
  }

  decrypt(ciphertext) {
    return call(() => this.#live().decrypt(ciphertext));
  }

  decryptResource(resource) {
    return call(() => this.#live().decryptResource(resource));
  }

  sign(message) {
    return call(() => this.#live().sign(message));
  }

  verify(message, signature, serial) {
    return call(() => this.#live().verify(message, signature, serial));
  }

  jsapiParams(input) {
    return call(() => this.#live().jsapiParams(input));
  }

  appParams(input) {
    return call(() => this.#live().appParams(input));
  }

  certificates() {
    return call(() => this.#live().certificates());
  }

  download(data, options) {
    return call(() => this.#live().download(data, options));
  }

  /** Releases the Rust side now; any later use throws or rejects `ERR_CLIENT_FREED`. */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    const inner = this.#inner;
    const live = this.#instance === recovery.instance();
    wipeKey(this.#recipe);
    this.#inner = null;
    this.#recipe = null;
    // A certificate download under way ends now (its fetch aborted), not at its own deadline.
    // Its abort runs a caller's fetch's listeners: never while one of our calls is running.
    const stop = this.#stop;
    const abort = () => { try { stop?.abort(freed()); } catch { /* a listener threw, or another request's signal */ } };
    if (!live) return abort();
    // Called from caller code that one of our calls is running (a getter, a hook, a fetch): the
    // Rust object is borrowed by that call until it returns, so it is released just after.
    if (depth > 0) {
      const instance = this.#instance;
      microtask(() => {
        abort();
        try {
          if (instance === recovery.instance()) run(() => inner.free());
        } catch {
          // A trap (ERR_INTERNAL): reported by run, the instance replaced; nothing to free in it.
        }
      });
    } else {
      abort();
      run(() => inner.free());
    }
  }
}

/** Overwrites the key bytes a recipe kept with zeros: `keep`'s copy only (a string cannot be). */
function wipeKey(recipe) {
  const key = recipe?.privateKey;
  if (!COPIES.has(key)) return;
  if (key instanceof Uint8Array) key.fill(0);
  else new Uint8Array(key).fill(0);
}

/** An AbortController, or undefined where none may be made now (workerd's global scope). */
function stopper() {
  try {
    return new AbortController();
  } catch {
    return undefined;
  }
}

/**
 * Called after each recovery, once the instance is re-instantiated, with
 * `{ cause, count }`: the trap's error and the number of recoveries so far.
 * What it throws is ignored.
 */
Wxpay.onRecover = null;
if (Symbol.dispose) Wxpay.prototype[Symbol.dispose] = Wxpay.prototype.free;

/** `wxpay.notifications.success()`, for handlers without a client. */
export function notifySuccess() {
  return run(() => glue.notifySuccess());
}

/** `wxpay.notifications.failure(message, status)`, for handlers without a client. */
export function notifyFailure(message, status) {
  return run(() => glue.notifyFailure(message, status));
}

/**
 * A bill's text or bytes as `{ rows, summary }` (Rust: src/bill.rs). A bill ends with its
 * summary (the totals' names and their values): text without one is refused, as a bill cut
 * short (a file half written, a download broken off) or not a bill (an error page on one line),
 * which would else read as fewer rows, or none, and no error.
 */
export function parseBill(input) {
  if (gzipped(input)) throw new WxpayError('ERR_INVALID_PARAM', `parseBill: ${gzipBill('wxpay.download(data)')}`);
  const bill = billParts(input);
  summaryOf(bill.summary, 'parseBill');
  return bill;
}

/** What a bill's GZIP bytes are told (a bill asked for with tar_type GZIP, saved as it came). */
export const gzipBill = (download) => `the bytes are GZIP (a bill asked for with tar_type GZIP, saved as it came): gunzip them first, or fetch the bill with ${download}, which gunzips and checks it`;

/**
 * Whether `input` is bytes that begin as GZIP does (1f 8b), or such bytes read as UTF-8 text (the
 * 8b a U+FFFD). Bytes are what the bill readers take (boundary.js's isBytes: a SharedArrayBuffer
 * and another realm's buffers too). Never throws: a detached or odd buffer is not.
 */
export function gzipped(input) {
  try {
    if (typeof input === 'string') return input.startsWith('\u001f\ufffd');
    if (!isBytes(input)) return false;
    const view = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, Math.min(2, input.byteLength)) : new Uint8Array(input, 0, Math.min(2, input.byteLength));
    return view.length === 2 && view[0] === 0x1f && view[1] === 0x8b;
  } catch {
    return false;
  }
}

/** `summary`, or the error of a bill that ends without one, said by `what` (parseBill, readBill). */
export function summaryOf(summary, what) {
  if (Object.keys(summary).length === 0) throw new WxpayError('ERR_INVALID_PARAM', `${what}: the bill ends without its summary (the totals' names and values after the records): a bill cut short, or not a bill`);
  return summary;
}

/** parseBill without the summary's check: readBill's batches of records, and its summary. */
export function billParts(input) {
  const { header, rows, summary } = JSON.parse(run(() => glue.parseBill(input)));
  // Each record's object shares the header's names (no copy per record); fromEntries makes
  // own data properties, whatever a name is (`__proto__` too).
  const record = (values) => Object.fromEntries(values.map((value, i) => [header[i], value]));
  return { rows: rows.map(record), summary: Object.fromEntries(summary) };
}

export { run as __run };
