/**
 * Documents added and removed while the service runs (the bot's /docs, and any CLI that wants it): a file is
 * checked before anything is touched, saved into corpus/ under a safe name, ingested incrementally (unchanged
 * passages keep their vectors) and the new index generation swapped in; the call resolves once the document
 * is searchable. A file that cannot be used is refused with a one-line reason and changes nothing; a failure
 * after saving puts corpus/ back as it was (the index is only ever replaced by a complete new generation).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { decodeDocumentBytes } from '../corpus/decode.js';
import { choice, CHOICES_MAX, type Choice } from '../text/choice.js';
import { searchKey } from '../text/searchKey.js';
import type { SourceSummary } from './librarian-api.js';
import { ingest, type IngestSummary } from './ingest.js';

export const DOCUMENT_MAX_BYTES = 2 * 1024 * 1024;
export const DOCUMENT_EXTENSIONS = ['.md', '.txt'] as const;
/** Longest saved file name (without the extension). */
const STEM_MAX = 80;

export interface DocumentUpload {
  /** The name the file came with (an attachment's filename). */
  filename: string;
  bytes: Uint8Array;
  /** Shown as the document's title (saved in its `<file>.meta.json`); default: its first heading or line. */
  title?: string;
  /** Replace a document saved under the same name (otherwise refused). */
  replace?: boolean;
  /** Who added it, already hashed as votes are (sha256(salt + user id), SECURITY.md); stored with DATABASE_URL. */
  addedBy?: string;
}

export interface ShelvedDocument {
  id: string;
  file: string;
  title: string;
  passages: number;
}

export interface AddedDocument extends ShelvedDocument {
  /** It replaced a file of the same name. */
  replaced: boolean;
  /** Passages in the whole index now. */
  totalPassages: number;
  seconds: number;
}

export interface RemovedDocument extends ShelvedDocument {
  totalPassages: number;
  seconds: number;
}

/** What the bot and the CLI call to change the corpus at run time. Refusals are UserInputErrors. */
export interface DocumentShelf {
  /** Checks, saves, ingests and swaps the index in; resolves when the document is searchable. */
  add(upload: DocumentUpload): Promise<AddedDocument>;
  list(): ShelvedDocument[];
  /** Removes a document (its file and sidecar) by id, re-ingests and swaps the index in. */
  remove(id: string): Promise<RemovedDocument>;
  /** Documents whose id, title or file name contains `prefix`, for autocomplete. */
  choices(prefix: string): Choice[];
}

export interface DocumentShelfOptions {
  corpusDir: string;
  indexDir: string;
  /** EMBEDDING_MODEL, as the service was opened with. */
  model?: string;
  onWarning?: (message: string) => void;
  /** Ingest's seams, for tests. */
  ingest?: typeof ingest;
}

/** What the shelf needs from the running service: load the new generation, and what it holds. */
export interface ShelfService {
  reload(): Promise<boolean>;
  sources(): SourceSummary[];
}

/** A shelved document as the service lists it. */
export const shelvedDocument = (s: SourceSummary): ShelvedDocument => ({ id: s.doc.id, file: s.doc.file, title: s.doc.title, passages: s.passages });

/** Passages the service holds in all. */
export const totalPassages = (service: ShelfService): number => service.sources().reduce((n, s) => n + s.passages, 0);

/** Autocomplete choices of the documents whose id, title or file name holds the prefix (both shelves' /docs remove). */
export function shelfChoices(service: ShelfService, prefix: string): Choice[] {
  const key = searchKey(prefix.trim());
  return service
    .sources()
    .filter((s) => !key || [s.doc.id, s.doc.title, s.doc.file].some((v) => searchKey(v).includes(key)))
    .slice(0, CHOICES_MAX)
    .map((s) => choice(`${s.doc.id} — ${s.doc.title}`, s.doc.id));
}

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * The name a file is saved under, or a UserInputError saying why it cannot be: a name with a path in it
 * (`../x.md`, `a/b.md`) is refused rather than cleaned, so nobody's upload lands elsewhere by surprise;
 * other characters that are awkward in a file name become `-`.
 */
