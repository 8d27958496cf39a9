/**
 * The index's tables, applied through the shared migration runner. A generation is a row of
 * `lodestone_index_generation` with its files (chunks of bytea) in `lodestone_index_file`; the one row of
 * `lodestone_index_current` names the generation readers load. A generation whose vectors are searched
 * by pgvector also has its own table (`vector_table`), created with it: an HNSW index over one table per
 * generation keeps every search inside that generation (a shared index filtered by generation would
 * return fewer than k neighbours).
 */
import type { Migration } from '../../db/migrate.js';

export const INDEX_MIGRATIONS: Migration[] = [
  {
    id: 'index/001-generations',
    sql: `
CREATE TABLE lodestone_index_generation (
  number integer PRIMARY KEY,
  generation text NOT NULL UNIQUE,
  -- tells this database's gen-000007 from another database's in a worker's local cache
  token text NOT NULL,
  manifest jsonb NOT NULL,
  vector_table text,
  committed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE lodestone_index_file (
  generation text NOT NULL REFERENCES lodestone_index_generation (generation) ON DELETE CASCADE,
  path text NOT NULL,
  chunk integer NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (generation, path, chunk)
);
-- vectors, graphs and model weights do not compress: storing them as they are saves the attempt
ALTER TABLE lodestone_index_file ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE TABLE lodestone_index_current (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation text NOT NULL REFERENCES lodestone_index_generation (generation)
);`,
  },
];

/** The channel ingest notifies (payload: the generation's name) when it commits a generation. */
export const INDEX_CHANNEL = 'lodestone_index';
