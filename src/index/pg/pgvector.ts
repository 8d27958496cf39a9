import type pg from 'pg';
import { efLadder, recallAgainst, tuningQueries, type DenseHit, type EfChoice } from '../dense.js';
import type { HnswParams } from '../manifest.js';
import type { DenseSearch } from '../store.js';

/** pgvector refuses a larger `hnsw.ef_search`. */
export const PGVECTOR_MAX_EF = 1000;
const INSERT_BATCH = 1000;

/** A vector as pgvector's text input; 9 significant digits give back the very float32 (strtof). */
export function vectorLiteral(v: ArrayLike<number>): string {
  let out = '[';
  for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + (v[i] === 0 ? '0' : v[i].toPrecision(9));
  return out + ']';
}

/**
 * The generation's vector table with its HNSW index (cosine), on the writer's transaction: nothing of it is
 * visible before the commit, and a writer that dies leaves nothing behind.
 */
export async function createVectorTable(client: pg.PoolClient, table: string, vectors: Float32Array[], dims: number, params: HnswParams): Promise<void> {
  await insertVectors(client, table, vectors, dims);
  await indexVectors(client, table, params);
}

export async function insertVectors(client: pg.PoolClient, table: string, vectors: Float32Array[], dims: number): Promise<void> {
  await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  await client.query(`CREATE TABLE ${table} (position integer PRIMARY KEY, embedding vector(${dims}) NOT NULL)`);
  for (let start = 0; start < vectors.length; start += INSERT_BATCH) {
    const positions: number[] = [];
    const literals: string[] = [];
    for (let i = start; i < Math.min(vectors.length, start + INSERT_BATCH); i++) {
      positions.push(i);
      literals.push(vectorLiteral(vectors[i]));
    }
    // text[] then ::vector: an array literal of vectors is read as array bounds by some servers (PGlite)
    await client.query(`INSERT INTO ${table} (position, embedding) SELECT p, v::vector FROM unnest($1::integer[], $2::text[]) AS u(p, v)`, [positions, literals]);
  }
}

/** The HNSW index (inside a transaction: its memory setting is LOCAL). */
export async function indexVectors(client: pg.PoolClient, table: string, params: HnswParams): Promise<void> {
  // a graph that outgrows maintenance_work_mem is built far more slowly; 1 GB holds 1M × 256 dims
  await client.query("SET LOCAL maintenance_work_mem = '1GB'");
  await client.query(`CREATE INDEX ON ${table} USING hnsw (embedding vector_cosine_ops) WITH (m = ${Math.trunc(params.m)}, ef_construction = ${Math.trunc(params.efConstruction)})`);
}

/**
 * One round trip: `SET hnsw.ef_search` and the search as one simple query (the literals are numbers this
 * code wrote). A pooled session may have been set to another ef by another search, and PGlite's clients
 * share one session, so the setting travels with every search rather than being remembered per connection.
 */
async function searchOn(client: pg.PoolClient | pg.Pool, table: string, vector: ArrayLike<number>, k: number, ef: number): Promise<DenseHit[]> {
  const literal = `'${vectorLiteral(vector)}'::vector`;
  const results = (await client.query(
    `SET hnsw.ef_search = ${Math.trunc(ef)}; SELECT position, embedding <=> ${literal} AS distance FROM ${table} ORDER BY embedding <=> ${literal} LIMIT ${Math.trunc(k)}`,
  )) as unknown as pg.QueryResult<{ position: number; distance: number }>[];
  return results[1].rows.map((r) => ({ position: r.position, score: 1 - Number(r.distance) }));
}

/**
 * `hnsw.ef_search` by measurement, as the in-process store chooses hnswlib's ef: blends of two stored
 * vectors as queries, top-k against brute force, the smallest ef on the ladder reaching `target`.
 */
export async function tunePgvectorEf(client: pg.PoolClient, table: string, vectors: Float32Array[], floor: number, options: { target?: number; k?: number } = {}): Promise<EfChoice> {
  const target = options.target ?? 0.99;
  const k = Math.min(options.k ?? 10, vectors.length);
  const start = Math.min(floor, PGVECTOR_MAX_EF);
  if (vectors.length <= k || k === 0) return { ef: start, recall: 1, queries: 0 };
  const { queries, exact } = tuningQueries(vectors, k);
  let best: EfChoice = { ef: start, recall: 0, queries: queries.length };
  for (const ef of efLadder(start, PGVECTOR_MAX_EF)) {
    const found: DenseHit[][] = [];
    for (const q of queries) found.push(await searchOn(client, table, q, k, ef));
    best = { ef, recall: recallAgainst(exact, found), queries: queries.length };
    if (best.recall >= target) break;
  }
  return best;
}

/** Dense search of one generation's table; `ef` defaults to the measured one, raised to k as hnswlib does. */
export function pgvectorSearch(pool: pg.Pool, table: string, size: number, defaultEf: number): DenseSearch {
  return async (vector, k, efOverride) => {
    const n = Math.min(k, size);
    if (n <= 0) return [];
    return searchOn(pool, table, vector, n, Math.min(PGVECTOR_MAX_EF, Math.max(efOverride ?? defaultEf, n)));
  };
}
