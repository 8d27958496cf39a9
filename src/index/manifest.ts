/** What an index generation says about itself; checked on every load. */
/** 2: binary postings (postings.bin); 3: size + CRC-32 checksums; 4: passages as JSON lines, parsed on use. */
export const INDEX_FORMAT_VERSION = 4;

export interface HnswParams {
  /** Graph degree. */
  m: number;
  efConstruction: number;
  /** Search-time candidate list size (raised to k when k is larger). */
  ef: number;
}

/**
 * HNSW parameters chosen by measurement on the corpus vectors (offline corpus model, 249 passages; queries =
 * every passage vector plus 249 blends of two passages; top-10 against brute force): ef=10 → 0.95–0.97,
 * ef=32 → 0.99–0.997, ef=64 → 0.999, ef=100 → 1.000 for M 16/32 and efConstruction 200/400, at < 0.2 ms a
 * query. M=16/efConstruction=200 build fast; ef=100 buys exactness for little time. Re-measure with
 * `measureHnswRecall` (src/index/dense.ts) for much larger corpora.
 */
export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 200, ef: 100 };

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
  /** HNSW parameters of whichever engine searches the vectors (hnswlib here, or `vectorStore`'s). */
  hnsw: HnswParams;
  /**
   * Absent: the vectors are searched in process through the hnswlib graph stored as hnsw.bin. `pgvector`:
   * by PostgreSQL (an HNSW index over a `vector(d)` column; `hnsw.ef` is its `hnsw.ef_search`).
   */
  vectorStore?: 'pgvector';
  /** BM25 settings used by the lexical index. */
  bm25: { k1: number; b: number };
  /** Size + CRC-32 of every file of the generation (path relative to it) except the manifest itself. */
  checksums: Record<string, string>;
  /** Free-form facts about the build (stage seconds, model setting, …). */
  build?: Record<string, unknown>;
}
