import { CorpusError } from '../core/errors.js';
import { loadCorpus, type LoadCorpusOptions } from '../corpus/load.js';
import { chunkDocumentWithReport } from './chunk.js';
import type { DocumentInfo, Passage } from '../core/passage.js';

/** Bump when cleaning or chunking would cut the same files differently (or read files it skipped before): ingest treats the index as stale. */
export const CHUNKER_VERSION = 'h1-3';

export interface BuiltPassages {
  documents: DocumentInfo[];
  passages: Passage[];
  /** One line per skipped file or oddity, "<file>: skipped — <reason>". */
  warnings: string[];
}

/** Load every document in `dir` and cut it into passages. Throws CorpusError when nothing usable remains. */
export async function buildPassages(dir: string, options: LoadCorpusOptions = {}): Promise<BuiltPassages> {
  const { documents: loaded, warnings } = await loadCorpus(dir, options);
  const documents: DocumentInfo[] = [];
  const passages: Passage[] = [];
  for (const doc of loaded) {
    const { passages: docPassages } = chunkDocumentWithReport(doc);
    if (docPassages.length === 0) {
      warnings.push(`${doc.info.file}: skipped — no text left after cleaning`);
      continue;
    }
    documents.push(doc.info);
    passages.push(...docPassages);
  }
  if (documents.length === 0) throw new CorpusError(`no usable document in ${dir}: every file was empty after cleaning`);
  return { documents, passages, warnings };
}
