// Patches wasm-bindgen's glue (built with --experimental-reset-state-function)
// so that a trapped instance is replaced, not left to poison the process:
//
// - a closure of the Rust side (a promise callback, a microtask of
//   wasm-bindgen-futures, a timer) that throws marks the instance dead instead
//   of throwing into the runtime (an uncaught exception there ends a Node
//   process); nothing in our Rust throws out of a closure, so a throw there is
//   a trap, or a JS exception that unwound through Rust frames, as fatal;
// - so does a trap in Rust's drop code run by a finalizer or a closure release;
// - a closure of an instance that is dead or replaced does nothing when called
//   (the call it served was already rejected), and never touches the new one;
// - a failed re-instantiation leaves the reinit flag set, so the next call
//   tries again;
// - `__wxpay_recovery` lets pkg/wxpay.js mark the instance dead, hear of
//   traps and re-instantiate (see the Reliability section of README.md).
//
// Every edit must match exactly as often as expected (or, where the count depends on the
// build's features, at least once), or the build fails: a
// new wasm-bindgen that changes the glue is noticed here, not in production.
// Usage: node scripts/patch-glue.mjs path/to/wxpay_wasm.js
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
let glue = readFileSync(file, 'utf8');

function edit(what, pattern, replacement, count) {
  const found = glue.match(pattern)?.length ?? 0;
  if (count === 'some' ? found === 0 : found !== count) {
    throw new Error(`patch-glue: ${what}: expected ${count} match(es) of ${pattern} in ${file}, found ${found}`);
  }
  glue = glue.replace(pattern, replacement);
}

edit('stale closures do nothing',
  /throw new Error\('Cannot invoke closure from previous WASM instance'\);/g,
  'return;', 1);
