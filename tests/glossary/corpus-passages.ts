import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPassages } from '../../src/chunking/build.js';
import type { DocumentInfo, Passage } from '../../src/core/passage.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The repository's corpus/: the documents, their metadata and the curated glossary.json. */
export const REPO_CORPUS_DIR = path.join(ROOT, 'corpus');

let cached: Promise<{ documents: DocumentInfo[]; passages: Passage[] }> | undefined;

/** The real passages of the shipped corpus, built once per test file. */
export function corpusPassages(): Promise<{ documents: DocumentInfo[]; passages: Passage[] }> {
  cached ??= buildPassages(REPO_CORPUS_DIR).then(({ documents, passages }) => ({ documents, passages }));
  return cached;
}
