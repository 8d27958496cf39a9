/**
 * The bot's one bounded in-memory map (least recently used goes first): what the buttons under an answer
 * need later, and the interaction/message ids already handled (an event delivered twice is answered once).
 * What must survive a restart (thread memory, settings, votes) lives in SQLite instead (src/bot/state.ts).
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

/** What the buttons under an answer need to know later (question, cited passages). */
export interface RememberedAnswer {
  question: string;
  passageIds: string[];
  lang: QuestionLang;
}
