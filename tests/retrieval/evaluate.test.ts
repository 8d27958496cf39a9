import { describe, expect, it } from 'vitest';
import { evalJson, evaluateRetrieval, firstEvidenceRank, formatEvalTable, parseQuestionSet, percentiles, type Searchable } from '../../src/retrieval/evaluate.js';
import { makePassage } from '../index/fixtures.js';

const passages = ['无关段落。', '对中国太阳能电池和光伏组件征收30%关税。', '镍主要分布在\n印度尼西亚、菲律宾和俄罗斯。'].map((t, i) => makePassage('d', i, t));

/** Dense ranks the evidence passage first, lexical third, hybrid second. */
const searcher: Searchable = {
  async search(_q, k, mode) {
    const order = { dense: [1, 0, 2], lexical: [0, 2, 1], hybrid: [0, 1, 2] }[mode];
    return { results: order.map((i) => ({ passage: passages[i] })).slice(0, k), timings: { embedMs: 2, searchMs: 1 } };
  },
};

describe('evaluation', () => {
  it('counts a passage as a hit when it contains the evidence, whitespace aside', () => {
    expect(firstEvidenceRank(passages, ['征收 30% 关税'])).toBe(2);
    expect(firstEvidenceRank(passages, ['分布在印度尼西亚'])).toBe(3);
    expect(firstEvidenceRank(passages, ['不在这里'])).toBe(0);
  });

  it('computes Recall@k and MRR per mode and language, leaving out none questions', async () => {
    const questions = parseQuestionSet(
      [
        JSON.stringify({ id: 'a', kind: 'ask', lang: 'zh-Hant', question: '關稅', evidence: ['征收 30% 关税'] }),
        JSON.stringify({ id: 'b', kind: 'none', lang: 'en', question: 'CBAM?', evidence: [] }),
        '',
      ].join('\n'),
    );
    const report = await evaluateRetrieval(searcher, questions, { k: [1, 2, 10] });
    const row = (mode: string, group: string) => report.rows.find((r) => r.mode === mode && r.group === group)!;
    expect(row('dense', 'zh-Hant')).toMatchObject({ questions: 1, recall: { 1: 1, 2: 1, 10: 1 }, mrr: 1 });
    expect(row('lexical', 'zh')).toMatchObject({ recall: { 1: 0, 2: 0, 10: 1 } });
    expect(row('lexical', 'zh').mrr).toBeCloseTo(1 / 3);
    expect(row('hybrid', 'all')).toMatchObject({ recall: { 1: 0, 2: 1 }, mrr: 0.5 });
    expect(row('hybrid', 'en').questions).toBe(0);
    expect(report.latency).toMatchObject({ queries: 1, embedMs: { p50: 2 } });

    const table = formatEvalTable(report);
    expect(table).toMatch(/mode\s+lang\s+n\s+R@1\s+R@2\s+R@10\s+MRR/);
    expect(table).toMatch(/lexical\s+zh\s+1\s+0\.00\s+0\.00\s+1\.00\s+0\.333/);
    expect(evalJson(report)).toMatchObject({ results: { hybrid: { all: { 'recall@2': 1, mrr: 0.5 } } } });
  });

  it('rejects a malformed question set line by number', () => {
    expect(() => parseQuestionSet('{"question":"a"}\n{oops')).toThrow(/line 2/);
  });

  it('computes percentiles', () => {
    expect(percentiles([5, 1, 4, 2, 3])).toEqual({ p50: 3, p95: 5 });
    expect(percentiles(Array.from({ length: 100 }, (_, i) => i + 1))).toEqual({ p50: 50, p95: 95 });
  });
});
