import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { LiveIndex } from '../../src/index/live.js';
import { openIndexStore } from '../../src/index/open.js';
import { closeIndexPool } from '../../src/index/pg/db.js';
import { PgIndexStore } from '../../src/index/pg/store.js';
import { ingest } from '../../src/service/ingest.js';
import { createLibrarian, type LibrarianService } from '../../src/service/librarian.js';
import { FakeEmbedder, sampleCorpus } from '../index/fixtures.js';
import { REPO_CORPUS_DIR as REPO_CORPUS } from '../support/paths.js';
import { freshDatabase, type TestDatabase } from './support.js';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `lodestone-pg-${prefix}-`));
const QUESTIONS = ['镍主要分布在哪些国家？', '美国对中国太阳能电池征收多少关税？', 'What is selective decoupling?'];

/** Runs `work` with DATABASE_URL set (or unset): the store a librarian or ingest opens follows it. */
async function withDatabase<T>(url: string | undefined, work: () => Promise<T>): Promise<T> {
  const before = process.env.DATABASE_URL;
  if (url === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = url;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
  }
}

async function citedIds(librarian: LibrarianService, question: string): Promise<string[]> {
  return (await librarian.ask(question)).citations.map((c) => c.id);
}

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the index published to PostgreSQL', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  const librarians: LibrarianService[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const l of librarians) await l.close();
    await admin?.end();
    await closeIndexPool(db.url);
    await db?.drop();
  });

  it('is served by a worker that has an empty index folder and no corpus, with the answers of the machine that ingested', async () => {
    const ingestDir = tmp('ingest');
    const summary = await withDatabase(db.url, () => ingest({ corpusDir: REPO_CORPUS, indexDir: ingestDir, model: 'corpus' }));
    expect(summary.generation).toBe('gen-000001');
    // everything is in the database: rows for the generation, its files, the current pointer
    const files = (await admin.query<{ path: string }>("SELECT DISTINCT path FROM lodestone_index_file WHERE generation = 'gen-000001'")).rows.map((r) => r.path);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'documents.json', 'passages.jsonl', 'vectors.f32', 'hnsw.bin', 'lexical.json', 'postings.bin', 'model/onnx/model.onnx']));
    expect(files.some((f) => /^lexicon-[0-9a-f]+\.json$/.test(f))).toBe(true);

    const workerDir = tmp('worker');
    const worker = await withDatabase(db.url, () => createLibrarian({ corpusDir: path.join(workerDir, 'no-corpus'), indexDir: workerDir, model: 'corpus' }));
    librarians.push(worker);
    // the model and every file were cached locally from the database
    expect(fs.readdirSync(path.join(workerDir, 'postgres'))).toEqual([expect.stringMatching(/^gen-000001-[0-9a-f]+$/)]);
    const local = await withDatabase(undefined, () => createLibrarian({ corpusDir: REPO_CORPUS, indexDir: tmp('local'), model: 'corpus' }));
    librarians.push(local);
    for (const question of QUESTIONS) {
      const fromDb = await citedIds(worker, question);
      expect(fromDb.length, question).toBeGreaterThan(0);
      expect(fromDb, question).toEqual(await citedIds(local, question));
    }
  });

  it('is swapped in by a LISTENing worker as soon as another machine commits a new generation', async () => {
    const worker = new PgIndexStore(db.url, tmp('listener'));
    const swaps: string[] = [];
    // no polling: only the NOTIFY can make it swap
    const live = new LiveIndex(worker, await worker.load(), { pollMs: 0, debounceMs: 10, onSwap: (index) => swaps.push(index.generation) });
    live.watch();
    try {
      // a corpus with one more document, ingested elsewhere
      const corpus = tmp('corpus');
      fs.cpSync(REPO_CORPUS, corpus, { recursive: true });
      fs.writeFileSync(path.join(corpus, 'cobalt-note.md'), '# 钴的笔记\n\n刚果民主共和国的钴矿产量占全球七成以上，精炼环节则集中在中国。\n');
      const summary = await withDatabase(db.url, () => ingest({ corpusDir: corpus, indexDir: tmp('ingest2'), model: 'corpus' }));
      await until(async () => swaps.includes(summary.generation), 'the swap');
      expect(live.current().generation).toBe(summary.generation);
      const hits = await live.current().lexical.search(['刚果', '钴'], 1);
      expect(hits[0].passage.docId).toMatch(/cobalt-note/);
    } finally {
      live.close();
    }
  });

  it('keeps listening after its connection is cut: it reconnects and swaps on the next commit', async () => {
    const worker = new PgIndexStore(db.url, tmp('reconnect'));
    const swaps: string[] = [];
    const live = new LiveIndex(worker, await worker.load(), { pollMs: 0, debounceMs: 10, onSwap: (index) => swaps.push(index.generation) });
    live.watch();
    const listeners = async () =>
      (await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lodestone index listener' AND query ILIKE 'LISTEN%'")).rows.map((r) => r.pid);
    try {
      await until(async () => (await listeners()).length === 1, 'the listener');
      const [first] = await listeners();
      // what a server restart or a dropped network does to that one connection
      await admin.query('SELECT pg_terminate_backend($1)', [first]);
      await until(async () => {
        const now = await listeners();
        return now.length === 1 && now[0] !== first;
      }, 'the listener to reconnect');
      const embedder = new FakeEmbedder();
      const { documents, passages } = sampleCorpus();
      const vectors = await embedder.embedPassages(passages.map((p) => p.text));
      const written = await new PgIndexStore(db.url, tmp('writer')).write({ documents, passages, vectors, embedderModelId: embedder.modelId, dims: 64, corpusFingerprint: 'after-reconnect', chunkerVersion: 'test' });
      await until(async () => swaps.includes(written.generation), 'the swap after reconnecting');
    } finally {
      live.close();
    }
  });

  it('keeps the previous generation current when the ingest is killed with its transaction open', async () => {
    const before = await openStoreCurrent(db.url);
    const generations = await countGenerations(admin);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'index-crash-writer.ts'), db.url, tmp('crash'), 'hang-before-commit'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('staged') && resolve());
      child.on('exit', () => reject(new Error('the writer exited before staging')));
    });
    // the whole generation is inside an open transaction at this moment
    const open = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'");
    expect(open.rows[0].n).toBeGreaterThanOrEqual(1);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await until(async () => (await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")).rows[0].n === 0, 'the server to roll back');
    expect(await openStoreCurrent(db.url)).toBe(before);
    expect(await countGenerations(admin)).toBe(generations);
    // a fresh worker loads and answers from the previous generation
    const index = await new PgIndexStore(db.url, tmp('after-crash')).load();
    expect(index.generation).toBe(before);
    expect((await index.lexical.search(['镍'], 1)).length).toBe(1);
  });

  it('always leaves a complete, verifiable generation current when writers are killed at arbitrary moments', async () => {
    for (const delay of [0, 40, 120, 300]) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'index-crash-writer.ts'), db.url, tmp('loop'), 'loop'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // killed inside a later write, once at least one has been committed
        if (out.includes('wrote 0') && !out.includes('killing')) {
          out += 'killing';
          setTimeout(() => child.kill('SIGKILL'), delay);
        }
      });
      expect(await exited).toBe('SIGKILL');
      const index = await new PgIndexStore(db.url, tmp('verify')).load(); // throws on a missing or mismatched file
      expect(index.passages.length).toBe(index.manifest.passageCount);
      expect(index.manifest.corpusFingerprint).toMatch(/^child-\d+$/);
    }
  }, 120_000);

  it('keeps only a few old generations in the database', async () => {
    const store = new PgIndexStore(db.url, tmp('prune'));
    const embedder = new FakeEmbedder();
    const { documents, passages } = sampleCorpus();
    const vectors = await embedder.embedPassages(passages.map((p) => p.text));
    for (let i = 0; i < 4; i++) await store.write({ documents, passages, vectors, embedderModelId: embedder.modelId, dims: 64, corpusFingerprint: `prune-${i}`, chunkerVersion: 'test' });
    const current = await store.current();
    const kept = (await admin.query<{ generation: string }>('SELECT generation FROM lodestone_index_generation ORDER BY number')).rows.map((r) => r.generation);
    expect(kept).toHaveLength(3);
    expect(kept[2]).toBe(current);
  });

  it('a DATABASE_URL nobody answers on is one line naming it, not a hang or a stack', async () => {
    const store = openIndexStore(tmp('nowhere'), { DATABASE_URL: 'postgres://lodestone:secret@127.0.0.1:1/nowhere' });
    const error = await store.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/127\.0\.0\.1:1/);
    expect((error as Error).message).not.toMatch(/secret|\n/);
  });
});

async function openStoreCurrent(url: string): Promise<string | undefined> {
  return new PgIndexStore(url, tmp('peek')).current();
}

async function countGenerations(admin: pg.Client): Promise<number> {
  return (await admin.query('SELECT count(*)::int AS n FROM lodestone_index_generation')).rows[0].n;
}
