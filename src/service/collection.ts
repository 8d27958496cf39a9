/**
 * With DATABASE_URL the collection is the documents table (src/corpus/pg/documentTable.ts), and a corpus folder is
 * only something to import from or export to. An import adds new files and replaces changed ones (an unchanged
 * file is a no-op) and never removes: a document the folder lacks stays until it is removed on purpose (`docs
 * remove`, `/docs remove`, `ingest --prune`). Export writes the collection back as a corpus folder, byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { ConfigError, UserInputError } from '../core/errors.js';
import { decodeDocumentBytes } from '../corpus/decode.js';
import { cleanMetadata, idFromFileName, splitFrontMatter } from '../corpus/document.js';
import { formatOfFile } from '../corpus/formats/convert.js';
import { DEFAULT_MAX_BYTES, isCorpusFurniture } from '../corpus/load.js';
import {
  bumpVersion,
  DOCUMENT_MIGRATIONS,
  documentIdOf,
  glossarySha,
  listCurrent,
  removeDocument,
  sha256Hex,
  storeDocument,
  storeGlossary,
  type DocumentInput,
  type DocumentSnapshot,
} from '../corpus/pg/documentTable.js';
import { CURATED_FILE } from '../glossary/curated.js';
import { indexPool, redactUrl } from '../index/pg/db.js';

export { readSnapshot, currentVersion, type DocumentSnapshot } from '../corpus/pg/documentTable.js';

const migrated = new WeakMap<pg.Pool, Promise<unknown>>();

/** The process's pool on DATABASE_URL (shared with the index store), the documents tables created once. */
export async function collectionPool(url: string): Promise<pg.Pool> {
  const pool = await indexPool(url);
  let ready = migrated.get(pool);
  if (!ready) {
    ready = import('../db/index.js').then(({ migrate }) => migrate(pool, DOCUMENT_MIGRATIONS));
    ready.catch(() => migrated.delete(pool));
    migrated.set(pool, ready);
  }
  await ready;
  return pool;
}

/** DATABASE_URL, or a ConfigError saying what needs it. */
export function requireDatabaseUrl(what: string, env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  if (!url) throw new ConfigError(`${what} needs DATABASE_URL: without it the documents are the files of the corpus folder`);
  return url;
}

/** `work` in one transaction that bumps the collection's version. */
async function change<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const { inTransaction } = await import('../db/index.js');
  return inTransaction(pool, async (client) => {
    const result = await work(client);
    await bumpVersion(client);
    return result;
  });
}

export interface ImportPlan {
  added: string[];
  updated: string[];
  unchanged: string[];
  /** With prune: current documents the folder lacks, `id (file)`. */
  removed: { id: string; file: string }[];
  glossary: 'added' | 'updated' | 'unchanged' | 'none';
  /** Files of the folder not imported, each with why (the stored document, if any, is kept). */
  skipped: string[];
}

