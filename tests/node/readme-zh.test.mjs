// README.zh-CN.md, the guide in Chinese, against README.md, which it follows: its code blocks are
// README's own, byte for byte (each of those runs against the sandbox in readme.test.mjs, and the
// TypeScript ones compile in tests/types), its links lead to files of the repository and to
// headings that exist, and the options and error codes it lists are README's, all of them: an
// option or a code added to README fails this test until the guide has it too.
//
// Both files are read by `marked` (GitHub-flavoured Markdown), as a renderer reads them, so that
// code and links are found in whatever form Markdown gives them (indented, in a list or a quote,
// reference-style, raw HTML), not only in the forms the guide uses today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { marked } from 'marked';

const ROOT = new URL('../../', import.meta.url);
const read = (name) => readFileSync(new URL(name, ROOT), 'utf8');
const README = read('README.md');
const ZH = read('README.zh-CN.md');
/** The files git tracks: a link must lead to one of them (or to a folder holding some). */
const TRACKED = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);

/** Every token of `text`, nested ones too (lists, quotes, tables, inline). */
function tokens(text) {
  const all = [];
  marked.walkTokens(marked.lexer(text), (t) => { all.push(t); });
  return all;
}

/** `text` with the HTML entities marked leaves in its tokens' text decoded. */
const decode = (text) => text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e) => {
  if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
});

/** A heading token's text as GitHub renders it, for its anchor: its inline text, HTML tags left out. */
const plain = (t) => (t.tokens ? t.tokens.map(plain).join('') : t.type === 'html' ? '' : decode(t.text ?? t.raw ?? ''));

/** Whether an HTML token is a comment (nothing of it renders). */
const comment = (t) => t.type === 'html' && t.raw.trimStart().startsWith('<!--');
/** The values of `names` attributes of the tags in an HTML token (not in comments, nor `data-` ones). */
const attributes = (t, names) => (comment(t) ? [] : [...t.raw.matchAll(new RegExp(`<[a-z][^>]*?\\s(?:${names})\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'gi'))].map((m) => m[1] ?? m[2] ?? m[3]));

/**
 * The anchors of a Markdown file as GitHub makes them: each heading lower-cased, punctuation
 * dropped, spaces as `-`, a repeat numbered; and any `id` or `name` its HTML gives.
 */
function anchors(text) {
  const seen = new Map();
  const out = new Set();
  for (const t of tokens(text)) {
    if (t.type === 'heading') {
      const slug = plain(t).trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      out.add(n === 0 ? slug : `${slug}-${n}`);
    }
    if (t.type === 'html') for (const id of attributes(t, 'id|name')) out.add(id);
  }
  return out;
}

/** Every link target of `text`: Markdown links and images (inline or by reference), and HTML's href and src. */
function targets(text) {
  const out = [];
  for (const t of tokens(text)) {
    if (t.type === 'link' || t.type === 'image') out.push(t.href);
    if (t.type === 'html') out.push(...attributes(t, 'href|src'));
  }
  return out;
}

/** The code blocks of `text`: `{ lang, fenced, code }`, the code with its closing newline as README's blocks hold it. */
const codeBlocks = (text) => tokens(text).filter((t) => t.type === 'code').map((t) => ({ lang: (t.lang ?? '').split(/\s/)[0], fenced: t.codeBlockStyle !== 'indented', code: t.text }));

/** The section of `text` under `heading` (a whole heading line), to the next heading of its level or above; HTML comments left out. */
function section(text, heading) {
  text = text.replace(/<!--[\s\S]*?-->/g, '');
  const level = /^#+/.exec(heading)[0].length;
  const start = text.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `no heading ${heading}`);
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end === -1 ? rest : rest.slice(0, end);
}

/** The code-span names in the first cell of each row of the table(s) in `text`. */
function firstCells(text) {
  return [...text.matchAll(/^\| ([^|]+) \|/gm)].flatMap(([, cell]) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

test('every code block of README.zh-CN.md is one of README.md, byte for byte, fenced in the same language', () => {
  const theirs = new Set(codeBlocks(README).filter((b) => b.fenced).map((b) => `${b.lang}\n${b.code}`));
  const mine = codeBlocks(ZH);
  for (const block of mine) {
    assert.ok(block.fenced, `README.zh-CN.md: an indented code block, which no README block is:\n${block.code}`);
    assert.ok(theirs.has(`${block.lang}\n${block.code}`), `README.zh-CN.md: a \`\`\`${block.lang} block that is not one of README.md:\n${block.code}`);
  }
  assert.ok(mine.length >= 12, `only ${mine.length} blocks`);
  // Nor code in HTML, which Markdown passes through as it is.
  for (const t of tokens(ZH)) if (t.type === 'html' && !comment(t)) assert.doesNotMatch(t.raw, /<(pre|code|samp|kbd|tt|var)\b/i, `README.zh-CN.md: code in HTML: ${t.raw}`);
});

