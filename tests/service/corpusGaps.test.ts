/** What the corpus lacks (src/service/corpusGaps.ts): topic terms, missing terms, questions grouped by what they share. */
import { describe, expect, it } from 'vitest';
import { groupByTopic, missingTerms, questionGaps, type GapLookups } from '../../src/service/corpusGaps.js';

/** A corpus whose lexical index holds these terms with these passage counts. */
function lookups(df: Record<string, number>, expansion: Record<string, string[]> = {}): GapLookups {
  return {
    absent: (q) => Promise.resolve(Object.keys(df).length ? [...new Set(q.match(/\p{Script=Han}{2,}|[a-z]{3,}/giu) ?? [])].filter((w) => df[w] === 0) : []),
    expansion: (q) => expansion[q] ?? [],
    documentFrequency: (t) => Promise.resolve(df[t] ?? 0),
  };
}

describe('questionGaps', () => {
  it('a one-character word the index never saw is missing; question words are not; rarer corpus terms name the topic', async () => {
    const gaps = await questionGaps('钨矿出口管制是什么时候开始的？', lookups({ 钨: 0, 矿: 3, 出口: 40, 管制: 12, 开始: 9, 什么时候: 0 }));
    expect(gaps.missing).toEqual(['钨']);
    expect(gaps.topics).toEqual(['开始', '管制', '出口']);
  });

  it("an English question's topics are its glossary terms in Chinese", async () => {
    const q = 'What tariff did the US impose on Chinese steel?';
    const gaps = await questionGaps(q, lookups({ tariff: 0, steel: 0, impose: 0, chinese: 1, 关税: 15 }, { [q]: ['关税'] }));
    expect(gaps.topics).toEqual(['关税']);
    expect(gaps.missing).toEqual(expect.arrayContaining(['steel']));
  });
});

describe('groupByTopic', () => {
  it('puts each question with the term most questions share, missing terms first; questions with none last', () => {
    const items = [
      { id: 1, topics: ['产量', '全球'], missing: ['钨'] },
      { id: 2, topics: ['关税'], missing: ['钨'] },
      { id: 3, topics: ['关税', '汽车'], missing: [] },
      { id: 4, topics: [], missing: [] },
      { id: 5, topics: ['关税'], missing: [] },
    ];
    expect(groupByTopic(items).map((g) => [g.topic, g.items.map((i) => i.id)])).toEqual([
      ['关税', [2, 3, 5]],
      ['钨', [1]],
      ['', [4]],
    ]);
    expect(missingTerms(items)).toEqual([{ term: '钨', questions: 2 }]);
  });
});
