import type pg from 'pg';
import { DEFAULT_HNSW } from '../index/manifest.js';
import { indexVectors, insertVectors, PGVECTOR_MAX_EF, pgvectorSearch, tunePgvectorEf } from '../index/pg/pgvector.js';
import { exactTopK, recallAtK, type Neighbour } from './exact-search.js';
import { percentile, round } from './stats.js';
import { rows, type VectorMatrix } from './synthetic.js';

/** One pgvector measurement: the same vectors, queries and yardstick as the in-process HNSW rows. */
export interface PgvectorRow {
  /** Which server: `pgvector 0.8.1 in PGlite 0.5.14 (wire protocol)` or `pgvector 0.8.0 on PostgreSQL 16 (DATABASE_URL)`. */
  name: string;
  n: number;
  dims: number;
  /** Inserting the vectors and building the HNSW index (m 16, ef_construction 200), seconds. */
  buildSeconds: number;
  insertSeconds: number;
  indexSeconds: number;
  ef: number;
  /** Whether this ef is the one ingest would choose (smallest reaching recall 0.99 on its own sample). */
  tuned: boolean;
  searchP50Ms: number;
  searchP95Ms: number;
  recallAt10: number;
}

const K = 10;
const TABLE = 'lodestone_bench_vectors';

/**
 * Where pgvector runs for the bench: DATABASE_URL when that server has the extension, else PGlite started
 * here (this machine's PostgreSQL has no pgvector); the row names say which.
 */
async function pgvectorServer(env: NodeJS.ProcessEnv): Promise<{ url: string; label: string; close(): Promise<void> }> {
  const { loadPg } = await import('../index/pg/db.js');
  const { Client } = await loadPg();
  const url = env.DATABASE_URL?.trim();
  if (url) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      const available = await client.query<{ version: string }>("SELECT default_version AS version FROM pg_available_extensions WHERE name = 'vector'");
      const server = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      if (available.rows[0]) return { url, label: `pgvector ${available.rows[0].version} on PostgreSQL ${server.rows[0].v.split(' ')[0]} (DATABASE_URL)`, close: async () => undefined };
    } catch {
      // unreachable: PGlite below
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const { startPglite } = await import('../index/pg/pglite.js');
  const server = await startPglite();
  const client = new Client({ connectionString: server.url });
  try {
    await client.connect();
    const version = (await client.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'")).rows[0]?.v ?? '?';
    const postgres = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v.split(' ')[0];
    return { ...server, label: `pgvector ${version} in PGlite (PostgreSQL ${postgres} in WebAssembly, over the wire protocol)` };
  } catch (error) {
    await server.close();
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Builds the table and HNSW index at this size and searches it at every ef of the ladder (and the tuned one). */
export async function measurePgvector(matrix: VectorMatrix, queries: VectorMatrix, options: { efs: number[]; timedQueries: number; recallQueries: number; env?: NodeJS.ProcessEnv }): Promise<PgvectorRow[]> {
  const server = await pgvectorServer(options.env ?? process.env);
  const { loadPg } = await import('../index/pg/db.js');
  const { Pool } = await loadPg();
  const pool: pg.Pool = new Pool({ connectionString: server.url, max: 1 });
  try {
    const vectors = rows(matrix);
    const queryRows = rows(queries).slice(0, Math.max(options.timedQueries, options.recallQueries));
    const recallRows = queryRows.slice(0, options.recallQueries);
    const exact: Neighbour[][] = recallRows.map((q) => exactTopK(matrix, q, K));
    const client = await pool.connect();
    let insertSeconds: number;
    let indexSeconds: number;
    let tunedEf: number;
    try {
      await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
      await client.query('BEGIN');
      const t0 = performance.now();
      await insertVectors(client, TABLE, vectors, matrix.dims);
      insertSeconds = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      await indexVectors(client, TABLE, DEFAULT_HNSW);
      indexSeconds = (performance.now() - t1) / 1000;
      tunedEf = (await tunePgvectorEf(client, TABLE, vectors, DEFAULT_HNSW.ef)).ef;
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const out: PgvectorRow[] = [];
    for (const ef of [...new Set([...options.efs.filter((e) => e <= PGVECTOR_MAX_EF), tunedEf])].sort((a, b) => a - b)) {
      const search = pgvectorSearch(pool, TABLE, matrix.count, ef);
      for (const q of queryRows.slice(0, 20)) await search(q, K); // warm caches
      const ms: number[] = [];
      for (const q of queryRows) {
        const t = performance.now();
        await search(q, K);
        ms.push(performance.now() - t);
      }
      let recall = 0;
      for (let i = 0; i < recallRows.length; i++) recall += recallAtK(exact[i], await search(recallRows[i], K), K);
      out.push({
        name: server.label,
        n: matrix.count,
        dims: matrix.dims,
        buildSeconds: round(insertSeconds + indexSeconds, 2),
        insertSeconds: round(insertSeconds, 2),
        indexSeconds: round(indexSeconds, 2),
        ef,
        tuned: ef === tunedEf,
        searchP50Ms: round(percentile(ms, 50)),
        searchP95Ms: round(percentile(ms, 95)),
        recallAt10: round(recallRows.length ? recall / recallRows.length : 1, 4),
      });
    }
    await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
    return out;
  } finally {
    await pool.end().catch(() => undefined);
    await server.close();
  }
}
