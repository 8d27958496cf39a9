import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bruteForceSearch } from '../../src/index/dense.js';
import type { LoadedIndex } from '../../src/index/store.js';
import { evaluateRetrieval, firstEvidenceRank, parseQuestionSet, type EvalReport } from '../../src/retrieval/evaluate.js';
import { ModelMismatchError } from '../../src/core/errors.js';
import { Retriever } from '../../src/retrieval/hybrid.js';
import { FakeEmbedder } from '../index/fixtures.js';
import { corpusRetriever, DEV_SET } from './corpus-index.js';

let index: LoadedIndex;
let retriever: Retriever;

beforeAll(async () => {
  ({ index, retriever } = await corpusRetriever());
});

describe('retrieval on the corpus with the offline corpus model', () => {
  it('a traditional-character query finds the simplified paper, and a simplified query the traditional article', async () => {
    const trad = await retriever.search('美國對中國太陽能電池和光伏組件徵收多少關稅', 5);
    expect(firstEvidenceRank(trad.results.map((r) => r.passage), ['光伏组件征收 30% 关税'])).toBeGreaterThan(0);
    expect(trad.results[0].passage.docId).toBe('zhou2024');

    const simp = await retriever.search('美国为什么要在海外寻找关键矿产的替代供应', 5);
    expect(simp.results.some((r) => r.passage.docId === 'jxw2025')).toBe(true);
    const article = await retriever.search('相互依赖武器化 关键枢纽监控', 5);
    expect(firstEvidenceRank(article.results.map((r) => r.passage), ['關鍵樞紐監控'])).toBeGreaterThan(0);
  });

  it('refuses to search with another model than the index was built with', () => {
    expect(index.manifest.modelId).toMatch(/^corpus:/);
    expect(() => new Retriever(index, new FakeEmbedder('corpus:00000000', index.manifest.dimensions))).toThrow(ModelMismatchError);
  });

  it('HNSW top-10 agrees with brute force on the corpus vectors and real query vectors', async () => {
    const vectors = [...index.allVectors()];
    const queries: Float32Array[] = [...vectors];
    for (const q of ['关键矿物供应链', '美國對華晶片出口管制', 'critical minerals alliance', '稀土', '绿色竞争与数字竞争']) {
      queries.push(await retriever.embedder.embedQuery(q));
    }
    let found = 0;
    let wanted = 0;
    for (const q of queries) {
      const exact = bruteForceSearch(vectors, q, 10);
      const kth = exact[9].score;
      const approx = await index.dense.search(q, 10);
      wanted += 10;
      found += approx.filter((h) => h.score >= kth - 1e-5).length;
    }
    expect(found / wanted).toBeGreaterThanOrEqual(0.99);
  });

  describe.skipIf(!fs.existsSync(DEV_SET))('on the dev question set', () => {
    let report: EvalReport;
    beforeAll(async () => {
      report = await evaluateRetrieval(retriever, parseQuestionSet(fs.readFileSync(DEV_SET, 'utf8')));
    });
    const row = (mode: string, group: string) => report.rows.find((r) => r.mode === mode && r.group === group)!;

    it('hybrid Recall@5 ≥ 0.94 on Chinese ask and term questions (raw-line BM25 baseline: 0.88)', () => {
      expect(row('hybrid', 'zh').questions).toBeGreaterThanOrEqual(15);
      expect(row('hybrid', 'zh').recall[5]).toBeGreaterThanOrEqual(0.94);
    });

    it('hybrid clearly beats the baseline on English questions (0.33) and is not worse than either list alone', () => {
      expect(row('hybrid', 'en').recall[5]).toBeGreaterThanOrEqual(0.66);
      expect(row('hybrid', 'all').recall[10]).toBeGreaterThanOrEqual(Math.max(row('dense', 'all').recall[10], row('lexical', 'all').recall[10]));
      expect(row('hybrid', 'all').mrr).toBeGreaterThanOrEqual(row('dense', 'all').mrr);
    });
  });
});
