import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexError } from '../../src/core/errors.js';
import { loadIndex, readManifest, writeIndex, type IndexInput } from '../../src/index/store.js';
import { INDEX_FORMAT_VERSION } from '../../src/index/manifest.js';
import { FakeEmbedder, sampleCorpus } from './fixtures.js';

const embedder = new FakeEmbedder();

async function sampleInput(): Promise<IndexInput> {
  const { documents, passages } = sampleCorpus();
  const vectors = await embedder.embedPassages(passages.map((p) => p.text));
  return { documents, passages, vectors, embedderModelId: embedder.modelId, dims: embedder.dimensions, corpusFingerprint: 'fp-1', chunkerVersion: 'test' };
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-store-'));
}

describe('index store', () => {
  it('loads back exactly what was written, with a manifest describing it', async () => {
    const dir = tmpDir();
    const input = await sampleInput();
    writeIndex(dir, input);
    const index = loadIndex(dir);
    expect(index.passages).toEqual(input.passages);
    expect(index.documents).toEqual(input.documents);
    expect(Array.from(index.vectorOf('paper:p2')!)).toEqual(Array.from(input.vectors[2]));
    expect(index.byId('article:p1')?.text).toBe(input.passages[9].text);
    expect(index.manifest).toMatchObject({
      formatVersion: INDEX_FORMAT_VERSION,
      modelId: 'fake:bigram-64',
      dimensions: 64,
      passageCount: input.passages.length,
      corpusFingerprint: 'fp-1',
      hnsw: { m: expect.any(Number), efConstruction: expect.any(Number), ef: expect.any(Number) },
    });
    expect(Date.parse(index.manifest.builtAt)).not.toBeNaN();
    // the passage's own vector is its nearest neighbour
    expect((await index.dense.search(input.vectors[5], 1))[0].passage.id).toBe('paper:p5');
  });

  it('refuses a missing index with a message saying to ingest', () => {
    expect(() => loadIndex(path.join(tmpDir(), 'nothing'))).toThrow(/npx lodestone ingest/);
  });

  it('detects a flipped bit in the vectors instead of using them', async () => {
    const dir = tmpDir();
    const written = writeIndex(dir, await sampleInput());
    const file = path.join(written.dir, 'vectors.f32');
    const bytes = fs.readFileSync(file);
    bytes[17] ^= 0x04;
    fs.writeFileSync(file, bytes);
    expect(() => loadIndex(dir)).toThrow(IndexError);
    expect(() => loadIndex(dir)).toThrow(/vectors\.f32 does not match its checksum/);
  });

  it('detects a truncated passages file', async () => {
    const dir = tmpDir();
    const written = writeIndex(dir, await sampleInput());
    const file = path.join(written.dir, 'passages.jsonl');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    expect(() => loadIndex(dir)).toThrow(/passages\.json/);
  });

  it('keeps the previous index when a write fails before its commit, and cleans up after itself', async () => {
    const dir = tmpDir();
    const input = await sampleInput();
    writeIndex(dir, input);
    const changed = { ...input, corpusFingerprint: 'fp-2', beforeCommit: () => { throw new Error('disk full'); } };
    expect(() => writeIndex(dir, changed)).toThrow('disk full');
    expect(loadIndex(dir).manifest.corpusFingerprint).toBe('fp-1');
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.tmp'))).toEqual([]);
    writeIndex(dir, { ...input, corpusFingerprint: 'fp-3' });
    expect(readManifest(dir)?.corpusFingerprint).toBe('fp-3');
  });

  it('keeps only a few old generations', async () => {
    const dir = tmpDir();
    const input = await sampleInput();
    for (let i = 0; i < 5; i++) writeIndex(dir, { ...input, corpusFingerprint: `fp-${i}` });
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('gen-')).length).toBe(3);
    expect(loadIndex(dir).manifest.corpusFingerprint).toBe('fp-4');
  });

  it('rejects vectors that do not match the passages', async () => {
    const input = await sampleInput();
    expect(() => writeIndex(tmpDir(), { ...input, vectors: input.vectors.slice(1) })).toThrow(/vectors/);
  });
});
