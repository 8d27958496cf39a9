import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIndex, writeIndex, type LoadedIndex } from '../../src/index/store.js';
import { ModelMismatchError } from '../../src/core/errors.js';
import { Retriever } from '../../src/retrieval/hybrid.js';
import { reciprocalRankFusion } from '../../src/retrieval/fusion.js';
import { FakeEmbedder, sampleCorpus } from '../index/fixtures.js';

const embedder = new FakeEmbedder();
let index: LoadedIndex;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-hybrid-'));
  const { documents, passages } = sampleCorpus();
  const vectors = await embedder.embedPassages(passages.map((p) => p.text));
  writeIndex(dir, { documents, passages, vectors, embedderModelId: embedder.modelId, dims: embedder.dimensions, corpusFingerprint: 'x', chunkerVersion: 't' });
  index = loadIndex(dir);
});

describe('Retriever', () => {
  it('finds a simplified passage from a traditional-character query, in every mode', async () => {
    const retriever = new Retriever(index, embedder);
    for (const mode of ['lexical', 'dense', 'hybrid'] as const) {
      const { results } = await retriever.search('美國對中國太陽能電池徵收多少關稅？', 3, mode);
      expect(results[0].passage.id, mode).toBe('paper:p1');
    }
  });

  it('finds a traditional passage from a simplified query', async () => {
    const retriever = new Retriever(index, embedder);
    for (const mode of ['lexical', 'dense', 'hybrid'] as const) {
      const { results } = await retriever.search('相互依赖武器化的两个环节', 3, mode);
      expect(results[0].passage.id, mode).toBe('article:p0');
    }
  });

  it('refuses an embedder that is not the one the index was built with', () => {
    const other = new FakeEmbedder('Xenova/multilingual-e5-small', 64);
    expect(() => new Retriever(index, other)).toThrow(ModelMismatchError);
    expect(() => new Retriever(index, other)).toThrow(/built with embedding model "fake:bigram-64".*"Xenova\/multilingual-e5-small"/);
  });

  it('returns k results with scores in descending order, with ranks from both lists', async () => {
    const { results, timings } = await new Retriever(index, embedder).search('关键矿物供应链', 4);
    expect(results).toHaveLength(4);
    for (let i = 1; i < results.length; i++) expect(results[i - 1].score).toBeGreaterThanOrEqual(results[i].score);
    expect(results[0].passage.id).toBe('paper:p0');
    expect(results[0].denseRank).toBeDefined();
    expect(results[0].lexicalRank).toBeDefined();
    expect(timings.embedMs).toBeGreaterThanOrEqual(0);
  });

  it('uses glossary aliases: an English term finds the Chinese passage', async () => {
    const plain = await new Retriever(index, embedder).search('friend-shoring', 1, 'lexical');
    expect(plain.results[0]?.passage.id).not.toBe('article:p1');
    const expanded = new Retriever(index, embedder, { expand: (q) => (q === 'friend-shoring' ? ['友岸外包'] : []) });
    for (const mode of ['lexical', 'hybrid'] as const) {
      expect((await expanded.search('friend-shoring', 1, mode)).results[0].passage.id).toBe('article:p1');
    }
  });

  it('survives a throwing expansion and an empty query', async () => {
    const retriever = new Retriever(index, embedder, { expand: () => { throw new Error('glossary broken'); } });
    expect((await retriever.search('镍的分布', 1)).results[0].passage.id).toBe('paper:p2');
    expect((await retriever.search('   ', 3)).results.length).toBeLessThanOrEqual(3);
  });
});

describe('reciprocalRankFusion', () => {
  it('puts an item ranked well by both lists above items ranked first by one', () => {
    const fused = reciprocalRankFusion(
      [
        { items: ['a', 'b', 'c', 'e'], weight: 0.5 },
        { items: ['d', 'b', 'x', 'a'], weight: 0.5 },
      ],
      (x) => x,
      10,
    );
    expect(fused.map((f) => f.item).slice(0, 2)).toEqual(['b', 'a']);
    expect(fused.find((f) => f.item === 'b')?.ranks).toEqual([2, 2]);
    expect(fused.find((f) => f.item === 'd')?.ranks).toEqual([0, 1]);
  });

  it('follows the weights', () => {
    const fused = reciprocalRankFusion([{ items: ['a'], weight: 0.2 }, { items: ['b'], weight: 0.8 }], (x) => x, 10);
    expect(fused[0].item).toBe('b');
  });
});
