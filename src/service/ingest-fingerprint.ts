import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isCorpusFurniture } from '../corpus/load.js';
import { formatOfFile } from '../corpus/formats/convert.js';
import { langDataHash } from '../text/lang.js';

/**
 * Fingerprint of a corpus directory: sha256 over every regular, non-hidden file's relative path and bytes
 * (metadata and the curated glossary included: they change what ingest builds), the chunker version and the
 * language files (lang/*.json: a changed vocabulary rebuilds what was built with it).
 * Reading a few files is cheap enough to run at every start.
 */
export function corpusFingerprint(corpusDir: string, chunkerVersion: string, lang: string = langDataHash()): string {
  const hash = createHash('sha256').update(`chunker:${chunkerVersion}\nlang:${lang}\n`);
  for (const rel of corpusFiles(corpusDir)) {
    const fileHash = createHash('sha256').update(fs.readFileSync(path.join(corpusDir, rel))).digest('hex');
    hash.update(`${rel}\0${fileHash}\n`);
  }
  return hash.digest('hex');
}

/** Relative paths of the corpus's regular files, hidden files and folders skipped, sorted. */
export function corpusFiles(corpusDir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(corpusDir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name.endsWith('~')) continue;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/** How a corpus folder differs from the documents an index was built from, by file name. */
export interface CorpusDifference {
  /** In the index, not in the folder. */
  missing: string[];
  /** In the folder, not in the index. */
  added: string[];
  /** In both, with other bytes. */
  changed: string[];
}

/**
 * How `corpusDir` differs from what `index` was built from, or undefined when it holds exactly that (the same
 * fingerprint) or does not exist (a worker with no corpus folder has nothing to compare). All three lists empty:
 * the same documents, with other metadata or glossary.
 */
export function corpusDifference(
  corpusDir: string,
  index: { manifest: { corpusFingerprint: string; chunkerVersion: string; build?: Record<string, unknown> }; documents: readonly { file: string; contentHash: string }[] },
): CorpusDifference | undefined {
  if (!fs.existsSync(corpusDir)) return undefined;
  // the index's own chunker version: a newer chunker in this checkout is not a difference in the documents
  // built from the documents table (DATABASE_URL): its fingerprint also names the table's version; the files' own is recorded apart
  const built = typeof index.manifest.build?.contentFingerprint === 'string' ? index.manifest.build.contentFingerprint : index.manifest.corpusFingerprint;
  if (corpusFingerprint(corpusDir, index.manifest.chunkerVersion) === built) return undefined;
  // the documents as the loader sees them: files directly in the folder, in a readable format, not its furniture
  const here = new Map<string, string>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(corpusDir);
  } catch {
    // unreadable: every indexed document counts as missing
  }
  for (const name of names) {
    if (isCorpusFurniture(name) || !formatOfFile(name)) continue;
    try {
      const full = path.join(corpusDir, name);
      if (fs.statSync(full).isFile()) here.set(name, createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    } catch {
      // unreadable: as if absent
    }
  }
  const indexed = new Map(index.documents.map((d) => [d.file, d.contentHash]));
  return {
    missing: [...indexed.keys()].filter((file) => !here.has(file)).sort(),
    added: [...here.keys()].filter((file) => !indexed.has(file)).sort(),
    changed: [...here].filter(([file, hash]) => indexed.has(file) && indexed.get(file) !== hash).map(([file]) => file).sort(),
  };
}

/** `not here: a.pdf, b.docx; only here: c.md` — at most five names a list, for one log line. */
export function corpusDifferenceText(difference: CorpusDifference): string {
  const list = (files: string[]) => (files.length <= 5 ? files.join(', ') : `${files.slice(0, 5).join(', ')} and ${files.length - 5} more`);
  const parts = [
    difference.missing.length ? `not here: ${list(difference.missing)}` : '',
    difference.added.length ? `only here: ${list(difference.added)}` : '',
    difference.changed.length ? `changed here: ${list(difference.changed)}` : '',
  ].filter(Boolean);
  return parts.join('; ') || 'the same documents with other metadata or glossary';
}