test('every relative link of README.zh-CN.md and README.md leads to a file of the repository, and every anchor to a heading of it', () => {
  const headings = new Map();
  const headingsOf = (file) => {
    if (!headings.has(file)) headings.set(file, anchors(read(file)));
    return headings.get(file);
  };
  for (const [name, text] of [['README.zh-CN.md', ZH], ['README.md', README]]) {
    let links = 0;
    for (const target of targets(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links++;
      const [path, anchor] = target.split('#');
      // Relative to the repository's root, where both files are ('/...' too, as GitHub reads it).
      const file = path === '' ? name : posix.normalize(decodeURIComponent(path).replace(/^\/+/, '')).replace(/\/$/, '');
      const root = file === '.';
      assert.ok(root || TRACKED.includes(file) || TRACKED.some((f) => f.startsWith(`${file}/`)), `${name}: a link to ${file}, which is no file or folder the repository tracks`);
      if (anchor === undefined) continue;
      if (file.endsWith('.md')) {
        assert.ok(headingsOf(file).has(decodeURIComponent(anchor)), `${name}: #${anchor} is no heading of ${file}`);
      } else {
        // A source file's anchor is a line (GitHub's #L12 or #L12-L20), within the file.
        const line = /^L(\d+)(?:-L(\d+))?$/.exec(anchor);
        assert.ok(line && !root, `${name}: #${anchor} of ${file} is not a line`);
        const [from, to] = [Number(line[1]), Number(line[2] ?? line[1])];
        assert.ok(from >= 1 && from <= to && to <= read(file).split('\n').length, `${name}: ${file} has no line ${anchor}`);
      }
    }
    assert.ok(links >= 10, `${name}: only ${links} links`);
  }
});

test("README.zh-CN.md names every option of README's table where it sets up the client", () => {
  const options = firstCells(section(README, '### Options'));
  assert.ok(options.length >= 15 && options.includes('mchid') && options.includes('crypto'), options.join());
  const setup = section(ZH, '## 初始化');
  const missing = options.filter((o) => !setup.includes(`\`${o}\``));
  assert.deepEqual(missing, [], `options README.zh-CN.md does not name under 初始化: ${missing.join(', ')}`);
});

test("README.zh-CN.md's table of error codes has README's codes, each once, and no other", () => {
  const codes = firstCells(section(README, '## Errors')).filter((c) => c.startsWith('ERR_'));
  const zh = firstCells(section(ZH, '## 错误处理')).filter((c) => c.startsWith('ERR_'));
  assert.ok(codes.length >= 25, codes.join());
  assert.deepEqual([...zh].sort(), [...codes].sort());
  assert.equal(new Set(zh).size, zh.length);
  // Every code the guide names anywhere is one README gives (a renamed code fails here).
  const named = new Set(ZH.match(/\bERR_[A-Z_]*[A-Z]\b/g));
  for (const code of named) assert.ok(codes.includes(code), `README.zh-CN.md names ${code}, which README.md's table has not`);
});
