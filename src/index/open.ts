import { ConfigError } from '../core/errors.js';
import type { IndexStore } from './api.js';
import { PgIndexStore, type VectorStore } from './pg/store.js';
import { FileIndexStore } from './store.js';

/**
 * The index store for a location (the index directory). With DATABASE_URL set, generations are published to
 * and loaded from PostgreSQL and the directory only holds local copies; VECTOR_STORE=pgvector makes ingest
 * store the vectors for search inside PostgreSQL. Without DATABASE_URL, the file store as always.
 */
export function openIndexStore(location: string, env: NodeJS.ProcessEnv = process.env): IndexStore {
  const url = env.DATABASE_URL?.trim();
  const vectorStore = vectorStoreSetting(env.VECTOR_STORE);
  if (!url) {
    if (vectorStore === 'pgvector') throw new ConfigError('VECTOR_STORE=pgvector needs DATABASE_URL (a PostgreSQL server with the pgvector extension)');
    return new FileIndexStore(location);
  }
  return new PgIndexStore(url, location, { vectorStore });
}

function vectorStoreSetting(value: string | undefined): VectorStore | undefined {
  const setting = value?.trim().toLowerCase();
  if (!setting) return undefined;
  if (setting === 'pgvector') return 'pgvector';
  if (setting === 'hnswlib' || setting === 'bytea') return 'bytea';
  throw new ConfigError(`VECTOR_STORE is "${value}": use pgvector (dense search in PostgreSQL) or leave it unset (hnswlib in process)`);
}
