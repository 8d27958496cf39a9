import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Embeddings } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import type { Neighbour } from './exact-search.js';

/** Embeddings that are never called: the store is fed precomputed vectors, the same ones Lodestone indexes. */
class PrecomputedEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  async embedDocuments(): Promise<number[][]> {
    throw new Error('the bench feeds precomputed vectors');
  }
  async embedQuery(): Promise<number[]> {
    throw new Error('the bench feeds precomputed vectors');
  }
}

/** LangChain's HNSWLib vector store, built the way its docs show (defaults: M=16, efConstruction=200, ef=10). */
export class LangChainStore {
  private constructor(private readonly store: HNSWLib) {}

  static async build(vectors: readonly Float32Array[], texts: readonly string[], dims: number): Promise<LangChainStore> {
    const store = new HNSWLib(new PrecomputedEmbeddings(), { space: 'cosine', numDimensions: dims });
    const documents = vectors.map((_, position) => new Document({ pageContent: texts[position] ?? '', metadata: { position } }));
    await store.addVectors(vectors.map((v) => Array.from(v)), documents);
    return new LangChainStore(store);
  }

  /** Search-time candidate list; LangChain leaves it at hnswlib's default (10) unless told. */
  setEf(ef: number): void {
    this.store.index.setEf(ef);
  }

  async search(query: Float32Array, k: number): Promise<Neighbour[]> {
    const hits = await this.store.similaritySearchVectorWithScore(Array.from(query), k);
    return hits.map(([doc, distance]) => ({ position: doc.metadata.position as number, score: 1 - distance }));
  }
}
