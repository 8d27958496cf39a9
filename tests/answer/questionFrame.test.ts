/**
 * The question frame, read once (src/answer/questionFrame.ts). A where-, list-, name- or figure-question is
 * recognised by cues in lang/zh.json and lang/en.json (askWhere, askList, askName, askQuantity …) and answered by a
 * sentence that holds that kind of answer (holdsWhere, holdsList, holdsQuantity …): this table is where that
 * behaviour is pinned, in all three scripts.
 */
import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../src/answer/questionFrame.js';
import { holdsAnswerType, type AnswerType } from '../../src/answer/intent.js';

describe('the question frame: answer types in three scripts', () => {
  const cases: [string, AnswerType, string][] = [
    ['镍主要分布在哪里？', 'where', 'zh-Hans'],
    ['鎳主要分佈在哪裡？', 'where', 'zh-Hant'],
    ['Where is most nickel mined?', 'where', 'en'],
    ['美国的关键矿物清单包括哪些矿物？', 'list', 'zh-Hans'],
    ['關鍵礦物清單包括哪些礦物？', 'list', 'zh-Hant'],
    ['Which countries joined the partnership?', 'list', 'en'],
    ['中国的稀土产量占全球多少？', 'quantity', 'zh-Hans'],
    ['稀土產量佔全球幾成？', 'quantity', 'zh-Hant'],
    ['How many minerals are on the list?', 'quantity', 'en'],
    ['伙伴关系是哪一年成立的？', 'date', 'zh-Hans'],
    ['夥伴關係是哪一年成立的？', 'date', 'zh-Hant'],
    ['When was the partnership founded?', 'date', 'en'],
    ['为什么美国要建立矿产联盟？', 'why', 'zh-Hans'],
    ['Why did the US build a minerals alliance?', 'why', 'en'],
    ['谁提出了这个倡议？', 'who', 'zh-Hans'],
  ];
  it.each(cases)('%s → %s (%s)', (question, type, lang) => {
    const frame = parseQuestion(question);
    expect(frame.lang).toBe(lang);
    expect(frame.intent.types.has(type)).toBe(true);
  });

  it('a name question in each language', () => {
    for (const q of ['那个传输系统叫什么名字？', '那個傳輸系統叫什麼名字？', 'What is the transfer system called?']) expect(parseQuestion(q).intent.asksName, q).toBe(true);
  });

  it('what a figure question asks: a share, money, the asked noun and what it is of', () => {
    expect(parseQuestion('中国的钴产量占全球多大比例？').intent.asksShare).toBe(true);
    expect(parseQuestion('What percentage of cobalt comes from Congo?').intent.asksShare).toBe(true);
    expect(parseQuestion('这个项目投入了多少资金？').intent.asksMoney).toBe(true);
    expect(parseQuestion('美国对中国电动汽车加征多少关税？').intent.askedNoun).toBe('关税');
    expect(parseQuestion('美国对中国电动汽车加征多少关税？').intent.askedObject).toBe('中国电动汽车');
  });

  it('numbers, years, tables and parts the question states; not the digits of a mention or a link', () => {
    const frame = parseQuestion('<@123456789> 2019年表3里钴的比例是多少？见 https://example.com/a/2020');
    expect(frame.numbers).toEqual(['2019', '3']);
    expect(frame.years).toEqual(['2019']);
    expect(frame.tables).toEqual(['表3']);
    expect(parseQuestion('What does Table 2 list?').tables).toEqual(['表2']);
    expect(parseQuestion('MSP是什么？什么时候成立的？').multiPart).toBe(true);
  });

  it('a source question in each language', () => {
    for (const q of ['这个数字的来源是什么？', '這個數字出處是哪裡？', 'Where does that figure come from?']) expect(parseQuestion(q).asksProvenance, q).toBe(true);
    expect(parseQuestion('稀土主要分布在哪里？').asksProvenance).toBe(false);
  });

  it('a follow-up carries the conversation: its own words are its focus, a swapped place replaces the old one', () => {
    const history = [{ question: '美国的锂主要从哪里进口？' }];
    const frame = parseQuestion('那日本呢？', { history });
    expect(frame.focus).toContain('日本');
    expect(frame.standalone).toContain('锂');
    expect(frame.standalone).not.toContain('美国');
    expect(parseQuestion('为什么？').needsContext).toBe(true);
    expect(parseQuestion('为什么？', { history }).needsContext).toBe(false);
    // an LLM's condensed question replaces the carried context
    expect(parseQuestion('那日本呢？', { history, condensed: '日本的锂从哪里进口？' }).standalone).toBe('日本的锂从哪里进口？');
  });
});

describe('a sentence holds the kind of answer asked for', () => {
  const cases: [AnswerType, string, boolean][] = [
    ['where', '镍主要分布在印度尼西亚、菲律宾和俄罗斯。', true],
    ['where', '鎳主要分佈於印度尼西亞。', true],
    ['where', '镍是重要的电池材料。', false],
    ['list', '清单包括锂、钴、镍和石墨。', true],
    ['list', '清单很长。', false],
    ['quantity', '中国产量占全球的 60%。', true],
    ['quantity', '中国產量佔全球百分之六十。', true],
    ['quantity', '中国产量很高。', false],
    ['date', '该伙伴关系于 2022 年成立。', true],
    ['date', 'The partnership was founded in 2022.', true],
    ['date', '该伙伴关系很早就成立了。', false],
    ['why', '这是因为供应链过于集中。', true],
    ['change', '比例从 40% 下降至 25%。', true],
    ['change', '比例下降了。', false],
  ];
  it.each(cases)('%s: %s → %s', (type, sentence, holds) => {
    expect(holdsAnswerType(type, sentence)).toBe(holds);
  });
});
