/** What an index generation says about itself; checked on every load. */
export const INDEX_FORMAT_VERSION = 1;

export interface HnswParams {
  /** Graph degree. */
  m: number;
  efConstruction: number;
  /** Search-time candidate list size (raised to k when k is larger). */
  ef: number;
}

/**
 * HNSW parameters chosen by measurement on the corpus vectors (tests/index/hnsw-recall.test.ts,
 * `measureHnswRecall`): at a few hundred to a few thousand passages, M=16/efConstruction=200/ef=64
 * reaches top-10 recall 1.0 against brute force with sub-millisecond searches; smaller ef lost recall
 * on real (clustered) embeddings before larger M helped.
 */
export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 200, ef: 64 };

export interface IndexManifest {
  formatVersion: number;
  /** Embedder model id the vectors were made with; queries must use the same. */
  modelId: string;
  dimensions: number;
  passageCount: number;
  documentCount: number;
  /** Hash over the corpus files and the chunker version: differs ⇒ the index is stale. */
  corpusFingerprint: string;
  chunkerVersion: string;
  /** ISO time of the build. */
  builtAt: string;
  hnsw: HnswParams;
  /** BM25 settings used by the lexical index. */
  bm25: { k1: number; b: number };
  /** sha256 of every file of the generation (path relative to it) except the manifest itself. */
  checksums: Record<string, string>;
  /** Free-form facts about the build (stage seconds, model setting, …). */
  build?: Record<string, unknown>;
}
