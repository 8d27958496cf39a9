/**
 * 👍/👎 as a bounded prior in the fused ranking: votes on the same (or a near) question reorder near ties only;
 * they can never lift a passage over one that scores clearly better, and with no votes nothing changes.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScoredPassage } from '../../src/core/answer.js';
import type { Passage } from '../../src/core/passage.js';
import { firstEvidenceRank, parseQuestionSet } from '../../src/retrieval/evaluate.js';
import { applyFeedback, FEEDBACK_MARGIN, NEAR_WEIGHT, passageFeedback, questionKey, questionTerms, type PassageVote } from '../../src/retrieval/feedbackBoost.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import { DEV_SET } from '../support/paths.js';
import { withLibrarian } from '../support/workspace.js';

const passage = (id: string): Passage => ({ id, docId: 'd', label: id, text: `text of ${id}` }) as Passage;
const scored = (scores: number[]): ScoredPassage[] => scores.map((score, i) => ({ passage: passage(`p${i}`), score }));
/** A passage may overtake another only when its score is at least this share of the other's. */
const BOUND = (1 - FEEDBACK_MARGIN) / (1 + FEEDBACK_MARGIN);

describe('applyFeedback', () => {
  it('no feedback, or feedback on passages not in the list: the very same ranking', () => {
    const results = scored([0.3, 0.2, 0.1]);
    expect(applyFeedback(results, undefined)).toBe(results);
    expect(applyFeedback(results, new Map())).toBe(results);
    expect(applyFeedback(results, new Map([['elsewhere', 1]]))).toBe(results);
  });

  it('lifts a voted passage over a near tie, not over a clearly better one', () => {
    const near = applyFeedback(scored([0.1, 0.098, 0.05]), new Map([['p1', 0.9]]));
    expect(near.map((r) => r.passage.id)).toEqual(['p1', 'p0', 'p2']);
    const far = applyFeedback(scored([0.1, 0.08, 0.05]), new Map([['p1', 1], ['p0', -1]]));
    expect(far.map((r) => r.passage.id)).toEqual(['p0', 'p1', 'p2']);
  });

  it('whatever the scores and votes, a passage only overtakes one within the margin', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 30, maxLength: 30 }),
        (raw, votes) => {
          const results = scored([...raw].sort((a, b) => b - a));
          const feedback = new Map(results.map((r, i) => [r.passage.id, votes[i]]));
          const after = applyFeedback(results, feedback).map((r) => r.passage.id);
          const base = new Map(results.map((r, i) => [r.passage.id, { score: r.score, rank: i }]));
          for (let i = 0; i < after.length; i++) {
            for (let j = i + 1; j < after.length; j++) {
              const up = base.get(after[i])!;
              const down = base.get(after[j])!;
              // an inversion: after[i] was ranked below after[j] and is now above it
              if (up.rank > down.rank) expect(up.score / down.score).toBeGreaterThanOrEqual(BOUND - 1e-12);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('passageFeedback', () => {
  const context = { termsOf: (q: string) => questionTerms(q) };
  const query = (question: string) => ({ question, terms: questionTerms(question) });
  const vote = (question: string, passageIds: string[], value: number, voter = 'u1', createdAt?: string): PassageVote => ({ question, passageIds, value, voter, createdAt });

  it('the same question in another script or spacing counts fully; its answer’s passages share the vote', async () => {
    expect(questionKey('什麼是選擇性「脫鉤」？')).toBe(questionKey('什么是选择性 脱钩'));
    const scores = await passageFeedback(query('什么是选择性脱钩？'), [vote('什麼是選擇性脫鉤', ['a', 'b'], 1)], context);
    expect(Object.fromEntries(scores)).toEqual({ a: 0.5, b: 0.5 });
  });

  it('one voter counts once per passage; voters add up, bounded below 1', async () => {
    const q = '美国能源部的三大支柱是什么？';
    const repeated = await passageFeedback(query(q), [vote(q, ['a'], 1), vote(q, ['a'], 1), vote(q, ['a'], 1)], context);
    expect(repeated.get('a')).toBe(0.5);
    const many = await passageFeedback(query(q), [vote(q, ['a'], 1, 'u1'), vote(q, ['a'], 1, 'u2'), vote(q, ['a'], 1, 'u3'), vote(q, ['a'], -1, 'u4')], context);
    expect(many.get('a')).toBeCloseTo(2 / 3);
  });

  it('a near question counts half; another year or another topic not at all; old votes not at all', async () => {
    const q = '2020年美国能源部关键矿物战略提出了哪三大支柱？';
    const near = await passageFeedback(query(q), [vote('美国能源部2020年关键矿物战略的三大支柱是什么', ['a'], 1)], context);
    expect(near.get('a')).toBeCloseTo(NEAR_WEIGHT / (1 + NEAR_WEIGHT));
    const otherYear = await passageFeedback(query(q), [vote('2016年美国能源部关键矿物战略提出了哪三大支柱？', ['a'], 1)], context);
    expect(otherYear.size).toBe(0);
    const otherTopic = await passageFeedback(query(q), [vote('PGII是谁牵头发起的？', ['a'], 1)], context);
    expect(otherTopic.size).toBe(0);
    const old = await passageFeedback(query(q), [vote(q, ['a'], 1, 'u1', new Date(Date.now() - 400 * 24 * 3600_000).toISOString())], context);
    expect(old.size).toBe(0);
  });
});

let librarian: LibrarianService;
withLibrarian('feedback-boost', (l) => (librarian = l));

describe('the boost in the service, on the real corpus', () => {
  const questions = parseQuestionSet(fs.readFileSync(DEV_SET, 'utf8')).filter((q) => q.kind !== 'none' && q.evidence.length > 0);

  it('with no votes, or votes on other questions only, every dev ranking is unchanged', async () => {
    librarian.useFeedback(undefined);
    const plain = await Promise.all(questions.map(async (q) => (await librarian.search(q.question, 10)).map((r) => r.passage.id)));
    librarian.useFeedback({ votes: () => Promise.resolve([{ question: '量子计算机的原理是什么？', passageIds: plain.flat(), value: 1 }]) });
    try {
      const voted = await Promise.all(questions.map(async (q) => (await librarian.search(q.question, 10)).map((r) => r.passage.id)));
      expect(voted).toEqual(plain);
    } finally {
      librarian.useFeedback(undefined);
    }
  });

  it('even many voters 👎-ing the passage holding the answer and 👍-ing the rest cannot push it below a clearly weaker passage', async () => {
    let reordered = 0;
    for (const q of questions) {
      librarian.useFeedback(undefined);
      const base = await librarian.search(q.question, 10);
      const rank = firstEvidenceRank(base.map((r) => r.passage), q.evidence);
      if (rank === 0) continue;
      const answer = base[rank - 1];
      const votes: PassageVote[] = ['u1', 'u2', 'u3', 'u4', 'u5'].flatMap((voter) => [
        { question: q.question, passageIds: [answer.passage.id], value: -1, voter },
        { question: q.question, passageIds: base.filter((r) => r !== answer).map((r) => r.passage.id), value: 1, voter },
      ]);
      librarian.useFeedback({ votes: () => Promise.resolve(votes) });
      const after = await librarian.search(q.question, 10);
      librarian.useFeedback(undefined);
      const newRank = after.findIndex((r) => r.passage.id === answer.passage.id) + 1;
      expect(newRank, q.id).toBeGreaterThan(0);
      const baseScore = new Map(base.map((r) => [r.passage.id, r.score]));
      // every passage now above the answer was within the margin of it before
      for (const above of after.slice(0, newRank - 1)) expect(baseScore.get(above.passage.id)! / answer.score, `${q.id}: ${above.passage.id}`).toBeGreaterThanOrEqual(BOUND - 1e-9);
      if (newRank !== rank) reordered++;
    }
    // the votes do something: some near ties flip
    expect(reordered).toBeGreaterThan(0);
  });

  it('👍 from a few readers on the passage holding the answer (and 👎 on the one above it) lifts it over that near tie', async () => {
    const q = questions.find((x) => x.id === 'd17')!; // its answer ranks 2nd without votes
    librarian.useFeedback(undefined);
    const base = await librarian.search(q.question, 10);
    const rank = firstEvidenceRank(base.map((r) => r.passage), q.evidence);
    expect(rank).toBe(2);
    const [top, answer] = base;
    const voters = ['u1', 'u2', 'u3'];
    // three agreeing voters: feedback ±3/4, scores × (1 ± 0.75 m)
    expect(answer.score / top.score).toBeGreaterThan((1 - 0.75 * FEEDBACK_MARGIN) / (1 + 0.75 * FEEDBACK_MARGIN));
    const votes = voters.flatMap((voter) => [
      { question: q.question, passageIds: [answer.passage.id], value: 1, voter },
      { question: q.question, passageIds: [top.passage.id], value: -1, voter },
    ]);
    librarian.useFeedback({ votes: () => Promise.resolve(votes) });
    try {
      const after = await librarian.search(q.question, 10);
      expect(firstEvidenceRank(after.map((r) => r.passage), q.evidence)).toBe(1);
      expect(after.slice(2).map((r) => r.passage.id)).toEqual(base.slice(2).map((r) => r.passage.id));
    } finally {
      librarian.useFeedback(undefined);
    }
  });
});
