import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/chunking/chunk.js';

const FRAGMENTS = [
  '# 标题', '## 一 引言', '### （二）分析', '(三) 讨论', '#### 第四，这不是标题。', '▍網頁小標題',
  '这是一个完整的句子。', '这是一个被分页打断的句子的前半', '后半部分在这里。', '<sup>①</sup>', '<sup>②</sup>',
  '<sup>①</sup> 某某著《某书》，2020年版。', '② Someone, “A Paper,” 2021.', '表1 某表格', '甲\t乙\t丙', '\t1\t2',
  '资料来源：笔者自制。', '图1 某图', '**【内容提要】** 摘要文字。', '**【Abstract】** An abstract that is cut off in the mid-',
  'dle of a word.', '[某網正招聘]', '| 分享: |', 'Plain English sentence.', '   ', '', '\t', '<https://example.com>',
];

const lineArb = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 60 }));
const docArb = fc.array(fc.array(lineArb, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')), { maxLength: 40 }).map((lines) => lines.join('\n'));

describe('chunking arbitrary text', () => {
  it('never throws and always yields clean, uniquely identified, consistently linked passages', () => {
    fc.assert(
      fc.property(docArb, (text) => {
        const info = { id: 'fuzz', title: 'fuzz', author: 'unknown', lang: 'zh-Hans', file: 'fuzz.md', contentHash: '' };
        const passages = chunkDocument({ info, text });
        const ids = new Set(passages.map((p) => p.id));
        expect(ids.size).toBe(passages.length);
        const byId = new Map(passages.map((p) => [p.id, p]));
        for (const p of passages) {
          expect(p.text.trim()).not.toBe('');
          expect(p.text).not.toMatch(/[\uE000\uE001]|<sup>/);
          for (const f of p.footnotes) expect(byId.get(f)?.citedBy).toContain(p.id);
        }
        // chunking is a pure function of the text
        expect(chunkDocument({ info, text }).map((p) => p.id)).toEqual([...ids]);
      }),
      { numRuns: 300, seed: 20240101 },
    );
  });
});