edit('stale closures never free into the new instance',
  /if \(--state\.cnt === 0\) \{/g,
  'if (--state.cnt === 0 && state.instance === __wbg_instance_id) {', 1);
edit('a throw out of a closure marks the instance dead',
  /return f\((state\.a|a), state\.b, \.\.\.args\);/g,
  'try { __wxpay_depth++; return f($1, state.b, ...args); } catch (e) { __wxpay_trapped(e); return; } finally { __wxpay_depth--; }', 1);
// A Rust closure lent to JS for one synchronous call (the executor of `new Promise`, which
// wasm-bindgen-futures makes for every pending future): a trap inside it would become that
// promise's rejection, unseen, and leave the instance running in a broken state.
edit('a trap in a lent closure marks the instance dead',
  /return (wasm_bindgen__convert__closures_____invoke__\w+)\(a, state0\.b, arg0, arg1\);/g,
  'try { return $1(a, state0.b, arg0, arg1); } catch (e) { __wxpay_trapped(e); throw e; }', 'some');
// Rust's drop code runs from finalizers and closure releases, outside any call: a trap there
// marks the instance dead too, instead of escaping into the runtime.
const classes = glue.match(/new FinalizationRegistry\(\(\{ ptr, instance \}\)/g)?.length ?? 0;
if (classes === 0) throw new Error(`patch-glue: no class finalizer of the expected shape in ${file}`);
edit('a trap in a finalizer marks the instance dead',
  /(wasm\.__wbg_\w+_free\(ptr, 1\));/g,
  'try { $1; } catch (e) { __wxpay_trapped(e); }', classes);
edit('a trap in a closure release marks the instance dead',
  /(wasm\.__wbindgen_destroy_closure\(state\.a, state\.b\));/g,
  'try { $1; } catch (e) { __wxpay_trapped(e); }', 2);
edit('a failed re-instantiation is retried by the next call',
  /(function __wbg_call_guard\(\) \{\s*if \(__wbg_reinit_scheduled\) \{\s*)__wbg_reset_state\(\);/g,
  '$1__wxpay_reset();', 1);

// wasm-bindgen-futures queues its tasks with the global `queueMicrotask`, read at each call. A
// test's fake timers replace it (Jest's default `useFakeTimers()`, sinon's) with one that runs
// only when the test advances its clock: the platform certificate download (the one future those
// tasks drive) never ended, and every request waiting for it timed out. A resolved promise's
// `then` queues the same microtask, and no fake timer replaces it.
edit('tasks are queued by a resolved promise, which fake timers leave alone',
  /^(\s+)queueMicrotask\(arg0\);$/gm,
  '$1__wxpay_resolved.then(arg0);', 1);

// Rust fills objects and arrays of its own making (serde-wasm-bindgen's results: payment
// parameters, certificate lists, a hook's info; js-sys's indexed stores) through two imports
// without `catch`, `arg0[arg1] = arg2` and `arg0[arg1 >>> 0] = arg2`. An assignment runs a
// setter the key has on Object.prototype (or Array.prototype): one that throws unwound through
// Rust frames and trapped the instance, failing every call in flight. A defined property is
// what a fresh object's assignment makes, runs no setter and cannot throw on an object of ours
// (a key `__proto__` becomes an own property, never the prototype). The descriptor has no
// prototype: a `get` or `set` on Object.prototype would make it invalid, and the import throw.
edit('objects of ours are filled with defined properties, running no inherited setter',
  /arg0\[arg1\] = arg2;/g,
  'Reflect.defineProperty(arg0, arg1, { __proto__: null, value: arg2, writable: true, enumerable: true, configurable: true });', 1);
edit('arrays of ours are filled with defined elements, running no inherited setter',
  /arg0\[arg1 >>> 0\] = arg2;/g,
  'Reflect.defineProperty(arg0, arg1 >>> 0, { __proto__: null, value: arg2, writable: true, enumerable: true, configurable: true });', 1);

// A string that crosses into wasm is copied a character at a time while it is ASCII: about 40
// JIT instructions a character. A request carries two long ones (its signature, 344
// characters, and the answer's signature headers): TextEncoder.encodeInto copies those
// natively, 36k fewer JIT instructions a request (bench/profile/instructions.mjs; no change in
// CPU time beyond this machine's noise). Short strings keep the loop: no call and no view.
// Only a string that fits whole, one byte a character (all ASCII), is taken from encodeInto;
// any other leaves offset at 0 and the glue's own tail encodes all of it again.
edit('long strings cross into wasm by encodeInto',
  /(    const mem = getUint8ArrayMemory0\(\);\n\n    let offset = 0;\n\n)(    for \(; offset < len; offset\+\+\) \{)/g,
  `$1    if (len > 32) {
        if (cachedTextEncoder.encodeInto(arg, mem.subarray(ptr, ptr + len)).read === len) offset = len;
    } else
$2`, 1);

// An import that catches is `function() { return handleError(function (args) {...}, arguments); }`:
// a closure, an `arguments` object and an `apply` every call, about 15 calls a request (most of
// the glue's garbage, bench/profile/alloc.mjs). The same as a plain function with its own
// try/catch: what is caught is handed to Rust as before (the bodies never use `this`).
// Every call of handleError must have this shape: `edit` fails on fewer matches than calls.
const catching = glue.match(/return handleError\(function/g)?.length ?? 0;
if (catching === 0) throw new Error(`patch-glue: no catching import in ${file}`);
edit('catching imports catch in place',
  /function\(\) \{ return handleError\(function (\([^)]*\)) \{\n([\s\S]*?)\n        \}, arguments\); \}/g,
  'function $1 { try {\n$2\n        } catch (e) { __wxpay_store(e); } }', catching);
edit('the thrown value is stored for Rust, as handleError did',
  /function handleError\(f, args\) \{\n    try \{\n        return f\.apply\(this, args\);\n    \} catch \(e\) \{\n        const idx = addToExternrefTable0\(e\);\n        wasm\.__wbindgen_exn_store\(idx\);\n    \}\n\}/g,
  'function __wxpay_store(e) {\n    const idx = addToExternrefTable0(e);\n    wasm.__wbindgen_exn_store(idx);\n}', 1);

// The DataView of wasm memory (read by every import that hands Rust a string or a pair of
// numbers) is checked for staleness with `buffer.detached` where the engine has it (Node 22+),
// else by comparing with `wasm.memory.buffer`: a call into the engine's C++ API each time, a few
// a request on Node 20 (bench/profile/perf.mjs: v8's WebAssemblyMemoryGetBuffer). Memory that
// grows detaches its old buffer, whose byteLength is then 0: the check getUint8ArrayMemory0
// already makes, and as exact here (the memory is not shared).
edit('the DataView of wasm memory is checked as the Uint8Array is',
  /if \(cachedDataViewMemory0 === null \|\| cachedDataViewMemory0\.buffer\.detached === true \|\| \(cachedDataViewMemory0\.buffer\.detached === undefined && cachedDataViewMemory0\.buffer !== wasm\.memory\.buffer\)\) \{/g,
  'if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.byteLength === 0) {', 1);
// wasm-bindgen imports a module from which the .wasm calls functions directly (boundary.js's
// `result` and `taken`) once for each such function, `import * as importN from "<module>"`, and
// names each in the import object: the same key twice, which bundlers warn of (esbuild's
// duplicate-object-key, in every build of the CommonJS file) and where the last one wins. All are
// one module's namespace: the first import stays, the others go with their keys.
const imported = new Set();
const literal = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
for (const [, name, module] of glue.matchAll(/^import \* as (import\d+) from "([^"\\]+)"$/gm)) {
  if (!imported.has(module)) {
    imported.add(module);
    continue;
  }
  edit(`one namespace import of ${module}`, new RegExp(`^import \\* as ${name} from "${literal(module)}"\\n`, 'gm'), '', 1);
  edit(`one import-object key for ${module}`, new RegExp(`^ +"${literal(module)}": ${name},\\n`, 'gm'), '', 1);
}
const keys = [...glue.matchAll(/^ +("[^"]+"): import\d+,$/gm)].map((m) => m[1]);
if (keys.length === 0 || new Set(keys).size !== keys.length) {
  throw new Error(`patch-glue: the import object of ${file} should name each module once: ${keys.join(' ')}`);
}
glue += `
// --- wxpay-wasm: recovery after a trap (appended by scripts/patch-glue.mjs) ---
let __wxpay_listener = null;
const __wxpay_resolved = Promise.resolve();
let __wxpay_depth = 0; // closures of the Rust side running now

let __wxpay_unheard; // the trap whose listener call has not returned yet

/** Marks the instance dead: its objects and closures go stale at once, and the
 * next call into the module re-instantiates it. Tells the listener once per instance: where the
 * JS stack ended, the call to it may fail before it runs (or part-way), and the next report of a
 * trap (the call of the package below on the stack) makes it again, with the first trap's error. */
function __wxpay_trapped(error) {
    if (__wbg_reinit_scheduled) {
        __wxpay_tell_unheard();
        return;
    }
    __wbg_instance_id++;
    __wbg_reinit_scheduled = true;
    __wxpay_unheard = error;
    // At the latest in the microtask after it, where the stack is empty: queued first, as the call
    // below may fail before the listener runs, and nothing below on the stack may tell it again.
    __wxpay_resolved.then(__wxpay_tell_unheard);
    if (__wxpay_listener !== null) __wxpay_listener(error);
    __wxpay_unheard = undefined;
}

/** Tells the listener of a trap whose telling was cut short, if there is one. */
function __wxpay_tell_unheard() {
    const error = __wxpay_unheard;
    if (error === undefined || __wxpay_listener === null) return;
    __wxpay_listener(error);
    __wxpay_unheard = undefined;
}

function __wxpay_reset() {
    // A trap not yet told (its listener call failed where the stack ended): told before the
    // instance is replaced, so that the calls of the dead one are ended.
    __wxpay_tell_unheard();
    __wxpay_unheard = undefined;
    try {
        __wbg_reset_state();
    } catch (e) {
        __wbg_instance_id++;
        __wbg_reinit_scheduled = true;
        throw e;
    }
}

export const __wxpay_recovery = {
    /** Changes whenever the instance is marked dead or replaced. */
    instance: () => __wbg_instance_id,
    /** Whether the instance is dead and not yet replaced. */
    dead: () => __wbg_reinit_scheduled,
    /** Whether a closure of the Rust side is running (frames of an instance on the stack). */
    busy: () => __wxpay_depth > 0,
    trapped: __wxpay_trapped,
    /** Re-instantiates now if the instance is dead; throws if that fails (it stays dead). */
    reset() { if (__wbg_reinit_scheduled) __wxpay_reset(); },
    /** \`listener(error)\`: called when an instance is marked dead. */
    listen(listener) { __wxpay_listener = listener; },
    /** The listener's work for the trap is done (finished by other means than its own call). */
    heard() { __wxpay_unheard = undefined; },
};
`;
// `instanceof` holds for objects of this realm only. In an edge sandbox (a `vm` context whose
// `fetch` and `crypto.subtle` are the host's, as Next.js's Edge runtime has it) WebCrypto's
// ArrayBuffers are the host's: Rust's checks for an ArrayBuffer or a Promise read the object's
// tag too, which is the same in every realm.
edit('ArrayBuffer checks hold across realms',
  /result = arg0 instanceof ArrayBuffer;/g,
  "result = arg0 instanceof ArrayBuffer || Object.prototype.toString.call(arg0) === '[object ArrayBuffer]';", 1);
edit('Promise checks hold across realms',
  /result = arg0 instanceof Promise;/g,
  "result = arg0 instanceof Promise || Object.prototype.toString.call(arg0) === '[object Promise]';", 1);
// wasm-bindgen's declarations of the glue (wxpay_wasm.d.ts) describe its internal exports, which
// `exports` keeps out of reach: they are not shipped, so the glue names no types file.
edit('the glue names no declarations of its own',
  /^\/\* @ts-self-types="\.\/wxpay_wasm\.d\.ts" \*\/\n/gm,
  '', 1);
writeFileSync(file, glue);
