import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CorpusError } from '../core/errors.js';
import { decodeDocumentBytes } from './decode.js';
import { cleanMetadata, documentInfo, splitFrontMatter, type DocumentMetadata, type LoadedDocument } from './document.js';

export type { LoadedDocument } from './document.js';

export interface LoadCorpusOptions {
  /** Files larger than this are skipped with a warning (default 10 MB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DOCUMENT_EXTENSIONS = new Set(['.md', '.txt', '.markdown']);

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Every `.md`/`.txt` file directly in `dir` (README.* excepted), in file-name order, with its metadata (sidecar
 * `<file>.meta.json`, else front matter, else defaults). A file that cannot be used is skipped with a
 * one-line warning "<file>: skipped — <reason>"; the rest still loads. No usable document → CorpusError.
 */
export async function loadCorpus(dir: string, opts: LoadCorpusOptions = {}): Promise<{ documents: LoadedDocument[]; warnings: string[] }> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new CorpusError(`corpus folder ${dir} cannot be read (${errorCode(err)})`);
  }
  const documents: LoadedDocument[] = [];
  const warnings: string[] = [];
  const usedIds = new Set<string>();
  for (const file of names.sort()) {
    // corpus/README.md explains the folder; it is not a document
    if (file.startsWith('.') || /^readme\./i.test(file) || !DOCUMENT_EXTENSIONS.has(path.extname(file).toLowerCase())) continue;
    const full = path.join(dir, file);
    const skip = (reason: string) => warnings.push(`${file}: skipped — ${reason}`);
    let bytes: Buffer;
    try {
      const info = await stat(full);
      if (!info.isFile()) {
        skip('not a regular file');
        continue;
      }
      if (info.size > maxBytes) {
        skip(`too large (${megabytes(info.size)}; limit ${megabytes(maxBytes)})`);
        continue;
      }
      bytes = await readFile(full);
    } catch (err) {
      skip(`cannot be read (${errorCode(err)})`);
      continue;
    }
    const decoded = decodeDocumentBytes(bytes);
    if (!decoded.ok) {
      skip(decoded.reason);
      continue;
    }
    const { metadata: frontMatter, body } = splitFrontMatter(decoded.text);
    const metadata: DocumentMetadata = { ...cleanMetadata(frontMatter), ...(await readSidecar(full, file, warnings)) };
    const info = documentInfo(file, body, bytes, metadata);
    if (usedIds.has(info.id)) {
      const base = info.id;
      for (let n = 2; usedIds.has(info.id); n++) info.id = `${base}-${n}`;
      warnings.push(`${file}: document id "${base}" already used; using "${info.id}"`);
    }
    usedIds.add(info.id);
    documents.push({ info, text: body });
  }
  if (documents.length === 0) {
    const why = warnings.length ? ` (${warnings.length} file(s) skipped: ${warnings.join('; ')})` : '';
    throw new CorpusError(`no usable document in ${dir}: add .md or .txt files in UTF-8${why}`);
  }
  return { documents, warnings };
}

async function readSidecar(full: string, file: string, warnings: string[]): Promise<DocumentMetadata> {
  let raw: string;
  try {
    raw = await readFile(`${full}.meta.json`, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return cleanMetadata(parsed as Record<string, unknown>);
    warnings.push(`${file}.meta.json: ignored — not a JSON object; using defaults`);
  } catch {
    warnings.push(`${file}.meta.json: ignored — invalid JSON; using defaults`);
  }
  return {};
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? (e instanceof Error ? e.message : String(err));
}
