import fs from 'node:fs';
import { currentGeneration, loadIndex, type LoadedIndex } from './store.js';

export interface LiveIndexOptions {
  /** Called after a new generation has been loaded and swapped in. */
  onSwap?: (index: LoadedIndex, previous: LoadedIndex) => void;
  /** A newer generation that fails to load is reported here; the current one stays in service. */
  onError?: (error: Error) => void;
  /** Debounce for file-system events, ms. */
  debounceMs?: number;
  /** Polling fallback for file systems without reliable fs.watch, ms (0 = off). */
  pollMs?: number;
}

/**
 * The index a running service queries, swapped for a newer generation when ingest commits one.
 * `current()` hands out the LoadedIndex object itself: a query that took it keeps using it to the end,
 * so a swap never fails or mixes generations within a query in flight.
 */
export class LiveIndex {
  private index: LoadedIndex;
  private watcher?: fs.FSWatcher;
  private poller?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;

  constructor(
    readonly indexDir: string,
    private readonly options: LiveIndexOptions = {},
    initial?: LoadedIndex,
  ) {
    this.index = initial ?? loadIndex(indexDir);
  }

  current(): LoadedIndex {
    return this.index;
  }

  /** Loads the generation CURRENT points at when it is not the one in service. True when swapped. */
  reloadIfChanged(): boolean {
    const generation = currentGeneration(this.indexDir);
    if (!generation || generation === this.index.generation) return false;
    let next: LoadedIndex;
    try {
      next = loadIndex(this.indexDir);
    } catch (error) {
      this.options.onError?.(error as Error);
      return false;
    }
    const previous = this.index;
    this.index = next;
    this.options.onSwap?.(next, previous);
    return true;
  }

  /** Watches the index directory (and polls as a fallback) and swaps in new generations. */
  watch(): void {
    if (this.watcher || this.poller) return;
    const schedule = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.reloadIfChanged(), this.options.debounceMs ?? 100);
      this.debounce.unref?.();
    };
    try {
      this.watcher = fs.watch(this.indexDir, (_event, name) => {
        if (!name || name === 'CURRENT') schedule();
      });
      this.watcher.on('error', () => this.watcher?.close());
      this.watcher.unref?.();
    } catch {
      // no fs.watch here: polling below still works
    }
    const pollMs = this.options.pollMs ?? 2000;
    if (pollMs > 0) {
      this.poller = setInterval(() => this.reloadIfChanged(), pollMs);
      this.poller.unref?.();
    }
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    clearInterval(this.poller);
    this.poller = undefined;
    clearTimeout(this.debounce);
  }
}
