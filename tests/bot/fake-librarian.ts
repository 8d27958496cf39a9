/** A small in-test Librarian with two passages, for rendering and plumbing tests that need no index. */
import type { Answer, AnswerPart, Citation } from '../../src/core/answer.js';
import { answerText } from '../../src/answer/plainText.js';
import type { Passage } from '../../src/core/passage.js';
import type { AskOptions, Librarian } from '../../src/service/librarian-api.js';
import { detectLang } from '../../src/text/language.js';

const passages: Passage[] = [
  { id: 'zhou2024:4.3:p5', docId: 'zhou2024', kind: 'paragraph', label: '周亚敏 2024 · 四（三）¶5', text: '美国在关键矿物供应链领域对华实施选择性脱钩，限制稀土等关键矿物的投资与贸易。', searchKey: '', sectionPath: [], ordinal: 5, footnotes: [], citedBy: [] },
  { id: 'zhou2024:fn12', docId: 'zhou2024', kind: 'footnote', label: '周亚敏 2024 · 注⑫', text: '参见美国能源部《关键材料评估》，2023年。', searchKey: '', sectionPath: [], ordinal: 40, footnotes: [], citedBy: [] },
];
const title = '全球绿色与数字供应链的对华选择性脱钩';

export function fakeAnswer(question: string, n = 2): Answer {
  const citations: Citation[] = passages.slice(0, n).map((p, i) => ({ n: i + 1, id: p.id, docId: p.docId, title, label: p.label, text: p.text, score: 1 - i / 10 }));
  const lang = detectLang(question);
  const parts: AnswerPart[] = citations.map((c) => ({ kind: 'quote', text: c.text, n: c.n }));
  return {
    question,
    lead: '根据文献原文：',
    parts,
    text: answerText('根据文献原文：', parts, citations, lang),
    citations,
    supported: true,
    lang,
    related: [],
    composer: 'extractive',
    timings: { embedMs: 1, searchMs: 1, composeMs: 1, totalMs: 3 },
  };
}

export function fakeLibrarian(calls: { question: string; options?: AskOptions }[] = []): Librarian {
  return {
    async ask(question, options) {
      calls.push({ question, options });
      return fakeAnswer(question);
    },
    async search(query, k = 5) {
      return passages.slice(0, k).map((passage, i) => ({ passage, score: 1 - i / 10 }));
    },
    term: (query) => ({ query, entries: [], suggestions: ['脱钩'] }),
    termChoices: (prefix) => Array.from({ length: 40 }, (_, i) => ({ name: `${prefix || '脱钩'} ${i}`, value: `t${i}` })),
    cite: async (id) => {
      const passage = passages.find((p) => p.id === id);
      return passage ? { passage, citation: `“${passage.text}” — ${passage.label}，${title}`, title } : null;
    },
    citeChoices: () => passages.map((p) => ({ name: p.label, value: p.id })),
    findSources: async (claim) => ({ text: claim, lang: detectLang(claim), verdict: 'unsupported', findings: [], unchecked: 0 }),
    sources: () => [],
    passage: (id) => passages.find((p) => p.id === id),
    describe: () => ({ model: 'corpus-static', passages: 2, documents: 1 }),
  };
}
