// The fenced code blocks of README.md, for the tests that run (tests/node/readme.test.mjs) and
// type-check (tests/types/readme.test.mjs) them as pasted.
import { readFileSync } from 'node:fs';

export const README = new URL('../../README.md', import.meta.url);

/**
 * Every ```<lang> block: { id, heading, line, code }. `id` is the nearest heading above and the
 * block's ordinal under it ("Uploads (图片/视频上传) #1"); `line` is where its code starts (1-based).
 */
export function readmeBlocks(lang, text = readFileSync(README, 'utf8')) {
  const lines = text.split('\n');
  const blocks = [];
  const count = new Map();
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const h = /^#{1,6} (.*)$/.exec(lines[i]);
    if (h) { heading = h[1].trim(); continue; }
    const fence = /^```(\S*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    if (end === lines.length) throw new Error(`README.md:${i + 1}: unclosed code fence`);
    if (fence[1] === lang) {
      const n = (count.get(heading) ?? 0) + 1;
      count.set(heading, n);
      blocks.push({ id: `${heading} #${n}`, heading, line: start + 1, code: lines.slice(start, end).join('\n') + '\n' });
    }
    i = end;
  }
  return blocks;
}
