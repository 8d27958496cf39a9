import type pg from 'pg';
import { INDEX_MIGRATIONS } from './schema.js';

/**
 * One pool per database URL for the whole process (src/db's checked pool): ingest, the librarian and
 * `indexIsStale` each open the store, and each would otherwise hold its own connections. src/db and the `pg`
 * driver load on first use: a process without DATABASE_URL never pays their 50 ms import.
 */
const pools = new Map<string, Promise<pg.Pool>>();
const schemas = new WeakMap<pg.Pool, Promise<unknown>>();

export function loadPg(): Promise<typeof pg> {
  return import('pg').then((m) => m.default);
}

export function indexPool(url: string): Promise<pg.Pool> {
  let pool = pools.get(url);
  if (!pool) {
    // idle index connections must not keep a finished CLI command (ingest, ask) alive
    pool = import('../../db/index.js').then(({ openPool }) => openPool(url, { max: 4, allowExitOnIdle: true }));
    pool.catch(() => pools.delete(url));
    pools.set(url, pool);
  }
  return pool;
}

/** The index tables, through the shared versioned migration runner (once per pool). */
export function ensureIndexSchema(pool: pg.Pool): Promise<unknown> {
  let ready = schemas.get(pool);
  if (!ready) {
    ready = import('../../db/index.js').then(({ migrate }) => migrate(pool, INDEX_MIGRATIONS));
    ready.catch(() => schemas.delete(pool));
    schemas.set(pool, ready);
  }
  return ready;
}

/** Whether a query failed because the server is not there (now), as src/db tells it. */
export async function isConnectionError(error: unknown): Promise<boolean> {
  return (await import('../../db/index.js')).isConnectionError(error);
}

/** Closes the pool of a URL (tests, and a process that is done with the index). */
export async function closeIndexPool(url: string): Promise<void> {
  const pool = pools.get(url);
  pools.delete(url);
  await (await pool?.catch(() => undefined))?.end();
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
