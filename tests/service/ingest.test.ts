import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveIndex } from '../../src/index/live.js';
import { loadIndex } from '../../src/index/store.js';
import type { IndexSnapshot } from '../../src/index/api.js';
import { openIndexStore } from '../../src/index/open.js';
import { Retriever } from '../../src/retrieval/hybrid.js';
import { indexIsStale, ingest, watchCorpus, type IngestSummary } from '../../src/service/ingest.js';
import { FakeEmbedder, PAPER_TEXTS, ARTICLE_TEXTS } from '../index/fixtures.js';
import { fakeDeps } from './ingest-fakes.js';

function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-ingest-'));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  fs.mkdirSync(corpusDir);
  fs.writeFileSync(path.join(corpusDir, 'paper.txt'), PAPER_TEXTS.join('\n\n'));
  fs.writeFileSync(path.join(corpusDir, 'article.txt'), ARTICLE_TEXTS.join('\n\n'));
  const deps = fakeDeps();
  return { corpusDir, indexDir, deps, opts: { corpusDir, indexDir, model: 'corpus', deps } };
}

describe('ingest', () => {
  it('builds an index, then on an unchanged corpus reuses every vector and is not stale', async () => {
    const { opts, deps } = setup();
    expect(await indexIsStale(opts.corpusDir, opts.indexDir, 'corpus', deps)).toBe(true);
    const first = await ingest(opts);
    expect(first).toMatchObject({ documents: 2, passages: PAPER_TEXTS.length + ARTICLE_TEXTS.length, embeddedPassages: 11, reusedDocuments: 0 });
    expect(first.model).toMatch(/^corpus:/);
    expect(await indexIsStale(opts.corpusDir, opts.indexDir, 'corpus', deps)).toBe(false);
    const second = await ingest(opts);
    expect(second).toMatchObject({ embeddedPassages: 0, reusedDocuments: 2, model: first.model });
    expect(deps.trained).toBe(1);
  });

  it('editing one paragraph re-embeds only it; every other passage id and vector stays as it was', async () => {
    const { opts, deps } = setup();
    await ingest(opts);
    const before = loadIndex(opts.indexDir);
    const edited = [...PAPER_TEXTS];
    edited[3] = '稀土永磁材料广泛用于电动汽车、风力发电机和导弹制导系统。';
    fs.writeFileSync(path.join(opts.corpusDir, 'paper.txt'), edited.join('\n\n'));
    expect(await indexIsStale(opts.corpusDir, opts.indexDir, 'corpus', deps)).toBe(true);

    const summary = await ingest(opts);
    expect(summary.embeddedPassages).toBe(1);
    expect(summary.reusedDocuments).toBe(1); // the article
    expect(deps.trained).toBe(1); // the corpus model is kept: retraining would move every vector
    const after = loadIndex(opts.indexDir);
    expect(after.manifest.modelId).toBe(before.manifest.modelId);
    expect(after.passages.map((p) => p.id)).toEqual(before.passages.map((p) => p.id));
    for (const p of before.passages) {
      if (p.id === 'paper:p3') {
        expect(after.byId(p.id)?.text).toContain('导弹');
        expect(Array.from(after.vectorOf(p.id)!)).not.toEqual(Array.from(before.vectorOf(p.id)!));
      } else {
        expect(Array.from(after.vectorOf(p.id)!), p.id).toEqual(Array.from(before.vectorOf(p.id)!));
      }
    }
  });

  it('a deleted document leaves the index; a new one is added', async () => {
    const { opts } = setup();
    await ingest(opts);
    fs.rmSync(path.join(opts.corpusDir, 'article.txt'));
    fs.writeFileSync(path.join(opts.corpusDir, 'notes.txt'), '钴主要产自刚果民主共和国。');
    const summary = await ingest(opts);
    expect(summary.embeddedPassages).toBe(1);
    const index = loadIndex(opts.indexDir);
    expect(index.documents.map((d) => d.id).sort()).toEqual(['notes', 'paper']);
    expect(index.passages.some((p) => p.docId === 'article')).toBe(false);
    expect((await index.dense.search(index.vectorOf('notes:p0')!, 1))[0].passage.id).toBe('notes:p0');
  });

  it('--force retrains the corpus model and re-embeds everything; a new model setting makes the index stale', async () => {
    const { opts, deps } = setup();
    await ingest(opts);
    const forced = await ingest({ ...opts, force: true });
    expect(deps.trained).toBe(2);
    expect(forced.embeddedPassages).toBe(11);
    expect(await indexIsStale(opts.corpusDir, opts.indexDir, 'Xenova/multilingual-e5-small', deps)).toBe(true);
  });

  it('falls back to the corpus model with a warning when the configured hub model cannot be loaded', async () => {
    const { opts } = setup();
    const warnings: string[] = [];
    const summary = await ingest({ ...opts, model: 'Xenova/multilingual-e5-small', onWarning: (w) => warnings.push(w) });
    expect(summary.model).toMatch(/^corpus:/);
    expect(warnings.join('\n')).toMatch(/could not load .*offline corpus model.*EMBEDDING_MODEL=corpus/);
  });

  it('refuses an empty corpus with a clear message', async () => {
    const { opts } = setup();
    for (const f of fs.readdirSync(opts.corpusDir)) fs.rmSync(path.join(opts.corpusDir, f));
    await expect(ingest(opts)).rejects.toThrow(/no passages/);
  });
});