export function safeDocumentName(filename: string): string {
  const name = filename.normalize('NFC').trim();
  if (!name) throw new UserInputError('The file has no name.');
  if (/[\\/]/.test(name) || name.split(/[\\/]/).includes('..') || /[\u0000-\u001f]/.test(name)) {
    throw new UserInputError(`"${printable(name)}" is a path, not a file name: documents are saved only in the corpus folder. Rename the file and try again.`);
  }
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
  if (!(DOCUMENT_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new UserInputError(`Only .md and .txt files can be added${extension ? ` (this one is ${printable(extension)})` : ''}.`);
  }
  if (name.startsWith('.')) throw new UserInputError(`"${printable(name)}" is a hidden file name; rename it.`);
  const stem = [...name.slice(0, dot).replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/-{2,}/g, '-').replace(/^[-.]+|[-.]+$/g, '')].slice(0, STEM_MAX).join('');
  if (!stem) throw new UserInputError(`"${printable(name)}" has no usable file name; rename it.`);
  if (/^readme$/i.test(stem)) throw new UserInputError('README is the corpus folder’s own description, not a document; rename the file.');
  return `${stem}${extension}`;
}

function printable(text: string): string {
  return [...text.replace(/[\u0000-\u001f]/g, '?')].slice(0, 60).join('');
}

/** Refuses a file over the limit (the bot checks an attachment's declared size before downloading it). */
export function checkDocumentSize(name: string, size: number): void {
  if (size > DOCUMENT_MAX_BYTES) throw new UserInputError(`${name} is ${megabytes(size)}; the limit is ${megabytes(DOCUMENT_MAX_BYTES)}.`);
}

/** The upload's text, or a UserInputError saying why it is not a UTF-8 text document within the limit. */
export function checkDocumentBytes(name: string, bytes: Uint8Array): string {
  checkDocumentSize(name, bytes.length);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw new UserInputError(`${name} is UTF-16; save it as UTF-8 and try again.`);
  const decoded = decodeDocumentBytes(bytes);
  if (!decoded.ok) throw new UserInputError(`${name} cannot be added: ${decoded.reason}.`);
  return decoded.text;
}

/** A file's bytes (or its absence), to put back when a change fails. */
type Saved = Buffer | undefined;

