/**
 * VECTOR_STORE=pgvector against PGlite (pgvector compiled in) over the wire protocol: the same `pg` code that
 * talks to a production server. The machine's PostgreSQL 15 has no pgvector.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeIndexPool } from '../../src/index/pg/db.js';
import { startPglite, type PgliteServer } from '../../src/index/pg/pglite.js';
import { writeIndex } from '../../src/index/store.js';
import type { IndexSnapshot } from '../../src/index/api.js';
import { parseQuestionSet } from '../../src/retrieval/evaluate.js';
import { ingest } from '../../src/service/ingest.js';
import { createLibrarian, type LibrarianService } from '../../src/service/librarian.js';
import { DEV_SET, REPO_CORPUS_DIR } from '../support/paths.js';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `lodestone-pgvector-${prefix}-`));

async function withEnv<T>(vars: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  try {
    return await work();
  } finally {
    set(before);
  }
}

describe('VECTOR_STORE=pgvector (PGlite over the wire protocol)', () => {
  let server: PgliteServer;
  let remote: LibrarianService;
  let local: LibrarianService;
  let snapshot: IndexSnapshot;
  let closed = false;
  const questions = parseQuestionSet(fs.readFileSync(DEV_SET, 'utf8')).map((q) => q.question);

  beforeAll(async () => {
    server = await startPglite();
    const env = { DATABASE_URL: server.url, VECTOR_STORE: 'pgvector' };
    const ingestDir = tmp('ingest');
    await withEnv(env, () => ingest({ corpusDir: REPO_CORPUS_DIR, indexDir: ingestDir, model: 'corpus' }));
    remote = await withEnv(env, () => createLibrarian({ corpusDir: REPO_CORPUS_DIR, indexDir: tmp('worker'), model: 'corpus', autoIngest: false }));
    snapshot = remote.searcher().index;
    // the very same passages and vectors in the in-process store, the hnswlib graph searched locally
    const localDir = tmp('local');
    writeIndex(localDir, {
      documents: snapshot.documents,
      passages: snapshot.passages,
      vectors: snapshot.passages.map((p) => snapshot.vectorOf(p.id)!),
      embedderModelId: snapshot.manifest.modelId,
      dims: snapshot.manifest.dimensions,
      corpusFingerprint: snapshot.manifest.corpusFingerprint,
      chunkerVersion: snapshot.manifest.chunkerVersion,
      modelDir: snapshot.modelDir,
      build: snapshot.manifest.build,
    });
    for (const f of fs.readdirSync(ingestDir).filter((n) => n.startsWith('lexicon-'))) fs.copyFileSync(path.join(ingestDir, f), path.join(localDir, f));
    local = await withEnv({ DATABASE_URL: undefined, VECTOR_STORE: undefined }, () => createLibrarian({ corpusDir: REPO_CORPUS_DIR, indexDir: localDir, model: 'corpus', autoIngest: false }));
  });
  afterAll(async () => {
    await remote?.close();
    await local?.close();
    if (server) await closeIndexPool(server.url);
    if (!closed) await server?.close();
  });

  it('keeps the generation\'s vectors in a vector(d) column with an HNSW cosine index, ef_search chosen by measurement', async () => {
    expect(snapshot.manifest.vectorStore).toBe('pgvector');
    expect(snapshot.manifest.build?.hnswRecallAt10).toBeGreaterThanOrEqual(0.99);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ vector_table: string }>("SELECT vector_table FROM lodestone_index_generation WHERE generation = $1", [snapshot.generation]);
      const table = rows[0].vector_table;
      const column = await client.query<{ type: string; n: number }>(
        `SELECT format_type(atttypid, atttypmod) AS type, (SELECT count(*)::int FROM ${table}) AS n FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'embedding'`,
        [table],
      );
      expect(column.rows[0]).toEqual({ type: `vector(${snapshot.manifest.dimensions})`, n: snapshot.passageCount });
      const index = await client.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE tablename = $1', [table]);
      expect(index.rows.map((r) => r.indexdef).join('\n')).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    } finally {
      await client.end();
    }
  });

  it('finds each passage by its own vector first, with its cosine similarity', async () => {
    for (const p of snapshot.passages.filter((_, i) => i % 25 === 0)) {
      const [hit] = await snapshot.dense.search(snapshot.vectorOf(p.id)!, 1);
      expect(hit.passage.id).toBe(p.id);
      expect(hit.score).toBeCloseTo(1, 5);
    }
  });

  it('ranks the dev questions as the in-process store does (dense top-10 and fused top-5)', async () => {
    let sameDense = 0;
    let sameFused = 0;
    for (const q of questions) {
      const ids = async (l: LibrarianService, mode: 'dense' | 'hybrid', k: number) => (await l.searcher().search(q, k, mode)).results.map((r) => r.passage.id);
      if (JSON.stringify(await ids(remote, 'dense', 10)) === JSON.stringify(await ids(local, 'dense', 10))) sameDense++;
      if (JSON.stringify(await ids(remote, 'hybrid', 5)) === JSON.stringify(await ids(local, 'hybrid', 5))) sameFused++;
    }
    console.log(`pgvector vs in-process on eval/dev.jsonl (${questions.length} questions): dense top-10 identical ${sameDense}/${questions.length}, fused top-5 identical ${sameFused}/${questions.length}`);
    expect(sameFused).toBe(questions.length);
    expect(sameDense).toBe(questions.length);
  });

  it('answers with the same citations', async () => {
    for (const q of questions.slice(0, 8)) {
      const cited = async (l: LibrarianService) => (await l.ask(q)).citations.map((c) => c.id);
      expect(await cited(remote), q).toEqual(await cited(local));
    }
  });

  it('answers from the generation\'s own vectors, exactly, while the database is away', async () => {
    const query = snapshot.vectorOf(snapshot.passages[7].id)!;
    const before = (await snapshot.dense.search(query, 5)).map((h) => h.passage.id);
    await server.close();
    closed = true;
    const during = (await snapshot.dense.search(query, 5)).map((h) => h.passage.id);
    expect(during).toEqual(before);
    expect(during[0]).toBe(snapshot.passages[7].id);
  });
});
