// A copy of a package directory whose every crossing between JS and wasm, and a few points of
// boundary.js and wxpay.js on the answer's way, note the time in `globalThis.__trace` (an array
// of label, time, label, time... when one is set): for bench/profile/segments.mjs's `split`.
// The copy is made afresh in .work/split-<name>. Never shipped.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const NOTE = (label) => `globalThis.__trace?.push(${JSON.stringify(label)}, performance.now());`;

/** `text` with `before` replaced by `after` (which may use `$&`, the match), exactly once. */
function once(text, before, after, file) {
  const at = text.indexOf(before);
  if (at === -1 || text.indexOf(before, at + 1) !== -1) throw new Error(`instrument: ${file} no longer has exactly one ${JSON.stringify(before.slice(0, 60))}`);
  return text.slice(0, at) + after.replaceAll('$&', before) + text.slice(at + before.length);
}

/** Resolves the instrumented copy's directory. */
export function instrument(dir) {
  const root = resolve(import.meta.dirname, '../..');
  const from = resolve(root, dir);
  const to = resolve(root, '.work', `split-${basename(from)}`);
  rmSync(to, { recursive: true, force: true });
  mkdirSync(resolve(root, '.work'), { recursive: true });
  cpSync(from, to, { recursive: true });
  const patch = (file, edits) => {
    let text = readFileSync(resolve(to, file), 'utf8');
    for (const [before, after] of edits) text = once(text, before, after, file);
    writeFileSync(resolve(to, file), text);
  };
  patch('boundary.js', [
    ['    response = await g.race(fetchFn.call(thisArg, url, init));\n', `$&    ${NOTE('js: send resumed')}\n`],
    ['    answerHeaders = headerObject(response.headers, status);\n', `    ${NOTE('js: status read')}\n$&    ${NOTE('js: headers read')}\n`],
    ['    body = await readBody(response, stream, maxBytes, g, status, framed);\n', `$&    ${NOTE('js: body read')}\n`],
  ]);
  patch('wxpay.js', [['      after = run(glue.resume, slot, value, ok);\n', `      ${NOTE('js: drive resumes')}\n$&`]]);
  // Each import (wasm -> JS) and export (JS -> wasm) function, wrapped to note its name.
  patch('wxpay_wasm.js', [
    [
      '        "./wxpay_wasm_bg.js": import0,\n        "./boundary.js": import1,\n',
      '        "./wxpay_wasm_bg.js": __traced(import0, "wasm->JS "),\n        "./boundary.js": __traced(import1, "wasm->JS "),\n',
    ],
    ['    wasm = wasmInstance.exports;\n', '    wasm = __traced(wasmInstance.exports, "JS->wasm ");\n'],
    ['    wasm = instance.exports;\n', '    wasm = __traced(instance.exports, "JS->wasm ");\n'],
    [
      'function __wbg_get_imports() {\n',
      `function __traced(source, side) {
    const out = {};
    for (const key of Object.keys(source)) {
        const f = source[key];
        const label = side + key.replace(/^__wbg_/, '').replace(/_[0-9a-f]{16}$/, '');
        out[key] = typeof f !== 'function' ? f : function (...args) {
            globalThis.__trace?.push(label, performance.now());
            return f.apply(this, args);
        };
    }
    return out;
}
$&`,
    ],
  ]);
  return to;
}
