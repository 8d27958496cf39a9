import { describe, expect, it } from 'vitest';
import type { DocumentInfo } from '../../src/core/passage.js';
import { namedDocuments } from '../../src/retrieval/documentHints.js';

const doc = (id: string, extra: Partial<DocumentInfo>): DocumentInfo => ({ id, title: id, author: '佚名', lang: 'zh-Hans', file: `${id}.md`, contentHash: id, ...extra });
const DOCS = [
  doc('zhou2024', { author: '周亚敏', venue: '《世界经济与政治》2024年第1期', kind: 'paper' }),
  doc('jxw2025', { venue: '加西網（westca.com）「中美博弈」欄目', kind: 'web article', lang: 'zh-Hant' }),
];

describe('documents a question names', () => {
  it.each([
    ['What does the web article say about lithium?', ['jxw2025']],
    ['加西网那篇怎么说？', ['jxw2025']],
    ['How does the paper contrast the two countries?', ['zhou2024']],
    ['周亚敏认为美国为什么选择性脱钩？', ['zhou2024']],
    ['《世界经济与政治》上的论文', ['zhou2024']],
    ['What is friend-shoring?', []],
    ['What do the newspaper reports say?', []],
  ])('%s → %j', (question, ids) => {
    expect([...namedDocuments(question, DOCS)].sort()).toEqual(ids);
  });

  it('文章, any article, leans retrieval toward the web article but names no document for the answer', () => {
    const q = '文章說美國的武器化策略建立在什麼基礎上？';
    expect([...namedDocuments(q, DOCS, { leaning: true })]).toEqual(['jxw2025']);
    expect(namedDocuments(q, DOCS).size).toBe(0);
  });

  it('a question naming every document favours none', () => {
    expect(namedDocuments('Do the paper and the web article agree?', DOCS).size).toBe(0);
  });
});
