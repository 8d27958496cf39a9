import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CorpusError } from '../core/errors.js';
import { decodeDocumentBytes } from './decode.js';
import { cleanMetadata, documentInfo, splitFrontMatter, type DocumentMetadata, type LoadedDocument } from './document.js';
import { convertDocument, formatOfFile, unsupportedReason } from './formats/convert.js';

export type { LoadedDocument } from './document.js';

export interface LoadCorpusOptions {
  /** Files larger than this are skipped with a warning (default 10 MB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** Files of the corpus folder that are not documents and need no warning: its README, the glossary, sidecars, backups. */
export function isCorpusFurniture(file: string): boolean {
  return file.startsWith('.') || /^readme\./i.test(file) || /^glossary\.json$/i.test(file) || /\.meta\.json$/i.test(file) || /~$|^~\$|\.(?:swp|bak|tmp|part|crdownload)$|^(?:thumbs\.db|desktop\.ini)$/i.test(file);
}

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Every document directly in `dir` — `.md`/`.txt`, and `.pdf`, `.html`/`.htm`, `.docx` converted to the same
 * markdown-ish text (see formats/convert.ts) — in file-name order, with its metadata (sidecar `<file>.meta.json`,
 * else front matter or what the file itself says, else defaults) and its format. A file that cannot be used
 * (unreadable, too large, corrupt, encrypted, a scan without text, an unsupported extension) is skipped with a
 * one-line warning "<file>: skipped — <reason>"; README.*, glossary.json, sidecars and sub-folders (a saved
 * page's `_files`) are not documents and pass silently. No usable document → CorpusError.
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
    if (isCorpusFurniture(file)) continue;
    const full = path.join(dir, file);
    const skip = (reason: string) => warnings.push(`${file}: skipped — ${reason}`);
    const format = formatOfFile(file);
    let bytes: Buffer;
    try {
      const info = await stat(full);
      if (!info.isFile()) {
        if (format) skip('not a regular file');
        continue;
      }
      if (!format) {
        skip(unsupportedReason(file));
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
    let body: string;
    let own: DocumentMetadata;
    if (format === 'md' || format === 'txt') {
      const decoded = decodeDocumentBytes(bytes);
      if (!decoded.ok) {
        skip(decoded.reason);
        continue;
      }
      const split = splitFrontMatter(decoded.text);
      body = split.body;
      own = cleanMetadata(split.metadata);
    } else {
      if (bytes.length === 0) {
        skip('empty file');
        continue;
      }
      const converted = await convertDocument(format, bytes);
      if (!converted.ok) {
        skip(converted.reason);
        continue;
      }
      body = converted.text;
      own = cleanMetadata(converted.metadata as Record<string, unknown>);
    }
    const metadata: DocumentMetadata = { ...own, ...(await readSidecar(full, file, warnings)) };
    const info = documentInfo(file, body, bytes, metadata);
    info.format = format;
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
    throw new CorpusError(`no usable document in ${dir}: add .md or .txt files in UTF-8, or .pdf, .html, .docx files${why}`);
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
