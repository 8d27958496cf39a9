import type { Passage } from '../../src/core/passage.js';
import { searchKey } from '../../src/text/searchKey.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ANSWER_BODY_MAX_CHARS, ANSWER_MAX_CHARS, composeExtractive, type ComposedAnswer } from '../../src/answer/extractive.js';
import type { QuestionLang } from '../../src/core/answer.js';
import { detectLang } from '../../src/text/language.js';
import { loadFixtureCorpus, type FixtureCorpus } from './corpus-fixture.js';
import { DEV_SET } from '../support/paths.js';

let corpus: FixtureCorpus;
beforeAll(() => {
  corpus = loadFixtureCorpus();
});

async function ask(question: string, options: { lang?: QuestionLang; expandedTerms?: string[] } = {}): Promise<ComposedAnswer> {
  const query = [question, ...(options.expandedTerms ?? [])].join(' ');
  return composeExtractive({
    question,
    lang: options.lang ?? detectLang(question),
    results: corpus.search(query, 8),
    passageById: (id) => corpus.byId.get(id),
    titleOf: (docId) => corpus.titles.get(docId) ?? docId,
    expandedTerms: options.expandedTerms,
  });
}

/** Body lines "- <sentence> [n]" → [sentence, n]. */
function quotes(answer: ComposedAnswer): [string, number][] {
  return answer.text
    .split('\n')
    .map((line) => /^- (.*) \[(\d+)\]$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], Number(m[2])]);
}

const QUESTIONS = [
  '美国在2018年对中国光伏产品加征了多少关税？',
  '镍的储量主要分布在哪些国家？',
  '美國國防生產法授權總統做什麼？',
  '拉丁美洲六国的锂储量占全球多少？',
  '沙利文说美国生产多少锂和钴？',
  ...readFileSync(DEV_SET, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).question as string),
];

describe('composeExtractive', () => {
  it('quotes every sentence verbatim from the passage it cites, one [n] per passage, within the length cap', async () => {
    for (const question of QUESTIONS) {
      const answer = await ask(question);
      expect([...answer.text].length, question).toBeLessThanOrEqual(ANSWER_MAX_CHARS);
      if (!answer.supported) continue;
      const body = answer.text.split('\n\n')[0];
      expect([...body].length).toBeLessThanOrEqual(ANSWER_BODY_MAX_CHARS);
      const lines = quotes(answer);
      expect(lines.length, question).toBeGreaterThan(0);
      for (const [sentence, n] of lines) {
        const citation = answer.citations.find((c) => c.n === n);
        expect(citation, `[${n}] in ${question}`).toBeDefined();
        expect(corpus.byId.get(citation!.id)!.text).toContain(sentence);
        expect(citation!.text).toContain(sentence);
      }
      expect(new Set(answer.citations.map((c) => c.id)).size).toBe(answer.citations.length);
      expect(answer.citations.map((c) => c.n)).toEqual(answer.citations.map((_, i) => i + 1));
    }
  });

  it('answers a numeric question with the sentence holding its numbers, and lists the source', async () => {
    const answer = await ask('2018年美国对中国太阳能电池和光伏组件征收了多少关税？');
    expect(answer.supported).toBe(true);
    // the lead states the figure, with its citation
    expect(answer.lead).toMatch(/30%.*\[1\]$/);
    expect(answer.text.startsWith(answer.lead)).toBe(true);
    expect(answer.text).toMatch(/来源：\n\[1\] .+ — .+/);
  });

  it('opens in the question script: traditional and English leads, quotes stay in the source script', async () => {
    const hant = await ask('美國能源部貸款計劃辦公室獲得多少授權？');
    expect(hant.lang).toBe('zh-Hant');
    expect(hant.lead).toContain('數百億美元');
    expect(hant.text).toContain('來源：');
    const en = await ask('Where are nickel reserves concentrated?', { expandedTerms: ['镍', '储量', '分布'] });
    expect(en.supported).toBe(true);
    expect(en.lead).toMatch(/^(?:In short: |From the documents)/);
    expect(en.text).toContain('印度尼西亚');
  });

  it('says plainly that the corpus cannot answer, with related passages marked as such', async () => {
    for (const [question, expected] of [
      ['火星上的锂矿储量有多少？', '文献中没有能回答这个问题的段落'],
      ['韓國《半導體特別法》規定了哪些補貼？', '文獻中沒有能回答這個問題的段落'],
      ['What tariff does the WTO ECFA agreement set on bananas?', 'The corpus has no passage that answers this'],
    ] as const) {
      const answer = await ask(question);
      expect(answer.supported, question).toBe(false);
      expect(answer.citations).toEqual([]);
      expect(answer.text).toContain(expected);
      expect(answer.text).not.toMatch(/\[\d+\]/);
    }
  });

  it('cites the footnote behind a figure when asked where it comes from', async () => {
    const answer = await ask('光电等五个行业对美贸易占比下降的数据来源是什么？');
    expect(answer.supported).toBe(true);
    const footnote = answer.citations.find((c) => corpus.byId.get(c.id)?.kind === 'footnote');
    expect(footnote?.text).toContain('海关统计数据');
  });

  it('does not quote the same sentence twice from a repeated web article', async () => {
    const answer = await ask('美國的武器化戰略核心目標是什麼？');
    const sentences = quotes(answer).map(([s]) => s);
    expect(new Set(sentences).size).toBe(sentences.length);
  });

  it('when the two documents give different figures for the same thing, both are quoted and the answer says they differ', async () => {
    const passage = (id: string, docId: string, text: string): Passage => ({ id, docId, kind: 'paragraph', label: `${docId} ¶1`, text, searchKey: searchKey(text), sectionPath: [], ordinal: 1, footnotes: [], citedBy: [] });
    const paper = passage('p1', 'paper', '美国的关键矿物清单共列出 50 种矿物。');
    const article = passage('a1', 'article', '美國關鍵礦物清單目前已更新至包含54種礦物。');
    const answer = await composeExtractive({
      question: '两篇文献分别说美国的关键矿物清单列了多少种矿物？',
      lang: 'zh-Hans',
      results: [
        { passage: paper, score: 0.9 },
        { passage: article, score: 0.8 },
      ],
      passageById: (id) => [paper, article].find((p) => p.id === id),
      titleOf: (docId) => docId,
    });
    expect(answer.supported).toBe(true);
    expect(answer.text).toContain('50 种矿物');
    expect(answer.text).toContain('54種礦物');
    const note = answer.parts.find((p) => p.kind === 'prose');
    expect(note?.text).toMatch(/数字不同.*50.*54|数字不同.*54.*50/);
  });
});
