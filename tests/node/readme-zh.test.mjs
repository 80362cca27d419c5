// README.zh-CN.md, the guide in Chinese, against README.md, which it follows: its code blocks are
// README's own, byte for byte (each of those runs against the sandbox in readme.test.mjs, and the
// TypeScript ones compile in tests/types), its links lead to files and headings that exist, and
// the options and error codes it lists are README's, all of them: an option or a code added to
// README fails this test until the guide has it too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readmeBlocks } from '../readme/blocks.mjs';

const ROOT = new URL('../../', import.meta.url);
const read = (name) => readFileSync(new URL(name, ROOT), 'utf8');
const README = read('README.md');
const ZH = read('README.zh-CN.md');

/** `text` without its fenced code blocks and code spans (a run of backticks to the next run as long): prose. */
function prose(text) {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/(`+)[^`][\s\S]*?[^`]\1(?!`)|(`+)[^`]\2(?!`)/g, '');
}

/**
 * The anchors GitHub gives `text`'s headings (ATX, outside code blocks): lower case, punctuation
 * (a code span's backticks too, not its text) and a closing `#` run dropped, spaces as `-`.
 */
function anchors(text) {
  const seen = new Map();
  const out = new Set();
  const outsideBlocks = text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
  for (const [, heading] of outsideBlocks.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading.replace(/\s+#+\s*$/, '').trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** The section of `text` under `heading` (a whole heading line), to the next heading of its level or above. */
function section(text, heading) {
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

test('every code block of README.zh-CN.md is one of README.md, byte for byte, in the same language', () => {
  // Fenced as README's are (at the line's start, with backticks, js, ts, sh or nothing), so that
  // each is one the comparison below reads: no indented, tilde or other-language fence.
  const fences = ZH.split('\n').filter((line) => /```|~~~/.test(line) && !/^[^`]*`[^`]/.test(line.replace(/^\s*[->]*\s*/, '')));
  for (const fence of fences) assert.match(fence, /^```(js|ts|sh)?$/, `README.zh-CN.md: a fence README's blocks do not use: ${fence}`);
  // Nor code in any other form: an indented block (four spaces after a blank line), HTML's <pre> or <code>.
  const outside = ZH.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
  assert.doesNotMatch(outside, /\n\n( {4}|\t)\S/, 'README.zh-CN.md: an indented code block');
  assert.doesNotMatch(outside, /<(pre|code)\b/i, 'README.zh-CN.md: code in HTML');
  let count = 0;
  for (const lang of ['js', 'ts', 'sh', '']) {
    const theirs = new Set(readmeBlocks(lang, README).map((b) => b.code));
    for (const block of readmeBlocks(lang, ZH)) {
      count++;
      assert.ok(theirs.has(block.code), `README.zh-CN.md:${block.line} (${block.id}, \`\`\`${lang}) is not a block of README.md`);
    }
  }
  assert.ok(count >= 12, `only ${count} blocks`);
  assert.equal(fences.length, 2 * count, 'every fence opens or closes a block compared');
});

test('every relative link of README.zh-CN.md and README.md leads to a file, and every anchor to a heading of it', () => {
  const headings = { 'README.md': anchors(README), 'README.zh-CN.md': anchors(ZH) };
  for (const [name, text] of [['README.zh-CN.md', ZH], ['README.md', README]]) {
    let links = 0;
    // Inline links (with a title or in angle brackets too), reference definitions and HTML hrefs.
    const targets = [
      ...[...prose(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+[^)]*)?\)/g)].map((m) => m[1]),
      ...[...prose(text).matchAll(/^[ >]*\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)].map((m) => m[1]),
      ...[...prose(text).matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]),
    ];
    for (const target of targets) {
      if (/^[a-z]+:/.test(target)) continue;
      links++;
      const [path, anchor] = target.split('#');
      const file = path === '' ? name : path.replace(/^\.\//, '');
      // A file of the repository's own: not above it, nor where only a build or an install puts one.
      assert.ok(!/^(\/|\.\.\/)|(^|\/)(node_modules|\.work|target|pkg)(\/|$)/.test(file), `${name}: a link outside the repository's files: ${file}`);
      assert.ok(existsSync(new URL(file, ROOT)), `${name}: a link to ${file}, which does not exist`);
      if (anchor !== undefined) {
        assert.ok(headings[file], `${name}: an anchor into ${file}, whose headings are not read here`);
        assert.ok(headings[file].has(decodeURIComponent(anchor)), `${name}: #${anchor} is no heading of ${file}`);
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
