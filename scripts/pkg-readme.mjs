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

/** A prose link: `[label](path#anchor)` (a relative path: no scheme, query or bare anchor), or an image's. */
const LINK = /(!?)\[([^\]]*)\]\((?:\.\/)?([^)\s#:?]+)((?:#[^)\s]*)?)\)/g;

/**
 * `text` with `edit(line)` applied to its prose: fenced code blocks and code spans are left as they
 * are (`handlers[name](event)` is code), each span kept aside while the rest of its line is edited.
 */
function inProse(text, edit) {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return line;
    }
    if (fenced) return line;
    const spans = [];
    const prose = line.replace(/`+[^`]*`+/g, (span) => `\u0000${spans.push(span) - 1}\u0000`);
    return edit(prose).replace(/\u0000(\d+)\u0000/g, (_, i) => spans[Number(i)]);
  }).join('\n');
}

/** The relative paths `text`'s prose links to (images and links that go up left out). */
export function relativeLinks(text) {
  const out = [];
  inProse(text, (line) => {
    for (const [, image, , path] of line.matchAll(LINK)) if (!image && !path.startsWith('../')) out.push(path);
    return line;
  });
  return out;
}

/**
 * `text` with its relative links to files the package does not ship made absolute. Only links in
 * prose (not in code); images and links that go up (`../`) or carry a query are left as they are.
 */
export function packedMarkdown(text, shipped = pkg.files) {
  return inProse(text, (line) => line.replace(LINK, (link, image, label, path, anchor) => {
    if (image || path.startsWith('../') || shipped.includes(path)) return link;
    // A folder (no extension) is a tree, a file a blob: both are GitHub's own pages.
    const kind = /\.[A-Za-z0-9]+$/.test(path) ? 'blob' : 'tree';
    return `[${label}](${REPOSITORY}/${kind}/main/${path}${anchor})`;
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [from, to] = process.argv.slice(2);
  writeFileSync(to, packedMarkdown(readFileSync(from, 'utf8')));
}
