import type { TextEmbedder } from './embedder-api.js';

/**
 * Stands in for an index's embedding model that cannot be loaded (not cached, hub unreachable, directory
 * gone): same id and width as the index, so nothing mistakes it for another model, and any attempt to embed
 * says why it cannot. The retriever is told to search lexically only while it is in place.
 */
export class UnavailableEmbedder implements TextEmbedder {
  constructor(
    readonly modelId: string,
    readonly dimensions: number,
    readonly reason: string,
  ) {}

  async embedQuery(): Promise<Float32Array> {
    throw new Error(`the embedding model ${this.modelId} cannot be loaded (${this.reason})`);
  }

  async embedPassages(): Promise<Float32Array[]> {
    throw new Error(`the embedding model ${this.modelId} cannot be loaded (${this.reason})`);
  }
}
