import type { IndexSnapshot, IndexStore } from './api.js';

export interface LiveIndexOptions {
  /** Called after a new generation has been loaded and swapped in. */
  onSwap?: (index: IndexSnapshot, previous: IndexSnapshot) => void;
  /** A newer generation that fails to load is reported here; the current one stays in service. */
  onError?: (error: Error) => void;
  /** Debounce for change notifications, ms. */
  debounceMs?: number;
  /** Polling fallback for stores without reliable notifications (fs.watch), ms (0 = off). */
  pollMs?: number;
}

/**
 * The index a running service queries, swapped for a newer generation when ingest commits one.
 * `current()` hands out the snapshot itself: a query that took it keeps using it to the end, so a swap
 * never fails or mixes generations within a query in flight.
 */
export class LiveIndex {
  private index: IndexSnapshot;
  private stopWatching?: () => void;
  private poller?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private checking: Promise<boolean> | undefined;

  constructor(
    readonly store: IndexStore,
    initial: IndexSnapshot,
    private readonly options: LiveIndexOptions = {},
  ) {
    this.index = initial;
  }

  /** A live index over the store's current generation. */
  static async open(store: IndexStore, options: LiveIndexOptions = {}): Promise<LiveIndex> {
    return new LiveIndex(store, await store.load(), options);
  }

  current(): IndexSnapshot {
    return this.index;
  }

  /** Loads the current generation when it is not the one in service. True when swapped. One check at a time. */
  reloadIfChanged(): Promise<boolean> {
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(): Promise<boolean> {
    const generation = await this.store.current();
    if (!generation || generation === this.index.generation) return false;
    let next: IndexSnapshot;
    try {
      next = await this.store.load();
    } catch (error) {
      this.options.onError?.(error as Error);
      return false;
    }
    if (next.generation === this.index.generation) return false;
    const previous = this.index;
    this.index = next;
    this.options.onSwap?.(next, previous);
    return true;
  }

  /** Follows the store's change notifications (and polls as a fallback) and swaps in new generations. */
  watch(): void {
    if (this.stopWatching || this.poller) return;
    const reload = () => void this.reloadIfChanged().catch((error: Error) => this.options.onError?.(error));
    const schedule = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(reload, this.options.debounceMs ?? 100);
      this.debounce.unref?.();
    };
    this.stopWatching = this.store.watch?.(schedule) ?? (() => undefined);
    const pollMs = this.options.pollMs ?? 2000;
    if (pollMs > 0) {
      this.poller = setInterval(reload, pollMs);
      this.poller.unref?.();
    }
  }

  close(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    clearInterval(this.poller);
    this.poller = undefined;
    clearTimeout(this.debounce);
  }
}