function readIfThere(file: string): Saved {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function restore(file: string, saved: Saved): void {
  if (saved === undefined) fs.rmSync(file, { force: true });
  else writeAtomically(file, saved);
}

/** Written beside its target under a name the corpus loader skips (`.…tmp`), then renamed into place. */
function writeAtomically(file: string, bytes: Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

export function createDocumentShelf(options: DocumentShelfOptions, service: ShelfService): DocumentShelf {
  const runIngest = options.ingest ?? ingest;
  const corpusDir = path.resolve(options.corpusDir);
  // one change at a time: two uploads must not interleave their saves and ingests
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const shelved = shelvedDocument;
  const total = () => totalPassages(service);

  /** Re-ingest and swap the new generation in; on failure put the files back and say so. */
  const commit = async (files: { file: string; saved: Saved }[]): Promise<IngestSummary> => {
    try {
      const summary = await runIngest({ corpusDir: options.corpusDir, indexDir: options.indexDir, model: options.model, onWarning: options.onWarning });
      await service.reload();
      return summary;
    } catch (error) {
      for (const { file, saved } of files) restore(file, saved);
      throw error instanceof UserInputError ? error : new UserInputError(`The index could not be rebuilt, so nothing was changed: ${(error as Error).message.split('\n')[0]}`);
    }
  };

  return {
    async add(upload) {
      // every check before anything is written
      const name = safeDocumentName(upload.filename);
      checkDocumentBytes(name, upload.bytes);
      const title = upload.title?.replace(/\s+/g, ' ').trim();
      return serial(async () => {
        const started = performance.now();
        const target = path.join(corpusDir, name);
        if (path.dirname(target) !== corpusDir) throw new UserInputError(`"${name}" would not be saved in the corpus folder.`);
        const existing = readIfThere(target);
        if (existing && !upload.replace) {
          const held = service.sources().find((s) => s.doc.file === name);
          throw new UserInputError(`A document is already saved as ${name}${held ? ` (“${held.doc.title}”, id ${held.doc.id})` : ''}; add replace:true to replace it.`);
        }
        await assertChunks(name, upload.bytes, title);
        const sidecar = `${target}.meta.json`;
        const savedSidecar = readIfThere(sidecar);
        const touched = [
          { file: target, saved: existing },
          { file: sidecar, saved: savedSidecar },
        ];
        try {
          writeAtomically(target, upload.bytes);
          if (title) writeAtomically(sidecar, JSON.stringify({ ...parseSidecar(savedSidecar), title }, null, 2) + '\n');
        } catch (error) {
          for (const { file, saved } of touched) restore(file, saved);
          throw new UserInputError(`${name} could not be saved in the corpus folder: ${(error as Error).message}`);
        }
        await commit(touched);
        const added = service.sources().find((s) => s.doc.file === name);
        if (!added) {
          // ingested yet not in service (the new generation did not load): back to how it was
          for (const { file, saved } of touched) restore(file, saved);
          await commit([]);
          throw new UserInputError(`${name} was indexed but the new index could not be loaded; nothing was changed.`);
        }
        return { ...shelved(added), replaced: existing !== undefined, totalPassages: total(), seconds: (performance.now() - started) / 1000 };
      });
    },

    list() {
      return service.sources().map(shelved);
    },

    async remove(id) {
      return serial(async () => {
        const started = performance.now();
        const sources = service.sources();
        const doc = sources.find((s) => s.doc.id === id.trim());
        if (!doc) throw new UserInputError(`No document has the id "${printable(id.trim())}"; /docs list shows them.`);
        if (sources.length === 1) throw new UserInputError(`“${doc.doc.title}” is the only document; add another before removing it.`);
        const target = path.join(corpusDir, doc.doc.file);
        if (path.dirname(target) !== corpusDir) throw new UserInputError(`${doc.doc.file} is not a file of the corpus folder.`);
        const sidecar = `${target}.meta.json`;
        const touched = [
          { file: target, saved: readIfThere(target) },
          { file: sidecar, saved: readIfThere(sidecar) },
        ];
        for (const { file } of touched) fs.rmSync(file, { force: true });
        await commit(touched);
        return { ...shelved(doc), totalPassages: total(), seconds: (performance.now() - started) / 1000 };
      });
    },

    choices(prefix) {
      return shelfChoices(service, prefix);
    },
  };
}

function parseSidecar(saved: Saved): Record<string, unknown> {
  if (!saved) return {};
  try {
    const parsed: unknown = JSON.parse(saved.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The file on its own must give passages (not all boilerplate or empty after cleaning), checked in a scratch folder. */
export async function assertChunks(name: string, bytes: Uint8Array, title: string | undefined): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-upload-'));
  try {
    fs.writeFileSync(path.join(scratch, name), bytes);
    if (title) fs.writeFileSync(path.join(scratch, `${name}.meta.json`), JSON.stringify({ title }));
    const { buildPassages } = await import('../chunking/build.js');
    let built: Awaited<ReturnType<typeof buildPassages>>;
    try {
      built = await buildPassages(scratch);
    } catch (error) {
      const reason = /skipped — ([^;)]+)/.exec((error as Error).message)?.[1] ?? 'no text is left after cleaning';
      throw new UserInputError(`${name} cannot be added: ${reason}.`);
    }
    if (built.passages.length === 0) throw new UserInputError(`${name} cannot be added: no text passages in it.`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
