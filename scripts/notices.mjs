// Writes THIRD_PARTY_NOTICES: the license texts of what the .wasm (and wasm-bindgen's glue beside
// it) is built from: the Rust crates `cargo tree` lists for the wasm target, proc-macros and
// build-time crates left out, and the Rust standard library. Each crate's texts are read from its
// own package in cargo's registry, so a crate whose package holds no license text stops the build
// rather than ship without its notice. (`cargo metadata` reads every package of Cargo.lock, the
// tests' too, which a fresh machine may not have fetched yet: cargo fetches them, as `--locked`.)
//   node scripts/notices.mjs <out>
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/notices.mjs <out>');
  process.exit(2);
}
const cargo = (args) => execFileSync('cargo', [...args, '--locked'], { encoding: 'utf8', maxBuffer: 64 << 20 });

// `name vX.Y.Z` per line, our own crate with its path after it.
const own = JSON.parse(cargo(['metadata', '--format-version', '1', '--no-deps'])).packages[0].name;
const used = new Set(cargo(['tree', '-e', 'normal,no-proc-macro', '--target', 'wasm32-unknown-unknown', '--prefix', 'none', '-f', '{p}'])
  .split('\n').map((l) => l.match(/^(\S+) v(\S+)/)).filter((m) => m && m[1] !== own).map((m) => `${m[1]} ${m[2]}`));
const packages = new Map(JSON.parse(cargo(['metadata', '--format-version', '1', '--filter-platform', 'wasm32-unknown-unknown'])).packages
  .map((p) => [`${p.name} ${p.version}`, p]));

/** The texts a crate is used under: MIT where it offers MIT, else all its license files. */
function texts(p) {
  const dir = dirname(p.manifest_path);
  const files = readdirSync(dir).filter((n) => /^(licen[cs]e|copying|notice|unlicense)/i.test(n)).sort();
  const mit = /\bMIT\b/.test(p.license ?? '');
  // With MIT on offer, Apache-2.0's text is not the one used (nor the Unlicense's); a file that
  // another part of an AND expression needs (LICENSE-UNICODE) stays.
  const chosen = files.filter((n) => !(mit && /apache|unlicense/i.test(n)));
  if (chosen.length === 0) throw new Error(`${p.name} ${p.version} (${p.license}): no license text in ${dir}`);
  return chosen.map((n) => readFileSync(join(dir, n), 'utf8').replace(/\r\n/g, '\n').trim()).join('\n\n');
}

// Crates that carry the same texts, listed once with them.
const groups = new Map();
for (const id of [...used].sort()) {
  const p = packages.get(id);
  if (!p) throw new Error(`cargo metadata has no ${id}`);
  const text = texts(p);
  const group = groups.get(text) ?? [];
  group.push(`${id} (${p.license})`);
  groups.set(text, group);
}

const rustc = execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ');
const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
const mit = readFileSync(join(sysroot, 'share/doc/rust/licenses/MIT.txt'), 'utf8')
  .replace('Copyright (c) <year> <copyright holders>', 'Copyright (c) The Rust Project Contributors').trim();

const rule = '-'.repeat(78);
const sections = [
  `The Rust standard library (core, alloc, std; ${rustc}), MIT OR Apache-2.0, used under MIT:\n\n${mit}`,
  ...[...groups].map(([text, ids]) => `${ids.join('\n')}\n\n${text}`),
];
writeFileSync(out, `Third-party notices

wxpay_wasm_bg.wasm, and the JavaScript glue wasm-bindgen made for it (wxpay_wasm.js,
wxpay_wasm.cjs), are built from the Rust crates below (\`cargo tree -e normal,no-proc-macro
--target wasm32-unknown-unknown\`) and the Rust standard library. Where a crate offers a choice of
licenses, it is used under MIT. Each text is as its crate ships it; crates with the same texts are
listed together.

${sections.join(`\n\n${rule}\n\n`)}
`);
console.log(`${out}: ${used.size} crates, ${groups.size} texts`);
