import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { ConfigError, IndexError } from '../../core/errors.js';
import type { IndexInput, IndexManifest, IndexSnapshot, IndexStore, StagedIndex, WrittenIndex } from '../api.js';
import { bruteForceSearch } from '../dense.js';
import { DEFAULT_HNSW } from '../manifest.js';
import { fileChecksum, loadGeneration, removeDeadStaging, stageIndex, treeSize, unpackVectors, type LoadedIndex } from '../store.js';
import { ensureIndexSchema, indexPool, isConnectionError, loadPg, redactUrl } from './db.js';
import { createVectorTable, pgvectorSearch, tunePgvectorEf } from './pgvector.js';
import { INDEX_CHANNEL } from './schema.js';

/** Where the vectors of a generation this store writes are searched. */
export type VectorStore = 'pgvector' | 'bytea';

export interface PgIndexStoreOptions {
  /** `pgvector`: dense search inside PostgreSQL; `bytea` (default): vectors stored, searched in process by hnswlib. */
  vectorStore?: VectorStore;
}

/** Files go to the database in pieces: a bytea value stops at 1 GB, and a small piece keeps memory flat. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Older generations kept after a commit, for readers still answering from them (as the file store keeps). */
const KEEP_OLD_GENERATIONS = 2;
/** Local copies of generations kept in the cache (the current one and the last few). */
const KEEP_CACHED = 3;
const CACHE = 'postgres';
const LOCK = "hashtext('lodestone_index_write')";

interface GenerationRow {
  number: number;
  generation: string;
  token: string;
  manifest: IndexManifest;
  vector_table: string | null;
}

/**
 * The index published to PostgreSQL. A commit writes the whole generation — documents, passages, vectors,
 * BM25 postings, the hnswlib graph (or, with pgvector, a vector table and its HNSW index), the corpus model,
 * the lexicon and the manifest with checksums — in one transaction that also switches the current generation
 * and NOTIFYs `lodestone_index`; a writer that dies mid-way leaves the previous generation current.
 *
 * Readers copy a generation's files once into `cacheDir/postgres/` (the corpus model is loaded from there) and
 * load it as the file store does, checksums verified; `watch` LISTENs and reconnects with backoff. Lexical
 * search stays BM25 in process over the stored postings: the same scores as the file store, so the same fused
 * ranking (PostgreSQL full-text ranks differently).
 */
export class PgIndexStore implements IndexStore {
  readonly location: string;
  readonly published = true;
  private poolOrUndefined: pg.Pool | undefined;
  private readonly vectorStore: VectorStore;
  /** The last generation name read, answered while the database cannot be reached (no swap, no noise). */
  private lastKnown: string | undefined;

  constructor(
    private readonly url: string,
    readonly cacheDir: string,
    options: PgIndexStoreOptions = {},
  ) {
    this.vectorStore = options.vectorStore ?? 'bytea';
    this.location = `${redactUrl(url)} (local copy in ${cacheDir})`;
  }

  /** The pool, once the driver is loaded and the index tables exist. */
  private get pool(): pg.Pool {
    if (!this.poolOrUndefined) throw new Error('PgIndexStore used before ready()');
    return this.poolOrUndefined;
  }

  private async ready(): Promise<void> {
    try {
      this.poolOrUndefined ??= await indexPool(this.url);
      await ensureIndexSchema(this.poolOrUndefined);
    } catch (error) {
      if (error instanceof ConfigError) throw error; // an unusable DATABASE_URL, already one line naming it
      throw new IndexError(`the index database ${redactUrl(this.url)} cannot be used: ${firstLine(error)}`);
    }
  }

