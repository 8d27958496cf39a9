/** The reading-comprehension harness's fixed split and scoring (src/service/squad.ts). */
import { describe, expect, it } from 'vitest';
import { holdsGold, parseSquad, plainLead, selectSquad, type SquadArticle } from '../../src/service/squad.js';
import { UserInputError } from '../../src/core/errors.js';

const article = (i: number): SquadArticle => ({
  title: `第${i}篇`,
  paragraphs: [{ context: `第${i}段。`, qas: [{ id: `q${i}`, question: `第${i}个问题是什么？`, answers: [{ text: `答案${i}` }] }] }],
});
const articles = Array.from({ length: 24 }, (_, i) => article(i));

describe('the fixed split', () => {
  it('odd articles fit, even ones report; every 6th of a part is a near miss', () => {
    const fit = selectSquad(articles, { part: 'fit', leaveOutEvery: 6 });
    expect(fit.documents.map((d) => d.index)).toEqual([1, 3, 5, 7, 9, 13, 15, 17, 19, 21]);
    expect(fit.questions.filter((q) => q.nearMiss).map((q) => q.article)).toEqual([11, 23]);
    const report = selectSquad(articles, { part: 'report', leaveOutEvery: 6 });
    expect(report.questions.filter((q) => q.nearMiss).map((q) => q.article)).toEqual([10, 22]);
    expect(report.questions.map((q) => q.article).every((i) => i % 2 === 0)).toBe(true);
    const all = selectSquad(articles, { part: 'all', leaveOutEvery: 6 });
    expect(all.questions).toHaveLength(24);
    expect(all.documents).toHaveLength(20);
  });

  it('parallel questions replace the text by id and add their gold', () => {
    const en: SquadArticle[] = [{ title: 'x', paragraphs: [{ context: '', qas: [{ id: 'q1', question: 'What is the first question?', answers: [{ text: 'answer one' }] }] }] }];
    const selection = selectSquad(articles, { part: 'fit', leaveOutEvery: 0, parallel: en });
    expect(selection.questions).toEqual([{ id: 'q1', question: 'What is the first question?', lang: 'en', article: 1, nearMiss: false, gold: ['答案1', 'answer one'] }]);
  });

  it('a file that is not in the SQuAD layout is a clear error', () => {
    expect(() => parseSquad('{"data": [{"title": "x"}]}', 'x.json')).toThrow(UserInputError);
    expect(() => parseSquad('not json', 'x.json')).toThrow(/not JSON/);
  });
});

describe('scoring', () => {
  it('the lead is read without [n] and the English prefix', () => {
    expect(plainLead('In short: 三条跑道 [1]')).toBe('三条跑道');
  });
  it('a gold answer matches across scripts, widths, case and spaces', () => {
    expect(holdsGold('哈大客運專線於2007年開工', ['哈大客运专线'])).toBe(true);
    expect(holdsGold('Port  Elizabeth Airport', ['port elizabeth'])).toBe(true);
    expect(holdsGold('三条跑道', ['两条跑道', ''])).toBe(false);
  });
});
