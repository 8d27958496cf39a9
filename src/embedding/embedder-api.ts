/** What the index and retrieval need from an embedding model (implemented in src/embedding/embedder.ts). */
export interface TextEmbedder {
  /** Model id as recorded in the index manifest, e.g. `Xenova/multilingual-e5-small` or `corpus:<fingerprint>`. */
  readonly modelId: string;
  readonly dimensions: number;
  /** Query vector, L2-normalised (query prefix applied by the preset). */
  embedQuery(text: string): Promise<Float32Array>;
  /** Passage vectors, L2-normalised, batched; `onProgress(done, total)` after each batch. */
  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
}