  async build(input: IndexInput): Promise<StagedIndex> {
    await this.ready();
    const pgvector = this.vectorStore === 'pgvector';
    const files = stageIndex(this.cacheDir, { ...input, beforeCommit: undefined }, { dense: pgvector ? 'external' : 'hnswlib' });
    let client: pg.PoolClient | undefined;
    const discard = async () => {
      if (client) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        client = undefined;
      }
      files.discard();
    };
    try {
      let manifest = files.manifest;
      const lexicon = lexiconFileOf(manifest);
      if (lexicon && fs.existsSync(path.join(this.cacheDir, lexicon))) {
        // the lexicon lives beside the index, not in the generation: a worker elsewhere needs its own copy
        fs.copyFileSync(path.join(this.cacheDir, lexicon), path.join(files.dir, lexicon));
        manifest = { ...manifest, checksums: { ...manifest.checksums, [lexicon]: fileChecksum(fs.readFileSync(path.join(files.dir, lexicon))) } };
      }
      client = await this.pool.connect();
      await client.query('BEGIN');
      // one writer at a time: the next number is taken under the lock and released at COMMIT or ROLLBACK
      await client.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
      const { rows } = await client.query<{ next: number }>('SELECT coalesce(max(number), 0) + 1 AS next FROM lodestone_index_generation');
      const number = rows[0].next;
      const generation = `gen-${String(number).padStart(6, '0')}`;
      const token = randomBytes(6).toString('hex');
      const vectorTable = pgvector ? `lodestone_index_vectors_${number}` : null;
      await client.query('INSERT INTO lodestone_index_generation (number, generation, token, manifest, vector_table) VALUES ($1, $2, $3, $4, $5)', [number, generation, token, manifest, vectorTable]);
      for (const file of Object.keys(manifest.checksums).sort()) await uploadFile(client, generation, file, path.join(files.dir, file));
      if (vectorTable) {
        const vectors = input.vectors;
        const params = input.hnsw ?? DEFAULT_HNSW;
        await createVectorTable(client, vectorTable, vectors, input.dims, params);
        const tuned = input.hnsw ? undefined : await tunePgvectorEf(client, vectorTable, vectors, params.ef);
        manifest = {
          ...manifest,
          vectorStore: 'pgvector',
          hnsw: { ...params, ef: tuned?.ef ?? params.ef },
          build: { ...manifest.build, ...(tuned ? { hnswRecallAt10: tuned.recall, hnswTuningQueries: tuned.queries } : {}) },
        };
      }
      await client.query('UPDATE lodestone_index_generation SET manifest = $2 WHERE generation = $1', [generation, manifest]);
      await client.query('INSERT INTO lodestone_index_file (generation, path, chunk, bytes) VALUES ($1, $2, 0, $3)', [generation, 'manifest.json', Buffer.from(JSON.stringify(manifest, null, 2))]);
      fs.writeFileSync(path.join(files.dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
      input.beforeCommit?.(files.dir);
      const staged = client;
      const final = manifest;
      return {
        manifest: final,
        discard,
        commit: async () => {
          try {
            await input.publishGuard?.();
            await staged.query('INSERT INTO lodestone_index_current (singleton, generation) VALUES (true, $1) ON CONFLICT (singleton) DO UPDATE SET generation = EXCLUDED.generation', [generation]);
            // delivered to every LISTENing worker at COMMIT, never for a generation that was rolled back
            await staged.query('SELECT pg_notify($1, $2)', [INDEX_CHANNEL, generation]);
            await staged.query('COMMIT');
          } catch (error) {
            await discard();
            throw new IndexError(`index not published to ${redactUrl(this.url)}: ${firstLine(error)}`);
          }
          staged.release();
          client = undefined;
          this.lastKnown = generation;
          // the writer's own copy becomes its cache entry: no download of what it just built
          const dir = this.cachedDir(generation, token);
          fs.mkdirSync(path.dirname(dir), { recursive: true });
          if (!fs.existsSync(dir)) fs.renameSync(files.dir, dir);
          else files.discard();
          await this.prune(number).catch(() => undefined);
          this.pruneCache(dir);
          return { dir, generation, manifest: final, bytes: treeSize(dir) };
        },
      };
    } catch (error) {
      await discard();
      if (error instanceof IndexError) throw error;
      throw new IndexError(`index not published to ${redactUrl(this.url)}: ${firstLine(error)}`);
    }
  }

  async write(input: IndexInput): Promise<WrittenIndex> {
    return (await this.build(input)).commit();
  }

  private async currentRow(): Promise<GenerationRow | undefined> {
    await this.ready();
    const { rows } = await this.pool.query<GenerationRow>(
      'SELECT g.number, g.generation, g.token, g.manifest, g.vector_table FROM lodestone_index_current c JOIN lodestone_index_generation g USING (generation)',
    );
    return rows[0];
  }

  async current(): Promise<string | undefined> {
    try {
      this.lastKnown = (await this.currentRow())?.generation;
    } catch {
      // the database is away (restarting): nothing new can have been committed that this process could load
    }
    return this.lastKnown;
  }

  async manifest(): Promise<IndexManifest | undefined> {
    return (await this.currentRow())?.manifest;
  }

  async load(): Promise<IndexSnapshot> {
    const row = await this.currentRow();
    if (!row) throw new IndexError(`no index is published in ${redactUrl(this.url)} yet: run \`lodestone ingest\` with this DATABASE_URL on the machine that has the documents`);
    const dir = this.cachedDir(row.generation, row.token);
    let index: LoadedIndex;
    try {
      if (!fs.existsSync(dir)) await this.download(row, dir);
      index = this.open(row, dir);
    } catch (error) {
      if (!(error instanceof IndexError) || !fs.existsSync(dir)) throw error;
      // a damaged local copy: fetched again once, the database's copy is the reference
      fs.rmSync(dir, { recursive: true, force: true });
      await this.download(row, dir);
      try {
        index = this.open(row, dir);
      } catch (again) {
        if (!(again instanceof IndexError)) throw again;
        // the database's own copy is damaged: only a new build mends it, and only where the documents are (a build
        // on a worker would publish its corpus folder instead)
        const what = /is unusable \((.*)\): rebuild/.exec(again.message)?.[1] ?? firstLine(again);
        throw new IndexError(`the published index ${row.generation} in ${redactUrl(this.url)} is damaged (${what}): run \`lodestone ingest --force\` on the machine that has the documents`);
      }
    }
    this.lastKnown = row.generation;
    const lexicon = lexiconFileOf(index.manifest);
    if (lexicon && fs.existsSync(path.join(dir, lexicon)) && !fs.existsSync(path.join(this.cacheDir, lexicon))) {
      // readers look for the lexicon beside the index (readIndexLexicon); it is content-named, never stale
      const tmp = path.join(this.cacheDir, `.${lexicon}.${process.pid}.tmp`);
      fs.copyFileSync(path.join(dir, lexicon), tmp);
      fs.renameSync(tmp, path.join(this.cacheDir, lexicon));
    }
    this.pruneCache(dir);
    return index;
  }

  private open(row: GenerationRow, dir: string): LoadedIndex {
    return loadGeneration(dir, row.generation, {
      externalDense: (manifest, vectors) => {
        if (!row.vector_table) throw new IndexError(`generation ${row.generation} names pgvector but has no vector table`);
        const inDatabase = pgvectorSearch(this.pool, row.vector_table, manifest.passageCount, manifest.hnsw.ef);
        return async (vector, k, ef) => {
          try {
            return await inDatabase(vector, k, ef);
          } catch (error) {
            // the database is away (restarting): the generation's own vectors answer, exactly, until it is back
            if (!(await isConnectionError(error))) throw error;
            return bruteForceSearch(vectors, Float32Array.from(vector), k);
          }
        };
      },
    });
  }

  /**
   * LISTENs on a connection of its own; after a lost connection it reconnects with backoff (0.5 s doubling
   * to 30 s) and reports a change, since a commit may have happened meanwhile.
   */
  watch(onChange: () => void): () => void {
    let stopped = false;
    let client: pg.Client | undefined;
    let timer: NodeJS.Timeout | undefined;
    let delay = 500;
    const retry = () => {
      if (stopped || timer) return;
      const old = client;
      client = undefined;
      old?.removeAllListeners();
      old?.on('error', () => undefined);
      void old?.end().catch(() => undefined);
      timer = setTimeout(() => {
        timer = undefined;
        void connect();
      }, delay);
      delay = Math.min(delay * 2, 30_000);
    };
    const connect = async () => {
      const { Client } = await loadPg();
      if (stopped) return;
      const listener = new Client({ connectionString: this.url, application_name: 'lodestone index listener' });
      client = listener;
      listener.on('notification', (message) => {
        if (message.channel === INDEX_CHANNEL) onChange();
      });
      listener.on('error', retry);
      listener.on('end', retry);
      try {
        await listener.connect();
        await listener.query(`LISTEN ${INDEX_CHANNEL}`);
        if (stopped) return void listener.end().catch(() => undefined);
        delay = 500;
        onChange();
      } catch {
        retry();
      }
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      const last = client;
      client = undefined;
      last?.removeAllListeners();
      last?.on('error', () => undefined);
      void last?.end().catch(() => undefined);
    };
  }

  private cachedDir(generation: string, token: string): string {
    return path.join(this.cacheDir, CACHE, `${generation}-${token}`);
  }

  /** Copies every file of a generation into `dir` (written aside, then renamed: a reader never sees half). */
  private async download(row: GenerationRow, dir: string): Promise<void> {
    const root = path.dirname(dir);
    fs.mkdirSync(root, { recursive: true });
    const staging = path.join(root, `.tmp-${process.pid}-${row.generation}-${Date.now().toString(36)}`);
    try {
      const { rows } = await this.pool.query<{ path: string; chunks: number }>('SELECT path, count(*)::integer AS chunks FROM lodestone_index_file WHERE generation = $1 GROUP BY path', [row.generation]);
      for (const file of rows) {
        const target = path.join(staging, ...file.path.split('/'));
        if (!target.startsWith(staging + path.sep)) throw new IndexError(`generation ${row.generation} holds a file outside it: ${file.path}`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const fd = fs.openSync(target, 'w');
        try {
          for (let chunk = 0; chunk < file.chunks; chunk++) {
            const piece = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM lodestone_index_file WHERE generation = $1 AND path = $2 AND chunk = $3', [row.generation, file.path, chunk]);
            if (!piece.rows[0]) throw new IndexError(`generation ${row.generation}: ${file.path} misses piece ${chunk}`);
            fs.writeSync(fd, piece.rows[0].bytes);
          }
        } finally {
          fs.closeSync(fd);
        }
      }
      try {
        fs.renameSync(staging, dir);
      } catch (error) {
        // another process on this machine cached it first: theirs is as good
        if (!fs.existsSync(dir)) throw error;
        fs.rmSync(staging, { recursive: true, force: true });
      }
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      if (error instanceof IndexError) throw error;
      throw new IndexError(`index ${row.generation} could not be fetched from ${redactUrl(this.url)}: ${firstLine(error)}`);
    }
  }

  /** Drops generations older than the kept ones (their rows, files and vector tables) in one transaction. */
  private async prune(currentNumber: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
      const { rows } = await client.query<{ generation: string; vector_table: string | null }>(
        'DELETE FROM lodestone_index_generation WHERE number < $1::integer - $2::integer AND generation NOT IN (SELECT generation FROM lodestone_index_current) RETURNING generation, vector_table',
        [currentNumber, KEEP_OLD_GENERATIONS],
      );
      for (const row of rows) if (row.vector_table) await client.query(`DROP TABLE IF EXISTS ${row.vector_table}`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private pruneCache(keep: string): void {
    const root = path.join(this.cacheDir, CACHE);
    try {
      const entries = fs
        .readdirSync(root)
        .filter((n) => /^gen-\d+-[0-9a-f]+$/.test(n) && path.join(root, n) !== keep)
        .sort()
        .reverse();
      for (const old of entries.slice(KEEP_CACHED - 1)) fs.rmSync(path.join(root, old), { recursive: true, force: true });
      removeDeadStaging(root);
      removeDeadStaging(this.cacheDir);
    } catch {
      // housekeeping
    }
  }

  /** Stored vectors of the current generation, straight from the database (for checks and tools). */
  async storedVectors(): Promise<Float32Array[]> {
    const row = await this.currentRow();
    if (!row) return [];
    const { rows } = await this.pool.query<{ bytes: Buffer }>("SELECT bytes FROM lodestone_index_file WHERE generation = $1 AND path = 'vectors.f32' ORDER BY chunk", [row.generation]);
    return unpackVectors(Buffer.concat(rows.map((r) => r.bytes)), row.manifest.dimensions);
  }
}

async function uploadFile(client: pg.PoolClient, generation: string, file: string, full: string): Promise<void> {
  const fd = fs.openSync(full, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, size)));
    let chunk = 0;
    for (let offset = 0; offset < size || chunk === 0; chunk++) {
      const read = size === 0 ? 0 : fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - offset), offset);
      await client.query('INSERT INTO lodestone_index_file (generation, path, chunk, bytes) VALUES ($1, $2, $3, $4)', [generation, file, chunk, buffer.subarray(0, read)]);
      offset += read;
      if (size === 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function lexiconFileOf(manifest: IndexManifest): string | undefined {
  const file = (manifest.build?.lexicon as { file?: unknown } | undefined)?.file;
  return typeof file === 'string' && /^lexicon-[0-9a-f]+\.json$/.test(file) ? file : undefined;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
