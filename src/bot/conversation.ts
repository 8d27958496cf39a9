/**
 * Conversations in threads and DMs: the recent turns per channel, and how a follow-up becomes a
 * standalone question (an LLM condensing prompt when configured, otherwise carrying terms over).
 */
import { contentTerms } from '../text/segment.js';

export interface Turn {
  /** As the user wrote it. */
  question: string;
  /** What was actually asked of the librarian (with context carried over). */
  standalone: string;
  answer?: string;
}

export type Condense = (history: { question: string; answer?: string }[], question: string) => Promise<string>;

const ANAPHORA = /(它|它们|他们|这个|那个|这些|那些|这种|该|此|其|上述|呢[？?]?$|\b(it|its|they|them|their|this|that|these|those|he|she)\b)/i;
const MAX_CARRIED_TERMS = 6;
const HAN_END = /\p{Script=Han}$/u;
const HAN_START = /^\p{Script=Han}/u;

/**
 * A follow-up made standalone without an LLM: when it is short or points back ("那稀土呢？", "why did they do it?"),
 * the previous question's content terms that it lacks are appended, so retrieval stays on topic.
 */
export function carryOverTerms(previous: string | undefined, question: string): string {
  if (!previous) return question;
  const current = contentTerms(question);
  if (current.size >= 4 && !ANAPHORA.test(question)) return question;
  const carried = [...contentTerms(previous)].filter((t) => !current.has(t) && ![...current].some((c) => c.includes(t) || t.includes(c)));
  if (carried.length === 0) return question;
  // Han terms are joined without spaces so that words the segmenter split (脱/钩) still form their bigrams
  const joined = carried.slice(0, MAX_CARRIED_TERMS).reduce((out, t, i) => (i > 0 && HAN_END.test(out) && HAN_START.test(t) ? out + t : out ? `${out} ${t}` : t), '');
  return `${question} ${joined}`;
}

/** Recent turns per conversation (thread or DM channel id), bounded in both directions. */
export class ConversationStore {
  private readonly conversations = new Map<string, Turn[]>();

  constructor(
    private readonly maxTurns = 6,
    private readonly maxConversations = 2_000,
  ) {}

  has(channelId: string): boolean {
    return this.conversations.has(channelId);
  }

  history(channelId: string): Turn[] {
    return [...(this.conversations.get(channelId) ?? [])];
  }

  /** Starts tracking a conversation (e.g. a thread the bot opened) even before its first turn is stored. */
  open(channelId: string): void {
    if (!this.conversations.has(channelId)) this.touch(channelId, []);
  }

  add(channelId: string, turn: Turn): void {
    const turns = [...(this.conversations.get(channelId) ?? []), turn].slice(-this.maxTurns);
    this.touch(channelId, turns);
  }

  private touch(channelId: string, turns: Turn[]): void {
    this.conversations.delete(channelId);
    this.conversations.set(channelId, turns);
    if (this.conversations.size > this.maxConversations) this.conversations.delete(this.conversations.keys().next().value as string);
  }

  /** The standalone question for a follow-up in `channelId`. */
  async standalone(channelId: string, question: string, condense?: Condense): Promise<string> {
    const turns = this.history(channelId);
    if (turns.length === 0) return question;
    if (condense) {
      try {
        const condensed = (await condense(turns.map(({ question: q, answer }) => ({ question: q, answer })), question)).trim();
        if (condensed) return condensed;
      } catch {
        // an unreachable LLM must not stop the conversation: fall back to carrying terms over
      }
    }
    return carryOverTerms(turns[turns.length - 1].standalone, question);
  }
}
