/**
 * Versioned schema migrations for PostgreSQL.
 *
 * How a room registers its migrations: it exports an ordered list of steps with ids prefixed by the room,
 * and calls `migrate(pool, thatList)` when it opens the database (the bot on start, ingest before it
 * publishes, …):
 *
 *     export const indexMigrations: Migration[] = [
 *       { id: 'index/001-generations', sql: 'CREATE TABLE generations (...);' },
 *       { id: 'index/002-passages', sql: '...' },
 *     ];
 *     await migrate(pool, indexMigrations);
 *
 * Every room's steps share one `schema_migrations` table; a step is applied once (its id is recorded) and
 * never edited after it shipped — add a new step instead (the runner refuses a step whose SQL changed).
 * All pending steps of one call run in one transaction under a transaction-level advisory lock, so two
 * workers starting together apply them once, and a step that fails leaves the schema as it was.
 */
import { createHash } from 'node:crypto';
import { inTransaction, type Pool } from './pool.js';

export interface Migration {
  /** Unique across rooms ("bot/001-feedback"); the order of the list is the order of application. */
  id: string;
  sql: string;
}

/** Any fixed 64-bit number, the same in every process: the one lock all migration runs queue on. */
const MIGRATION_LOCK = 4_242_017_017;

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex').slice(0, 16);

/** Applies the steps not yet applied, in order; returns the ids it applied (empty when up to date). */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`migration id "${m.id}" is listed twice`);
    ids.add(m.id);
  }
  return inTransaction(pool, async (client) => {
    // the lock comes before CREATE TABLE IF NOT EXISTS: two of those at once can still collide
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id TEXT PRIMARY KEY,
      checksum TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ id: string; checksum: string }>('SELECT id, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [r.id, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const sum = checksum(m.sql);
      const before = applied.get(m.id);
      if (before !== undefined) {
        if (before !== sum) throw new Error(`migration "${m.id}" was changed after it was applied; add a new migration instead`);
        continue;
      }
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [m.id, sum]);
      done.push(m.id);
    }
    return done;
  });
}
