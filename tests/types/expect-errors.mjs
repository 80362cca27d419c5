// Checks that each `// @ts-expect-error TSnnnn: why` in tests/types fails
// for the stated reason, not merely fails: the files are compiled with the
// directives disabled, and every diagnostic must be one the line above
// announced (same line, same code), and every announced error must occur.
// Also checks that the program really read both declaration files of the
// installed package: index.d.ts (import) and index.d.cts (require).
//
//   node tests/types/expect-errors.mjs [tests/types/tsconfig.json] [--tsc <path of a tsc>]
//
// Without --tsc, through the API of the locked `typescript`. With it, through that compiler's
// command line (TypeScript 7 has no such API; an older one is run the same way): the files go,
// directives disabled, to .work/tsc-<version>/ (as deep as tests/types, so their relative imports
// hold), its diagnostics are read from `--pretty false` and the files it read from `--listFiles`.
// Another compiler may report an error a marker names under another code: a newer one names the
// missing property (TS2741) where 5.9 reports the argument (TS2345); 4.7 reports an excess property
// as the assignment it breaks (TS2345, TS2322), and `unknown` and `undefined` under the codes they
// had before 4.8. Such a code counts only with the message of that same error (EQUIVALENT).
import ts from 'typescript';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { programDiagnostics, tscDiagnostics, tscVersion } from './tsc.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--tsc');
const tsc = at >= 0 ? resolve(args.splice(at, 2)[1]) : undefined;
const configPath = resolve(args[0] ?? 'tests/types/tsconfig.json');

const DIRECTIVE = /^\s*\/\/ @ts-expect-error\b/;
const MARKER = /^\s*\/\/ @ts-expect-error (TS\d+)\b/;
const expected = new Map(); // file (as the tests have it) -> Map(line of the failing code -> code)
const problems = [];

/** The text of a test file with its directives disabled (same length and lines); its markers noted. */
function disabled(fileName, text) {
  const lines = text.split('\n');
  const marks = new Map();
  lines.forEach((line, i) => {
    if (!DIRECTIVE.test(line)) return;
    const m = MARKER.exec(line);
    if (!m) problems.push(`${fileName}:${i + 1}: @ts-expect-error without the code it expects (write "// @ts-expect-error TSnnnn: why")`);
    else marks.set(i + 2, m[1]); // the line the directive covers
  });
  expected.set(fileName, marks);
  return lines.map((l) => (DIRECTIVE.test(l) ? l.replace('@ts-expect-error', '@ts-expect-xxxxx') : l)).join('\n');
}

/** `{ file, line, code, message }` of each diagnostic, and the files the program read. */
function compileWithApi() {
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const sf = getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
    if (!sf || !parsed.fileNames.includes(fileName)) return sf;
    return ts.createSourceFile(fileName, disabled(fileName, sf.text), languageVersion, true);
  };
  const program = ts.createProgram(parsed.fileNames, parsed.options, host);
  const diagnostics = programDiagnostics(program);
  return { version: ts.version, diagnostics, files: program.getSourceFiles().map((f) => f.fileName), ownFiles: parsed.fileNames };
}

function compileWithCli() {
  const version = tscVersion(tsc);
  const from = dirname(configPath);
  const dir = resolve(from, '../..', '.work', `tsc-${version}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const copies = new Map(); // the copy's path -> the test file's
  for (const name of readdirSync(from)) {
    if (name.endsWith('.json')) copyFileSync(join(from, name), join(dir, name));
    else if (/\.c?ts$/.test(name)) {
      const file = join(from, name);
      copies.set(join(dir, name), file);
      writeFileSync(join(dir, name), disabled(file, readFileSync(file, 'utf8')));
    }
  }
  const { diagnostics, files } = tscDiagnostics(tsc, join(dir, basename(configPath)));
  const own = (f) => copies.get(f) ?? f;
  return {
    version,
    diagnostics: diagnostics.map((d) => ({ ...d, file: d.file && own(d.file) })),
    files: files.map(own),
    // What the program compiled of tests/types (tsconfig's include and exclude, as that compiler read them).
    ownFiles: files.filter((f) => copies.has(f)).map(own),
  };
}

const { version, diagnostics, files, ownFiles } = tsc ? compileWithCli() : compileWithApi();
// Markers count only in the files the config compiles (a file it excludes is not checked by it).
for (const file of expected.keys()) if (!ownFiles.includes(file)) expected.delete(file);

/**
 * For a marker's code, the codes (with the message that makes them the same error) under which
 * a compiler other than the locked one may report it.
 */
const EXCESS = /Object literal may only specify known properties/;
const EQUIVALENT = {
  TS2345: [[2741, /^Property '[^']+' is missing in type/], [2739, /is missing the following properties from type/]],
  TS2353: [[2345, EXCESS], [2322, EXCESS]],
  TS2561: [[2345, EXCESS], [2322, EXCESS]],
  TS18046: [[2571, /^Object is of type 'unknown'\.$/]],
  TS18048: [[2532, /^Object is possibly 'undefined'\.$/]],
};

/** Whether `d` is the error a marker announces as `code`. */
function announced(code, d) {
  if (code === `TS${d.code}`) return true;
  if (!tsc) return false;
  const same = (EQUIVALENT[code] ?? []).some(([other, message]) => other === d.code && message.test(d.message));
  if (same) equivalents++;
  return same;
}

let equivalents = 0;
const seen = new Map();
for (const d of diagnostics) {
  const where = d.file ? `${d.file}:${d.line}` : '(global)';
  const marks = d.file && expected.get(d.file);
  if (!marks || !marks.has(d.line) || !announced(marks.get(d.line), d)) {
    problems.push(`${where}: unexpected TS${d.code} ${d.message}${marks?.has(d.line) ? ` (the marker expects ${marks.get(d.line)})` : ''}`);
    // A marked line that fails otherwise than announced does not also "compile".
    if (marks?.has(d.line)) seen.set(`${d.file}:${d.line}`, true);
    continue;
  }
  seen.set(`${d.file}:${d.line}`, true);
}
let count = 0;
for (const [file, marks] of expected) {
  for (const [line, code] of marks) {
    count++;
    if (!seen.has(`${file}:${line}`)) problems.push(`${file}:${line}: expected ${code}, but the line compiles`);
  }
}

for (const decl of ['node_modules/wxpay-wasm/index.d.ts', 'node_modules/wxpay-wasm/index.d.cts']) {
  if (ownFiles.some((f) => f.endsWith('.cts')) || decl.endsWith('.d.ts')) {
    if (!files.some((f) => f.endsWith(decl))) problems.push(`the program never read ${decl}: the tests do not cover it`);
  }
}

const config = configPath.replace(`${process.cwd()}/`, '');
if (problems.length) {
  console.error(`TypeScript ${version}, ${config}:\n${problems.join('\n')}`);
  process.exit(1);
}
const under = equivalents ? `, ${equivalents} of them under the code this compiler gives that error` : '';
console.log(`expect-errors: ${count} expected errors, each with its code${under} (TypeScript ${version}, ${config})`);
