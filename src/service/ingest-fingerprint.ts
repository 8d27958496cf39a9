import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Fingerprint of a corpus directory: sha256 over every regular, non-hidden file's relative path and bytes
 * (metadata and the curated glossary included: they change what ingest builds) plus the chunker version.
 * Reading a few files is cheap enough to run at every start.
 */
export function corpusFingerprint(corpusDir: string, chunkerVersion: string): string {
  const hash = createHash('sha256').update(`chunker:${chunkerVersion}\n`);
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
