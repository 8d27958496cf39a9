/**
 * The bot's one bounded in-memory map (least recently used goes first): what the buttons under an answer
 * need later, and the interaction/message ids already handled (an event delivered twice is answered once).
 * What must survive a restart (thread memory, settings, votes) lives in SQLite or PostgreSQL instead
 * (src/bot/state.ts); with DATABASE_URL the handled ids are claimed there too, so of two workers that both
 * receive an event only one answers it.
 */
import type { QuestionLang } from '../core/answer.js';

export class LruMap<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** True the first time an id is offered to `seen` (which then remembers it), false after. */
export function firstTime(seen: LruMap<true>, id: string): boolean {
  if (seen.has(id)) return false;
  seen.set(id, true);
  return true;
}

/** The ids of events already handled: `claim` is true for exactly one caller per id. */
export interface SeenIds {
  claim(id: string): Promise<boolean>;
}

export class MemorySeenIds implements SeenIds {
  private readonly seen: LruMap<true>;

  constructor(capacity = 5_000) {
    this.seen = new LruMap(capacity);
  }

  async claim(id: string): Promise<boolean> {
    return firstTime(this.seen, id);
  }
}

/** What the buttons under an answer need to know later (question, cited passages). */
export interface RememberedAnswer {
  question: string;
  passageIds: string[];
  lang: QuestionLang;
}
