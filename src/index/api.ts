/**
 * The storage seam. Everything above src/index/ (the retriever, the librarian, ingest, eval, the bench,
 * the LangChain entry) sees the index only through these interfaces; today's implementation is the
 * file store (src/index/store.ts: hnswlib graph + binary BM25 postings in generation directories).
 * Another store (the scale-out issue's PostgreSQL) implements the same interfaces and is chosen in
 * `openIndexStore` (src/index/open.ts): nothing above the seam changes.
 */
import type { DocumentInfo, Passage } from '../core/passage.js';
import type { TermWeights } from './lexical.js';
import type { Bm25Params } from './lexical.js';
import type { HnswParams, IndexManifest } from './manifest.js';

export type { TermWeights } from './lexical.js';
export type { IndexManifest } from './manifest.js';

export interface PassageHit {
  passage: Passage;
  score: number;
}

/** Nearest passages to a vector (cosine similarity, best first). */
export interface DenseStore {
  /**
   * `ef`: the search-time candidate list of an approximate index; omitted, the store uses the value it
   * chose by measurement when the generation was built (a store without such a knob ignores it).
   */
  search(vector: Float32Array | number[], k: number, ef?: number): Promise<PassageHit[]>;
}

/** BM25 over the passages' terms (simplified-Chinese words + bigrams, stemmed English). */
export interface LexicalStore {
  /** Top-k; `terms`: query terms (a repeat adds weight) or explicit weights. */
  search(terms: string[] | TermWeights, k: number): Promise<PassageHit[]>;
  /** How many passages contain the term. */
  documentFrequency(term: string): Promise<number>;
}

/**
 * One committed generation as a reader sees it. Immutable: a question that took it keeps using it to the
 * end, whatever is committed meanwhile.
 */
export interface IndexSnapshot {
  /** Name of the generation (changes with every commit). */
  readonly generation: string;
  readonly manifest: IndexManifest;
  readonly documents: DocumentInfo[];
  readonly passageCount: number;
  /** Every passage in index order (for the glossary, /sources, citing by id or label). */
  readonly passages: Passage[];
  /** Directory of the corpus embedding model stored with this generation, when there is one. */
  readonly modelDir: string | undefined;
  byId(id: string): Passage | undefined;
  document(docId: string): DocumentInfo | undefined;
  /** The stored vector of a passage (ingest reuses the vectors of unchanged passages). */
  vectorOf(id: string): Float32Array | undefined;
  /** Local path of a file stored with this generation (`IndexInput.attachments`), when it has one by that name. */
  attachment?(name: string): string | undefined;
  readonly dense: DenseStore;
  readonly lexical: LexicalStore;
}

/** What a new generation is built from. */
export interface IndexInput {
  documents: DocumentInfo[];
  passages: Passage[];
  /** One L2-normalised vector per passage, same order. */
  vectors: Float32Array[];
  /** `TextEmbedder.modelId` the vectors were made with. */
  embedderModelId: string;
  dims: number;
  corpusFingerprint: string;
  chunkerVersion: string;
  /** Explicit HNSW parameters; omitted, the store chooses ef by measurement on the vectors. */
  hnsw?: HnswParams;
  bm25?: Bm25Params;
  /** Directory with the corpus embedding model's files, stored with the generation. */
  modelDir?: string;
  /**
   * Other files stored with the generation, name → local path (the corpus's curated glossary): what a
   * process serving the index without the corpus folder (a worker reading it from PostgreSQL) still needs.
   */
  attachments?: Record<string, string>;
  build?: Record<string, unknown>;
  /**
   * Checked just before the generation becomes current (inside the publishing transaction of the PostgreSQL store);
   * throwing publishes nothing. The builder's proof that it still holds its lock.
   */
  publishGuard?: () => Promise<void>;
  /** Test hook: called after the generation's files are written, before it is committed. */
  beforeCommit?: (stagingDir: string) => void;
}

export interface WrittenIndex {
  /** Where the generation lives (a directory for the file store). */
  dir: string;
  generation: string;
  manifest: IndexManifest;
  bytes: number;
}

/** A generation built in full but not yet visible to readers. */
export interface StagedIndex {
  readonly manifest: IndexManifest;
  /** Makes it the current generation in one atomic step. */
  commit(): Promise<WrittenIndex>;
  /** Throws it away (nothing was visible). */
  discard(): Promise<void>;
}

/** Where generations are built, committed and loaded. */
export interface IndexStore {
  /** Human-readable location, for messages (the index directory). */
  readonly location: string;
  /**
   * Generations are published for other machines (PostgreSQL): one builder's corpus folder becomes everyone's
   * collection, so only the commands that build on purpose (ingest, /docs) write; readers only load.
   */
  readonly published?: boolean;
  build(input: IndexInput): Promise<StagedIndex>;
  /** `build` then `commit`; a failure leaves the current generation as it was. */
  write(input: IndexInput): Promise<WrittenIndex>;
  /** The current generation; throws IndexError when there is none or it is unusable. */
  load(): Promise<IndexSnapshot>;
  /** Name of the current generation, or undefined when there is none. */
  current(): Promise<string | undefined>;
  /** The current generation's manifest without loading the rest (undefined when absent or unreadable). */
  manifest(): Promise<IndexManifest | undefined>;
  /**
   * Calls `onChange` soon after another process may have committed (file-system events for the file
   * store); returns the function that stops it. A store without notifications leaves it out and is polled.
   */
  watch?(onChange: () => void): () => void;
}
