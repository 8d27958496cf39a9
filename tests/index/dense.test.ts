import { describe, expect, it } from 'vitest';
import { bruteForceSearch, DenseIndex, measureHnswRecall } from '../../src/index/dense.js';
import { DEFAULT_HNSW } from '../../src/index/manifest.js';
import { FakeEmbedder } from './fixtures.js';

const embedder = new FakeEmbedder('fake', 32);
// clustered, text-like vectors: 300 short "passages" over a small vocabulary
const texts = Array.from({ length: 300 }, (_, i) => `关键矿物${'锂镍钴稀土铜'[i % 5]}供应链${i % 17}第${i}段`);
const vectors = texts.map((t) => embedder.vector(t));

describe('DenseIndex', () => {
  it('returns the same top-10 as brute force with the default parameters', () => {
    expect(measureHnswRecall(vectors, 32, DEFAULT_HNSW, 10).recall).toBeGreaterThanOrEqual(0.99);
  });

  it('scores are cosine similarities and k larger than ef or the index is handled', () => {
    const index = DenseIndex.build(vectors.slice(0, 20), 32, { m: 8, efConstruction: 50, ef: 4 });
    const hits = index.search(vectors[3], 50);
    expect(hits).toHaveLength(20);
    expect(hits[0]).toMatchObject({ position: 3 });
    expect(hits[0].score).toBeCloseTo(1, 5);
    const exact = bruteForceSearch(vectors.slice(0, 20), vectors[3], 20);
    expect(hits.map((h) => h.position)).toEqual(exact.map((h) => h.position));
  });

  it('an empty index answers with nothing', () => {
    expect(DenseIndex.build([], 32, DEFAULT_HNSW).search(vectors[0], 5)).toEqual([]);
  });
});
