import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.js';

describe('splitSentences', () => {
  const cases: [string, string, string[]][] = [
    ['keeps sentence punctuation', '第一句。第二句！第三句？', ['第一句。', '第二句！', '第三句？']],
    ['splits on semicolons', '甲方如此；乙方如彼;丙', ['甲方如此；', '乙方如彼;', '丙']],
    ['does not split inside decimals', '从60%降到41.6%。然后', ['从60%降到41.6%。', '然后']],
    ['does not split inside “” quotes', '他说：“我们走。你们留下来”然后离开。', ['他说：“我们走。你们留下来”然后离开。']],
    ['keeps a closing quote with its sentence', '所谓“脱钩。”下一句。', ['所谓“脱钩。”', '下一句。']],
    ['keeps a footnote marker with the sentence it closes', '数据下降。<sup>③</sup>这说明问题。③', ['数据下降。<sup>③</sup>', '这说明问题。③']],
    ['English sentences split before a capital, not at initials', 'See U. S. Geological Survey data. Then more.', ['See U. S. Geological Survey data.', 'Then more.']],
    ['a citation marker after the stop stays with the sentence', 'It fell in 2022. [1] Then it rose.', ['It fell in 2022. [1]', 'Then it rose.']],
    ['page and volume abbreviations do not end a sentence', 'It was 2021. See pp. 4-5 in Vol. 3 for details.', ['It was 2021.', 'See pp. 4-5 in Vol. 3 for details.']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(splitSentences(text).map((s) => s.text)).toEqual(expected);
  });

  it('keeps a caller\'s own mark (the chunker\'s footnote token) with the sentence it closes', () => {
    const token = /\uE000\d+\uE001/;
    expect(splitSentences('数据下降。\uE0003\uE001这说明问题。', { trailingMark: token }).map((s) => s.text)).toEqual(['数据下降。\uE0003\uE001', '这说明问题。']);
  });

  it('gives offsets that slice back to the sentence', () => {
    const text = '  第一句。\n第二句“引号。”结束！';
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.start + s.text.length)).toBe(s.text);
  });
});

describe('initials after Chinese text', () => {
  it('does not end a sentence at the “U.” of “参见U. S. Geological Survey”', () => {
    const parts = splitSentences('数据来源:笔者整理,参见U. S. Geological Survey, “Mineral Commodity Summaries 2022”。下一句。').map((s) => s.text);
    expect(parts).toEqual(['数据来源:笔者整理,参见U. S. Geological Survey, “Mineral Commodity Summaries 2022”。', '下一句。']);
  });
});
