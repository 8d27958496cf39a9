/**
 * `lodestone/langchain`: Lodestone as LangChain parts, for code that already speaks LangChain.
 *
 *   import { createRetriever } from 'lodestone/langchain';
 *   const retriever = createRetriever({ indexDir: 'index', corpusDir: 'corpus', k: 5 });
 *   const docs = await retriever.invoke('美国对华关键矿产政策');   // Document[] with {id, docId, label, title, score}
 *
 * The retriever is Lodestone's own hybrid search (dense + BM25, glossary expansion) over a built index;
 * the embeddings are the very model the index was built with, so vectors made with them match its own.
 */
import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import { Document } from '@langchain/core/documents';
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { TextEmbedder } from '../embedding/embedder-api.js';
import { createLibrarian, type LibrarianService } from '../service/librarian.js';

export interface LodestoneOptions {
  /** The index directory (`lodestone ingest` builds it). */
  indexDir: string;
  /** The corpus the index was built from (its curated glossary feeds query expansion). */
  corpusDir: string;
  /** Build the index when it is missing or stale (default false: a retriever only reads). */
  autoIngest?: boolean;
  /** EMBEDDING_MODEL setting for a first build; an existing index keeps its own model. */
  model?: string;
}

export interface RetrieverOptions extends LodestoneOptions, BaseRetrieverInput {
  /** How many passages `invoke` returns (1–25, default 8). */
  k?: number;
}

/** What every returned Document carries besides the passage text. */
export interface PassageMetadata {
  /** Passage id, e.g. `zhou2024:4.3:p3fa2` (what `lodestone cite` takes). */
  id: string;
  docId: string;
  /** Human citation label, e.g. `周亚敏 2024 · 四（三）¶3`. */
  label: string;
  /** Title of the document the passage is in. */
  title: string;
  /** Fused retrieval score (higher is better; comparable within one query only). */
  score: number;
}

/** One librarian per options object, opened on first use and shared by the retriever and the embeddings. */
function lazyLibrarian(options: LodestoneOptions): () => Promise<LibrarianService> {
  let opened: Promise<LibrarianService> | undefined;
  return () => {
    opened ??= createLibrarian({
      indexDir: options.indexDir,
      corpusDir: options.corpusDir,
      model: options.model,
      autoIngest: options.autoIngest ?? false,
      composer: null,
    });
    // a failed open is not remembered: the next call tries again (e.g. after `lodestone ingest`)
    opened.catch(() => (opened = undefined));
    return opened;
  };
}

export class LodestoneRetriever extends BaseRetriever<PassageMetadata> {
  override lc_namespace = ['lodestone', 'retrievers'];
  readonly k: number;
  private readonly librarian: () => Promise<LibrarianService>;

  static override lc_name(): string {
    return 'LodestoneRetriever';
  }

  constructor(options: RetrieverOptions, librarian = lazyLibrarian(options)) {
    super(options);
    this.k = options.k ?? 8;
    if (!Number.isInteger(this.k) || this.k < 1 || this.k > 25) throw new RangeError(`k must be a whole number from 1 to 25, got ${options.k}`);
    this.librarian = librarian;
  }

  override async _getRelevantDocuments(query: string, _runManager?: CallbackManagerForRetrieverRun): Promise<Document<PassageMetadata>[]> {
    const librarian = await this.librarian();
    const results = await librarian.search(query, this.k);
    const titles = new Map(librarian.sources().map((s) => [s.doc.id, s.doc.title]));
    return results.map(
      ({ passage, score }) =>
        new Document<PassageMetadata>({
          pageContent: passage.text,
          metadata: { id: passage.id, docId: passage.docId, label: passage.label, title: titles.get(passage.docId) ?? passage.docId, score },
          id: passage.id,
        }),
    );
  }

  /** Embeddings over the same model as this retriever's index. */
  embeddings(params: EmbeddingsParams = {}): LodestoneEmbeddings {
    return new LodestoneEmbeddings(async () => (await this.librarian()).searcher().embedder, params);
  }

  /** Stops following the index for new generations. */
  async close(): Promise<void> {
    await (await this.librarian().catch(() => undefined))?.close();
  }
}

/** LangChain `Embeddings` over Lodestone's embedder (query and passage forms, as the index uses them). */
export class LodestoneEmbeddings extends Embeddings {
  constructor(
    private readonly embedder: () => Promise<TextEmbedder>,
    params: EmbeddingsParams = {},
  ) {
    super(params);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const embedder = await this.embedder();
    return (await this.caller.call(() => embedder.embedPassages(documents))).map((v) => Array.from(v));
  }

  async embedQuery(document: string): Promise<number[]> {
    const embedder = await this.embedder();
    return Array.from(await this.caller.call(() => embedder.embedQuery(document)));
  }
}

/** A LangChain retriever over a built Lodestone index: `invoke(query)` → passages as Documents. */
export function createRetriever(options: RetrieverOptions): LodestoneRetriever {
  return new LodestoneRetriever(options);
}

/** LangChain embeddings with the model a Lodestone index was built with. */
export function createEmbeddings(options: LodestoneOptions & EmbeddingsParams): LodestoneEmbeddings {
  const librarian = lazyLibrarian(options);
  return new LodestoneEmbeddings(async () => (await librarian()).searcher().embedder, options);
}
