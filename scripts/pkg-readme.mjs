// The README and SECURITY.md as the package ships them: a link to a file of the repository that
// the package does not carry (docs/, bench/, examples/, CONTRIBUTING.md) points at the repository
// (package.json's `repository`), so that it leads somewhere from node_modules too. Links to files
// the package carries (LICENSE, SECURITY.md) and to anchors stay as they are.
//   node scripts/pkg-readme.mjs <in.md> <out.md>
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../pkg-template/package.json', import.meta.url), 'utf8'));

/** The repository's web address, from `git+https://github.com/o/r.git`. */
export const REPOSITORY = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** `text` with its relative links to files the package does not ship made absolute. */
export function packedMarkdown(text, shipped = pkg.files) {
  return text.replace(/\]\(([^)\s#:]+)((?:#[^)\s]*)?)\)/g, (link, path, anchor) => {
    if (shipped.includes(path)) return link;
    // A folder (no extension) is a tree, a file a blob: both are GitHub's own pages.
    const kind = /\.[A-Za-z0-9]+$/.test(path) ? 'blob' : 'tree';
    return `](${REPOSITORY}/${kind}/main/${path}${anchor})`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [from, to] = process.argv.slice(2);
  writeFileSync(to, packedMarkdown(readFileSync(from, 'utf8')));
}
