/**
 * The collection itself in PostgreSQL (with DATABASE_URL): every document's original bytes and sidecar, and the
 * collection's glossary. A change never overwrites: a replaced or removed document's row gets `removed_at` and
 * stays (what was there can still be read back), and the one current row per file name is the collection.
 * Every change bumps `lodestone_document_version` in its own transaction, so a build knows exactly which state of
 * the table it was made from and whether the table moved on since.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Migration } from '../../db/migrate.js';
import { cleanMetadata } from '../document.js';

export const DOCUMENT_MIGRATIONS: Migration[] = [
  {
    id: 'documents/001-documents',
    sql: `
CREATE TABLE lodestone_document (
  row_id bigserial PRIMARY KEY,
  -- the document id as the loader derives it (sidecar or front-matter id, else from the file name)
  id text NOT NULL,
  file text NOT NULL,
  format text NOT NULL,
  bytes bytea NOT NULL,
  title text,
  author text,
  year integer,
  venue text,
  kind text,
  url text,
  source text,
  lang text,
  -- the sidecar <file>.meta.json as it was given (json keeps its text, so an export writes it back unchanged)
  sidecar json,
  sha256 text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  -- sha256(salt + Discord user id), as votes are stored (SECURITY.md); NULL for a command-line import
  added_by text,
  removed_at timestamptz
);
CREATE UNIQUE INDEX lodestone_document_current_file ON lodestone_document (file) WHERE removed_at IS NULL;
CREATE TABLE lodestone_document_glossary (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  bytes bytea NOT NULL,
  sha256 text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE lodestone_document_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version bigint NOT NULL
);
INSERT INTO lodestone_document_version (version) VALUES (0);`,
  },
];

/** What can run a query: a pool or one of its clients. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** One current document of the table. */
export interface StoredDocument {
  id: string;
  file: string;
  format: string;
  bytes: Buffer;
  /** The sidecar's JSON text, exactly as imported (undefined: none). */
  sidecar: string | undefined;
  sha256: string;
  title: string | undefined;
  addedAt: Date;
}

/** The table at one version: what a build reads and an export writes. */
export interface DocumentSnapshot {
  version: number;
  documents: StoredDocument[];
  /** glossary.json's bytes, when the collection has one. */
  glossary: Buffer | undefined;
}

/** A document to store: the file as it came, and its sidecar text (already checked to be a JSON object). */
export interface DocumentInput {
  file: string;
  format: string;
  bytes: Uint8Array;
  sidecar?: string;
  /** Front-matter or converted metadata the loader would also read (for the id when no sidecar names one). */
  ownId?: string;
  addedBy?: string;
}

export const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The document id the loader gives a file: the sidecar's id, else its own, else one from the file name. */
export function documentIdOf(input: Pick<DocumentInput, 'file' | 'sidecar' | 'ownId'>, idFromFileName: (file: string) => string): string {
  const fromSidecar = input.sidecar ? cleanMetadata(JSON.parse(input.sidecar) as Record<string, unknown>).id : undefined;
  return fromSidecar ?? input.ownId ?? idFromFileName(input.file);
}

export async function currentVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM lodestone_document_version');
  return Number(rows[0].version);
}

/** The current documents (file-name order) and glossary, with the version they are at; one snapshot. */
export async function readSnapshot(pool: pg.Pool): Promise<DocumentSnapshot> {
  const client = await pool.connect();
  try {
    // one consistent view: a change committed while this reads is in the next snapshot, never half in this one
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const version = await currentVersion(client);
    const { rows } = await client.query<{ id: string; file: string; format: string; bytes: Buffer; sidecar: string | null; sha256: string; title: string | null; added_at: Date }>(
      'SELECT id, file, format, bytes, sidecar::text AS sidecar, sha256, title, added_at FROM lodestone_document WHERE removed_at IS NULL ORDER BY file',
    );
    const glossary = await client.query<{ bytes: Buffer }>('SELECT bytes FROM lodestone_document_glossary');
    await client.query('COMMIT');
    return {
      version,
      documents: rows.map((r) => ({ id: r.id, file: r.file, format: r.format, bytes: r.bytes, sidecar: r.sidecar ?? undefined, sha256: r.sha256, title: r.title ?? undefined, addedAt: r.added_at })),
      glossary: glossary.rows[0]?.bytes,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The current documents without their bytes (listing, diffing an import). */
export async function listCurrent(db: Queryable): Promise<{ id: string; file: string; sha256: string; sidecar: string | undefined; title: string | undefined }[]> {
  const { rows } = await db.query<{ id: string; file: string; sha256: string; sidecar: string | null; title: string | null }>(
    'SELECT id, file, sha256, sidecar::text AS sidecar, title FROM lodestone_document WHERE removed_at IS NULL ORDER BY file',
  );
  return rows.map((r) => ({ id: r.id, file: r.file, sha256: r.sha256, sidecar: r.sidecar ?? undefined, title: r.title ?? undefined }));
}

export async function glossarySha(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ sha256: string }>('SELECT sha256 FROM lodestone_document_glossary');
  return rows[0]?.sha256;
}

/** Bumps the version; call inside the transaction that changes documents or glossary. */
export async function bumpVersion(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ version: string }>('UPDATE lodestone_document_version SET version = version + 1 RETURNING version');
  return Number(rows[0].version);
}

/** Makes `input` the current document of its file name (the previous one, if any, is kept as removed). */
export async function storeDocument(client: pg.PoolClient, input: DocumentInput, id: string): Promise<void> {
  const meta = input.sidecar ? (JSON.parse(input.sidecar) as Record<string, unknown>) : {};
  const clean = cleanMetadata(meta);
  await client.query('UPDATE lodestone_document SET removed_at = now() WHERE file = $1 AND removed_at IS NULL', [input.file]);
  await client.query(
    `INSERT INTO lodestone_document (id, file, format, bytes, title, author, year, venue, kind, url, source, lang, sidecar, sha256, added_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      id,
      input.file,
      input.format,
      Buffer.from(input.bytes),
      clean.title ?? null,
      clean.author ?? null,
      clean.year ?? null,
      clean.venue ?? null,
      clean.kind ?? null,
      typeof meta.url === 'string' ? meta.url : null,
      clean.source ?? null,
      clean.lang ?? null,
      input.sidecar ?? null,
      sha256Hex(input.bytes),
      input.addedBy ?? null,
    ],
  );
}

/** Marks the current document of `file` removed; false when there is none. */
export async function removeDocument(client: pg.PoolClient, file: string): Promise<boolean> {
  const { rowCount } = await client.query('UPDATE lodestone_document SET removed_at = now() WHERE file = $1 AND removed_at IS NULL', [file]);
  return (rowCount ?? 0) > 0;
}

export async function storeGlossary(client: pg.PoolClient, bytes: Uint8Array): Promise<void> {
  await client.query(
    'INSERT INTO lodestone_document_glossary (singleton, bytes, sha256) VALUES (true, $1, $2) ON CONFLICT (singleton) DO UPDATE SET bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, updated_at = now()',
    [Buffer.from(bytes), sha256Hex(bytes)],
  );
}
