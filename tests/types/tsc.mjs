// A TypeScript compiler run through its command line (`node <tsc> -p <config>`), for the checks
// that run under more than the locked `typescript` (whose API the tests use): its version, and
// what a run reports, read from `--pretty false` and `--listFiles`; and the locked compiler's
// diagnostics in the same shape.
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import ts from 'typescript';

/** `[{ file, line, code, message }]` of a program of the locked `typescript`, as `tscDiagnostics` gives them. */
export function programDiagnostics(program) {
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file?.fileName,
    line: d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
  }));
}

/** `7.0.2` of `Version 7.0.2`. */
export function tscVersion(tsc) {
  const out = execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' });
  const m = /^Version (\S+)/m.exec(out);
  if (!m) throw new Error(`${tsc} --version printed ${JSON.stringify(out)}`);
  return m[1];
}

// `file(line,col): error TSnnnn: message`, or `error TSnnnn: message` for the program as a whole;
// a message's further lines are indented.
const DIAGNOSTIC = /^(?:(.+)\((\d+),\d+\): )?error TS(\d+): (.*)$/;

/**
 * `{ diagnostics: [{ file, line, code, message }], files }` of `tsc -p config --noEmit`: paths
 * absolute, `file` undefined for a global diagnostic, `files` every file the program read.
 */
export function tscDiagnostics(tsc, config, cwd = process.cwd()) {
  const run = spawnSync(process.execPath, [tsc, '-p', config, '--noEmit', '--pretty', 'false', '--listFiles'], {
    cwd, encoding: 'utf8', maxBuffer: 64 << 20,
  });
  if (run.error) throw run.error;
  // 0: no errors; 1 or 2: errors reported (TypeScript 7 and 5 differ). Anything else is a crash.
  if (![0, 1, 2].includes(run.status)) throw new Error(`${tsc} -p ${config}: exit ${run.status ?? run.signal}\n${run.stderr}${run.stdout}`);
  const diagnostics = [];
  const files = [];
  for (const line of run.stdout.split('\n')) {
    const m = DIAGNOSTIC.exec(line);
    if (m) diagnostics.push({ file: m[1] && resolve(cwd, m[1]), line: m[2] ? Number(m[2]) : 0, code: Number(m[3]), message: m[4] });
    else if (/^\s/.test(line) && diagnostics.length) diagnostics.at(-1).message += ` ${line.trim()}`;
    else if (line.trim()) files.push(resolve(cwd, line.trim()));
  }
  if (run.status !== 0 && diagnostics.length === 0) throw new Error(`${tsc} -p ${config}: exit ${run.status} with no diagnostic read\n${run.stderr}${run.stdout}`);
  return { diagnostics, files };
}
