// Checks that each `// @ts-expect-error TSnnnn: why` in tests/types fails
// for the stated reason, not merely fails: the files are compiled with the
// directives disabled, and every diagnostic must be one the line above
// announced (same line, same code), and every announced error must occur.
// Also checks that the program really read both declaration files of the
// installed package: index.d.ts (import) and index.d.cts (require).
//
//   node tests/types/expect-errors.mjs [tests/types/tsconfig.json]
import ts from 'typescript';
import { dirname, resolve } from 'node:path';

const configPath = resolve(process.argv[2] ?? 'tests/types/tsconfig.json');
const read = ts.readConfigFile(configPath, ts.sys.readFile);
if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));

const DIRECTIVE = /^\s*\/\/ @ts-expect-error\b/;
const MARKER = /^\s*\/\/ @ts-expect-error (TS\d+)\b/;
const expected = new Map(); // file -> Map(line of the failing code -> code)
const problems = [];

const host = ts.createCompilerHost(parsed.options);
const getSourceFile = host.getSourceFile;
host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
  const sf = getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
  if (!sf || !parsed.fileNames.includes(fileName)) return sf;
  const lines = sf.text.split('\n');
  const marks = new Map();
  lines.forEach((line, i) => {
    if (!DIRECTIVE.test(line)) return;
    const m = MARKER.exec(line);
    if (!m) problems.push(`${fileName}:${i + 1}: @ts-expect-error without the code it expects (write "// @ts-expect-error TSnnnn: why")`);
    else marks.set(i + 2, m[1]); // the line the directive covers

  });
  expected.set(fileName, marks);
  // Same length and lines, directive disabled.
  const text = lines.map((l) => (DIRECTIVE.test(l) ? l.replace('@ts-expect-error', '@ts-expect-xxxxx') : l)).join('\n');
  return ts.createSourceFile(fileName, text, languageVersion, true);
};

const program = ts.createProgram(parsed.fileNames, parsed.options, host);
const seen = new Map();
for (const d of ts.getPreEmitDiagnostics(program)) {
  const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '(global)';
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  const marks = d.file && expected.get(d.file.fileName);
  const line = d.file && d.file.getLineAndCharacterOfPosition(d.start).line + 1;
  if (!marks || marks.get(line) !== `TS${d.code}`) {
    problems.push(`${where}: unexpected TS${d.code} ${message}${marks?.has(line) ? ` (the marker expects ${marks.get(line)})` : ''}`);
    continue;
  }
  seen.set(`${d.file.fileName}:${line}`, true);
}
let count = 0;
for (const [file, marks] of expected) {
  for (const [line, code] of marks) {
    count++;
    if (!seen.has(`${file}:${line}`)) problems.push(`${file}:${line}: expected ${code}, but the line compiles`);
  }
}

const files = program.getSourceFiles().map((f) => f.fileName);
for (const decl of ['node_modules/wxpay-wasm/index.d.ts', 'node_modules/wxpay-wasm/index.d.cts']) {
  if (parsed.fileNames.some((f) => f.endsWith('.cts')) || decl.endsWith('.d.ts')) {
    if (!files.some((f) => f.endsWith(decl))) problems.push(`the program never read ${decl}: the tests do not cover it`);
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`expect-errors: ${count} expected errors, each with its code (${configPath.replace(`${process.cwd()}/`, '')})`);
