// make bench, types section: the size of the declarations and of the package, and
// what they cost a user's type check: `tsc --noEmit --extendedDiagnostics` on
// bench/types/user.ts (20 typed calls from 20 tag families) against pkg/index.d.cts
// (the declarations, which index.d.ts re-exports), beside the same file against
// bench/types/baseline.d.ts (the declarations of main before issue 12). Targets (issue 12): check time at most 2 s, declarations at most
// 3 MB raw, no instantiation depth error (TS2589), no `any` in an answer.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const RUNS = 3;

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n) => `${(n / 2 ** 20).toFixed(2)} MiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A folder with the user file beside `declarations` as index.d.ts. */
function project(name, declarations) {
  const dir = join(root, '.work/bench-types', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(declarations, join(dir, 'index.d.ts'));
  copyFileSync(join(root, 'bench/types/user.ts'), join(dir, 'user.ts'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

/** One `tsc --extendedDiagnostics` run: its figures, and the error codes it printed. */
function check(dir, skipLibCheck) {
  const config = { compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], module: 'nodenext', moduleResolution: 'nodenext', types: [], skipLibCheck, skipDefaultLibCheck: true }, files: ['user.ts'] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  const r = spawnSync(process.execPath, [tsc, '-p', dir, '--extendedDiagnostics'], { cwd: dir, encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  const num = (label) => Number((new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(out) ?? [])[1]);
  return {
    check: num('Check time'),
    total: num('Total time'),
    memory: num('Memory used') * 1024,
    instantiations: num('Instantiations'),
    types: num('Types'),
    errors: [...out.matchAll(/error (TS\d+)/g)].map((m) => m[1]),
  };
}

/**
 * The CPU time of the check alone, in this process (the machine is shared: wall
 * time grows with other people's load, CPU time much less).
 */
function checkCpu(dir, skipLibCheck) {
  const { config } = ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile);
  const { options, fileNames } = ts.parseJsonConfigFileContent({ ...config, compilerOptions: { ...config.compilerOptions, skipLibCheck } }, ts.sys, dir);
  const program = ts.createProgram(fileNames, options);
  const start = process.cpuUsage();
  ts.getPreEmitDiagnostics(program);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function measure(dir, skipLibCheck) {
  const runs = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(check(dir, skipLibCheck));
    cpu.push(checkCpu(dir, skipLibCheck));
  }
  return {
    cpu: median(cpu),
    check: median(runs.map((r) => r.check)),
    total: median(runs.map((r) => r.total)),
    memory: median(runs.map((r) => r.memory)),
    instantiations: runs[0].instantiations,
    types: runs[0].types,
    errors: [...new Set(runs.flatMap((r) => r.errors))],
  };
}

function unpackedSize() {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', './pkg'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out)[0].unpackedSize;
}

export async function types() {
  const ours = join(root, 'pkg/index.d.cts');
  const baseline = join(root, 'bench/types/baseline.d.ts');
  const decl = readFileSync(ours);
  const base = readFileSync(baseline);
  const rows = [];
  const dirs = { ours: project('ours', ours), baseline: project('baseline', baseline) };
  // Side by side, alternating, so both see the same machine load.
  const figures = { ours: {}, baseline: {} };
  for (const skip of [false, true]) {
    for (const which of ['baseline', 'ours']) figures[which][skip] = measure(dirs[which], skip);
  }
  for (const which of ['ours', 'baseline']) {
    for (const skip of [false, true]) {
      const f = figures[which][skip];
      rows.push(
        `| ${which === 'ours' ? 'this package' : 'baseline (main before issue 12)'} | ${skip ? 'true' : 'false'} | ${f.check.toFixed(2)} s | ${f.cpu.toFixed(2)} s | ${f.total.toFixed(2)} s | ${mib(f.memory)} | ${f.instantiations} | ${f.types} | ${f.errors.length ? f.errors.join(' ') : 'none'} |`,
      );
    }
  }
  const depth = figures.ours[false].errors.includes('TS2589') || figures.ours[true].errors.includes('TS2589');
  const anyInDecl = /:\s*any\b|<any>|\bany\[\]/.test(decl.toString('utf8'));
  const markdown = [
    `Declarations (pkg/index.d.cts): ${kib(decl.length)} raw, ${kib(gzipSync(decl, { level: 9 }).length)} gzip (baseline: ${kib(base.length)} raw, ${kib(gzipSync(base, { level: 9 }).length)} gzip); the package unpacked: ${kib(unpackedSize())}.`,
    '',
    `\`tsc --noEmit --extendedDiagnostics --strict\` on bench/types/user.ts (20 typed calls from 20 tag families), median of ${RUNS} runs;`,
    '`skipLibCheck: false` also checks every declaration of the package (the cost grows with the declarations; `skipDefaultLibCheck` keeps',
    "TypeScript's own lib.dom out of it), `true` (the default of `tsc --init`) only what the file uses. Check CPU: the same check, in process.",
    `Load average while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} cores.`,
    '',
    '| declarations | skipLibCheck | check time | check CPU | total time | memory | instantiations | types | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Instantiation depth errors (TS2589): ${depth ? 'YES' : 'none'}. \`any\` in the declarations: ${anyInDecl ? 'YES' : 'none'}; every answer's \`data\` in the file is checked not to be \`any\` (a \`NotAny\` alias that fails to compile on \`any\`).`,
  ].join('\n');
  return { markdown };
}
