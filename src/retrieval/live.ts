import type { TextEmbedder } from '../embedding/embedder-api.js';
import type { LiveIndex } from '../index/live.js';
import type { LoadedIndex } from '../index/store.js';
import { Retriever, type RetrieverOptions, type SearchMode, type SearchOutcome } from './hybrid.js';

/**
 * A Retriever that follows a LiveIndex: each search takes the index in service at its start and keeps it
 * to the end. The embedder comes from a factory per generation, because a rebuilt index may carry a new
 * corpus model (the mismatch check then compares the right pair).
 */
export class LiveRetriever {
  private cached?: { generation: string; retriever: Promise<Retriever> };

  constructor(
    private readonly live: LiveIndex,
    private readonly embedderFor: (index: LoadedIndex) => Promise<TextEmbedder> | TextEmbedder,
    private readonly opts: RetrieverOptions = {},
  ) {}

  /** The retriever of the generation in service (built once per generation). */
  retriever(): Promise<Retriever> {
    const index = this.live.current();
    if (this.cached?.generation !== index.generation) {
      const retriever = Promise.resolve(this.embedderFor(index)).then((embedder) => new Retriever(index, embedder, this.opts));
      this.cached = { generation: index.generation, retriever };
      // a failed build is retried on the next search, not cached
      retriever.catch(() => {
        if (this.cached?.retriever === retriever) this.cached = undefined;
      });
    }
    return this.cached.retriever;
  }

  async search(query: string, k = 8, mode: SearchMode = 'hybrid'): Promise<SearchOutcome> {
    return (await this.retriever()).search(query, k, mode);
  }
}