/** A document file of the folder as the table would store it, or why it cannot be. */
function readFolderDocument(dir: string, name: string): DocumentInput | string | undefined {
  const format = formatOfFile(name);
  if (isCorpusFurniture(name) || !format) return undefined;
  const full = path.join(dir, name);
  let bytes: Buffer;
  try {
    const info = fs.statSync(full);
    if (!info.isFile()) return undefined;
    if (info.size > DEFAULT_MAX_BYTES) return `${name}: not imported — over ${DEFAULT_MAX_BYTES / 1024 / 1024} MB`;
    bytes = fs.readFileSync(full);
  } catch (error) {
    return `${name}: not imported — cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  let sidecar: string | undefined;
  if (fs.existsSync(`${full}.meta.json`)) {
    sidecar = fs.readFileSync(`${full}.meta.json`, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(sidecar);
    } catch {
      return `${name}: not imported — ${name}.meta.json is not valid JSON; fix it and import again`;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return `${name}: not imported — ${name}.meta.json is not a JSON object; fix it and import again`;
  }
  let ownId: string | undefined;
  if (format === 'md' || format === 'txt') {
    const decoded = decodeDocumentBytes(bytes);
    if (decoded.ok) ownId = cleanMetadata(splitFrontMatter(decoded.text).metadata).id;
  }
  return { file: name, format, bytes, sidecar, ownId };
}

/**
 * Imports the documents of `dir` (and its glossary.json) as one change; with `prune`, current documents the folder
 * lacks are removed in that same change; with `dryRun`, nothing is written. Returns what was (or would be) done.
 */
export async function importFolder(url: string, dir: string, options: { prune?: boolean; dryRun?: boolean; addedBy?: string } = {}): Promise<ImportPlan> {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (error) {
    throw new UserInputError(`corpus folder ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const pool = await collectionPool(url);
  const current = new Map((await listCurrent(pool)).map((d) => [d.file, d]));
  const plan: ImportPlan = { added: [], updated: [], unchanged: [], removed: [], glossary: 'none', skipped: [] };
  const writes: DocumentInput[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const read = readFolderDocument(dir, name);
    if (read === undefined) continue;
    seen.add(name); // a file that could not be imported is still not "missing": prune keeps its stored copy
    if (typeof read === 'string') {
      plan.skipped.push(read);
      continue;
    }
    const stored = current.get(name);
    if (stored && stored.sha256 === sha256Hex(read.bytes) && stored.sidecar === read.sidecar) plan.unchanged.push(name);
    else {
      (stored ? plan.updated : plan.added).push(name);
      writes.push({ ...read, addedBy: options.addedBy });
    }
  }
  if (options.prune) {
    if (seen.size === 0 && current.size > 0) throw new UserInputError(`--prune with ${dir}, which holds no document, would remove every document; nothing was changed`);
    plan.removed = [...current.values()].filter((d) => !seen.has(d.file)).map((d) => ({ id: d.id, file: d.file }));
  }
  const glossaryFile = path.join(dir, CURATED_FILE);
  const glossary = fs.existsSync(glossaryFile) ? fs.readFileSync(glossaryFile) : undefined;
  if (glossary) {
    const before = await glossarySha(pool);
    plan.glossary = before === undefined ? 'added' : before === sha256Hex(glossary) ? 'unchanged' : 'updated';
  }
  const changes = writes.length + plan.removed.length + (plan.glossary === 'added' || plan.glossary === 'updated' ? 1 : 0);
  if (options.dryRun || changes === 0) return plan;
  await change(pool, async (client) => {
    for (const input of writes) await storeDocument(client, input, documentIdOf(input, idFromFileName));
    for (const gone of plan.removed) await removeDocument(client, gone.file);
    if (glossary && plan.glossary !== 'unchanged') await storeGlossary(client, glossary);
  });
  return plan;
}

/** Stores one document (the /docs upload path): refused when its file name is taken, unless `replace`. */
export async function storeUpload(url: string, input: DocumentInput, replace: boolean): Promise<{ id: string; replaced: boolean }> {
  const pool = await collectionPool(url);
  const id = documentIdOf(input, idFromFileName);
  return change(pool, async (client) => {
    const { rows } = await client.query<{ id: string; title: string | null }>('SELECT id, title FROM lodestone_document WHERE file = $1 AND removed_at IS NULL FOR UPDATE', [input.file]);
    if (rows[0] && !replace) {
      throw new UserInputError(`A document is already saved as ${input.file} (${rows[0].title ? `“${rows[0].title}”, ` : ''}id ${rows[0].id}); add replace:true to replace it.`);
    }
    await storeDocument(client, input, id);
    return { id, replaced: rows.length > 0 };
  });
}

/** The current sidecar text of a file, when it has one (a /docs replace keeps the other metadata). */
export async function storedSidecar(url: string, file: string): Promise<string | undefined> {
  const pool = await collectionPool(url);
  return (await listCurrent(pool)).find((d) => d.file === file)?.sidecar;
}

/** Removes the current document whose id (or file name) is `idOrFile`; refuses the last one. */
export async function removeStored(url: string, idOrFile: string): Promise<{ id: string; file: string; title: string | undefined }> {
  const pool = await collectionPool(url);
  const wanted = idOrFile.trim();
  return change(pool, async (client) => {
    const { rows } = await client.query<{ id: string; file: string; title: string | null }>('SELECT id, file, title FROM lodestone_document WHERE removed_at IS NULL ORDER BY file FOR UPDATE');
    const doc = rows.find((r) => r.id === wanted) ?? rows.find((r) => r.file === wanted);
    if (!doc) throw new UserInputError(`No document has the id "${[...wanted].slice(0, 60).join('')}" in ${redactUrl(url)}; \`lodestone docs list\` shows them.`);
    if (rows.length === 1) throw new UserInputError(`“${doc.title ?? doc.id}” is the only document; add another before removing it.`);
    await removeDocument(client, doc.file);
    return { id: doc.id, file: doc.file, title: doc.title ?? undefined };
  });
}

/** Writes a snapshot as a corpus folder: each document's bytes, its sidecar as imported, and glossary.json. */
export function writeCollectionFolder(snapshot: DocumentSnapshot, dir: string): void {
  const root = path.resolve(dir);
  fs.mkdirSync(root, { recursive: true });
  for (const doc of snapshot.documents) {
    const target = path.join(root, doc.file);
    // file names came through the import's own readdir or the upload check; a stored path is never followed
    if (path.dirname(target) !== root) throw new UserInputError(`stored file name ${doc.file} is not a plain file name; not written`);
    fs.writeFileSync(target, doc.bytes);
    if (doc.sidecar !== undefined) fs.writeFileSync(`${target}.meta.json`, doc.sidecar);
  }
  if (snapshot.glossary) fs.writeFileSync(path.join(root, CURATED_FILE), snapshot.glossary);
}

/** `docs export DIR`: every current document back as files; refused into a folder that already holds files. */
export async function exportCollection(url: string, dir: string): Promise<DocumentSnapshot> {
  const target = path.resolve(dir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new UserInputError(`${dir} is not empty; export into a new or empty folder, so no file there is overwritten`);
  const { readSnapshot } = await import('../corpus/pg/documentTable.js');
  const snapshot = await readSnapshot(await collectionPool(url));
  writeCollectionFolder(snapshot, target);
  return snapshot;
}
