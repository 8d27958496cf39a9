/**
 * One builder at a time, nothing lost (DATABASE_URL). A build takes a session advisory lock before it reads the
 * documents table and holds it until its generation is published: two builds never interleave. The table is read
 * as one snapshot (with its version), written to a scratch corpus folder and built by the ordinary incremental
 * ingest; just before publishing, the lock's own connection must still answer — a builder that lost the database
 * publishes nothing, and the previous generation keeps serving. After publishing, a table that moved on meanwhile
 * (an import that committed during the build) is built again, so two imports started together end in a generation
 * holding both. A build that finds the published generation already made from the table as it is does nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { modelRequestKey, resolveModelSetting } from '../embedding/modelSetting.js';
import { openIndexStore } from '../index/open.js';
import { redactUrl } from '../index/pg/db.js';
import { collectionPool, currentVersion, readSnapshot, writeCollectionFolder } from './collection.js';
import { ingest, recordedModelRequest, type IngestOptions, type IngestSummary } from './ingest.js';

const BUILD_LOCK = 'lodestone_documents_build';
/** Builds in one call at most: a table changed by every round (a stream of imports) still ends. */
const MAX_ROUNDS = 5;

export interface TableBuild {
  /** The last build's summary; undefined when the published generation already held the table as it is. */
  summary: IngestSummary | undefined;
  /** The table version the published generation was built from. */
  version: number;
  /** Builds made (0: up to date). */
  rounds: number;
}

export type TableBuildOptions = Omit<IngestOptions, 'corpusDir' | 'documentsVersion' | 'publishGuard'>;

/** Builds and publishes the documents table's current state unless it is published already (see the top). */
export async function buildFromTable(url: string, options: TableBuildOptions): Promise<TableBuild> {
  const pool = await collectionPool(url);
  const lock = await pool.connect();
  let lost: Error | undefined;
  // a checked-out client whose connection dies emits 'error': without a listener that would end the process
  const onError = (error: Error) => (lost ??= error);
  lock.on('error', onError);
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [BUILD_LOCK]);
    let rounds = 0;
    let summary: IngestSummary | undefined;
    for (;;) {
      const snapshot = await readSnapshot(pool);
      if (snapshot.documents.length === 0) {
        throw new UserInputError(`the collection in ${redactUrl(url)} holds no document yet: run \`lodestone ingest\` where a corpus folder has them (it imports, then builds)`);
      }
      if (rounds === 0 && !options.force && (await publishedFrom(snapshot.version, options))) return { summary, version: snapshot.version, rounds };
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-collection-'));
      try {
        writeCollectionFolder(snapshot, scratch);
        summary = await ingest({
          ...options,
          force: rounds === 0 && options.force,
          corpusDir: scratch,
          documentsVersion: snapshot.version,
          publishGuard: async () => {
            try {
              if (lost) throw lost;
              await lock.query('SELECT 1');
            } catch (error) {
              throw new Error(`the database connection holding the build lock was lost during the build (${(error as Error).message.split('\n')[0]}); nothing was published`);
            }
          },
        });
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
      rounds++;
      if ((await currentVersion(lock)) === snapshot.version || rounds >= MAX_ROUNDS) return { summary, version: snapshot.version, rounds };
      options.onWarning?.(`the documents changed during the build (an import elsewhere); building again`);
    }
  } finally {
    lock.off('error', onError);
    const unlocked = lost ? false : await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [BUILD_LOCK]).then(() => true, () => false);
    // a connection that cannot unlock is closed: PostgreSQL drops a session's locks with it
    lock.release(unlocked ? undefined : true);
  }
}

/** Whether the published generation was built from this table version with this chunker and model setting. */
async function publishedFrom(version: number, options: TableBuildOptions): Promise<boolean> {
  const manifest = await openIndexStore(options.indexDir).manifest();
  if (!manifest || manifest.build?.documentsVersion !== version) return false;
  const chunking = (await import('../chunking/build.js')) as { CHUNKER_VERSION?: string };
  if (options.deps?.chunkerVersion ? (await options.deps.chunkerVersion()) !== manifest.chunkerVersion : (chunking.CHUNKER_VERSION ?? '1') !== manifest.chunkerVersion) return false;
  return recordedModelRequest(manifest.build) === modelRequestKey(resolveModelSetting(options.model));
}