describe('keeping a running service in sync', () => {
  it('swaps in a new generation without failing a query in flight', async () => {
    const { opts } = setup();
    await ingest(opts);
    const live = await LiveIndex.open(openIndexStore(opts.indexDir));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // the service builds one Retriever per generation; a search holds the one it started with
    const retrieverFor = (index: IndexSnapshot, slow = false) => {
      const embedder = new FakeEmbedder(index.manifest.modelId);
      if (slow) {
        const fast = embedder.embedQuery.bind(embedder);
        embedder.embedQuery = async (t: string) => {
          await gate;
          return fast(t);
        };
      }
      return new Retriever(index, embedder);
    };
    const inFlight = retrieverFor(live.current(), true).search('钴的产地', 3);
    await new Promise((r) => setTimeout(r, 20));

    fs.writeFileSync(path.join(opts.corpusDir, 'notes.txt'), '钴主要产自刚果民主共和国。');
    await ingest(opts);
    expect(await live.reloadIfChanged()).toBe(true);
    release();
    const old = await inFlight;
    expect(old.results.some((r) => r.passage.docId === 'notes')).toBe(false); // answered from the index it started on
    const fresh = await retrieverFor(live.current()).search('钴的产地', 3);
    expect(fresh.results[0].passage.id).toBe('notes:p0');
    live.close();
  });

  it('keeps serving the current generation when the new one is corrupt', async () => {
    const { opts } = setup();
    await ingest(opts);
    const errors: Error[] = [];
    const live = await LiveIndex.open(openIndexStore(opts.indexDir), { onError: (e) => errors.push(e) });
    fs.writeFileSync(path.join(opts.corpusDir, 'notes.txt'), '钴主要产自刚果民主共和国。');
    const summary = await ingest(opts);
    fs.appendFileSync(path.join(opts.indexDir, summary.generation, 'passages.jsonl'), ' ');
    expect(await live.reloadIfChanged()).toBe(false);
    expect(errors[0]?.message).toMatch(/checksum/);
    expect(live.current().passages.some((p) => p.docId === 'notes')).toBe(false);
  });

  it('watchCorpus re-ingests after a file changes and LiveIndex.watch picks it up', async () => {
    const { opts } = setup();
    await ingest(opts);
    const live = await LiveIndex.open(openIndexStore(opts.indexDir), { pollMs: 50, debounceMs: 20 });
    live.watch();
    const done = new Promise<IngestSummary>((resolve) => {
      const watcher = watchCorpus({ ...opts, debounceMs: 50 }, (s) => {
        watcher.close();
        resolve(s);
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    fs.writeFileSync(path.join(opts.corpusDir, 'notes.txt'), '钴主要产自刚果民主共和国。');
    const summary = await done;
    expect(summary.embeddedPassages).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(live.current().byId('notes:p0')).toBeDefined();
    live.close();
  });
});
