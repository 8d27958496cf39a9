import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Embedder } from '../../src/embedding/embedder.js';
import { loadCuratedGlossary } from '../../src/glossary/curated.js';
import { Glossary } from '../../src/glossary/glossary.js';
import { loadIndex, type LoadedIndex } from '../../src/index/store.js';
import { Retriever } from '../../src/retrieval/hybrid.js';
import { ingest, type IngestSummary } from '../../src/service/ingest.js';

export const REPO_CORPUS = path.resolve(import.meta.dirname, '../../corpus');
/** The dev question set, in the repo (eval/dev.jsonl). */
export { DEV_SET } from '../support/paths.js';

/** The repo corpus ingested with the offline corpus model into a fresh directory, as the product does it. */
export async function corpusRetriever(): Promise<{ index: LoadedIndex; retriever: Retriever; summary: IngestSummary; embedder: Embedder; indexDir: string }> {
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-corpus-'));
  const summary = await ingest({ corpusDir: REPO_CORPUS, indexDir, model: 'corpus' });
  const index = loadIndex(indexDir);
  const embedder = await Embedder.load({ model: 'corpus', modelDir: index.modelDir! });
  const glossary = Glossary.build(index.passages, index.documents, loadCuratedGlossary(REPO_CORPUS).entries);
  const retriever = new Retriever(index, embedder, { expand: (q) => glossary.expandQuery(q) });
  return { index, retriever, summary, embedder, indexDir };
}
