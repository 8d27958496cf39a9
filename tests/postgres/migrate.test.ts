import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { migrate, openPool, type Migration, type Pool } from '../../src/db/index.js';
import { freshDatabase, type TestDatabase } from './support.js';

const steps: Migration[] = [
  { id: 'test/001-a', sql: 'CREATE TABLE a (id INT PRIMARY KEY)' },
  // not idempotent on its own: applied twice it would fail, so a second application shows
  { id: 'test/002-b', sql: 'CREATE TABLE b (id INT PRIMARY KEY); INSERT INTO a VALUES (1)' },
];

describe('migrations', () => {
  let db: TestDatabase;
  let pools: Pool[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  it('two workers starting together apply each step once, and a later start applies none', async () => {
    pools = await Promise.all([openPool(db.url), openPool(db.url), openPool(db.url)]);
    const runs = await Promise.all(pools.map((p) => migrate(p, steps)));
    expect(runs.flat().sort()).toEqual(['test/001-a', 'test/002-b']);
    expect(runs.filter((r) => r.length > 0)).toHaveLength(1);
    expect(await migrate(pools[0], steps)).toEqual([]);
    expect((await pools[0].query('SELECT count(*)::int AS n FROM a')).rows[0].n).toBe(1);
    const ids = (await pools[0].query('SELECT id FROM schema_migrations ORDER BY id')).rows.map((r) => r.id);
    expect(ids).toEqual(['test/001-a', 'test/002-b']);
  });

  it('a step that fails leaves the schema as it was, and the steps before it in that run are not recorded', async () => {
    const more: Migration[] = [...steps, { id: 'test/003-c', sql: 'CREATE TABLE c (id INT)' }, { id: 'test/004-bad', sql: 'CREATE TABLE a (id INT)' }];
    await expect(migrate(pools[0], more)).rejects.toThrow(/already exists/);
    expect((await pools[0].query("SELECT to_regclass('c') AS t")).rows[0].t).toBeNull();
    expect(await migrate(pools[0], more.slice(0, 3))).toEqual(['test/003-c']);
  });

  it('a step edited after it was applied is refused', async () => {
    await expect(migrate(pools[0], [{ id: 'test/001-a', sql: 'CREATE TABLE a (id BIGINT PRIMARY KEY)' }])).rejects.toThrow(/changed after it was applied/);
  });

  it('an unusable DATABASE_URL is one ConfigError line naming host:port, without the password', async () => {
    const refused = openPool('postgres://lodestone:s3cret-pw@127.0.0.1:1/test', { connectTimeoutMs: 2_000 });
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    const message = await refused.catch((e: Error) => e.message);
    expect(message).toMatch(/127\.0\.0\.1:1\/test/);
    expect(message).not.toMatch(/s3cret/);
    expect(message).not.toMatch(/\n/);
    await expect(openPool('mysql://x@127.0.0.1/test')).rejects.toThrow(/scheme "mysql"/);
    await expect(openPool('not a url')).rejects.toThrow(/not a URL/);
    await expect(openPool(db.url.replace(db.name, `${db.name}_missing`))).rejects.toThrow(/does not exist/);
  });
});
