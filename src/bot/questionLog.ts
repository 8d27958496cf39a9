/**
 * The question log: every question the bot answered or refused (normalised question, server, supported or
 * not, cited passages, time), bounded in rows and expiring, beside the 👍/👎 votes. /report reads it to show
 * what the corpus lacks. Two stores: SQLite, in the bot's state database (below), and PostgreSQL with
 * DATABASE_URL (src/bot/pgState.ts), where one server's log holds what every worker answered.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { Answer } from '../core/answer.js';
import { questionKey } from '../retrieval/feedbackBoost.js';
import type { AskOptions, Librarian, PassageVote, VoteSource } from '../service/librarian-api.js';
import type { FeedbackStore } from './feedback.js';

export interface LoggedQuestion {
  /** questionKey(question): how votes and repeats of the same question are matched. */
  key: string;
  /** As asked (clipped). */
  question: string;
  /** The server it was asked in; null in a DM. */
  guildId: string | null;
  supported: boolean;
  /** The passages the answer cited (or, refused, listed as related). */
  passageIds: string[];
  /** Milliseconds since the epoch. */
  at: number;
}

export interface QuestionLog {
  record(entry: Omit<LoggedQuestion, 'key' | 'at'>): Promise<void>;
  /** The server's questions since `sinceMs` (default: all kept), newest first, at most `limit`. */
  recent(guildId: string | null, options?: { sinceMs?: number; limit?: number }): Promise<LoggedQuestion[]>;
}

export interface QuestionLogLimits {
  /** Rows kept (the oldest go first). */
  maxRows: number;
  /** Rows older than this are dropped. */
  ttlMs: number;
  now: () => number;
}

const QUESTION_TEXT_MAX = 500;

/** The question as logged (clipped) and its key. */
export function loggedQuestion(asked: string): { question: string; key: string } {
  const question = [...asked].slice(0, QUESTION_TEXT_MAX).join('');
  return { question, key: questionKey(question) };
}

/** The limits given, the defaults for the rest (an explicit `undefined` is a default too). */
export function questionLogLimits(given: Partial<QuestionLogLimits>): QuestionLogLimits {
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<QuestionLogLimits>;
  return { maxRows: 20_000, ttlMs: 90 * 24 * 3600_000, now: Date.now, ...set };
}

export class SqliteQuestionLog implements QuestionLog {
  private readonly limits: QuestionLogLimits;
  private inserts = 0;

  constructor(
    private readonly db: Database.Database,
    limits: Partial<QuestionLogLimits> = {},
  ) {
    this.limits = questionLogLimits(limits);
    db.exec(`
      CREATE TABLE IF NOT EXISTS question_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        question_key TEXT NOT NULL,
        question TEXT NOT NULL,
        guild_id TEXT,
        supported INTEGER NOT NULL,
        passage_ids TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS question_log_guild ON question_log (guild_id, at);
    `);
  }

  record(entry: Omit<LoggedQuestion, 'key' | 'at'>): Promise<void> {
    const { question, key } = loggedQuestion(entry.question);
    this.db
      .prepare('INSERT INTO question_log (question_key, question, guild_id, supported, passage_ids, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key, question, entry.guildId, entry.supported ? 1 : 0, JSON.stringify(entry.passageIds), this.limits.now());
    // pruning every insert would cost a scan each time; every 100th keeps the table within a few % of its bound
    if (this.inserts++ % 100 === 0) this.prune();
    return Promise.resolve();
  }

  recent(guildId: string | null, options: { sinceMs?: number; limit?: number } = {}): Promise<LoggedQuestion[]> {
    const since = Math.max(options.sinceMs ?? 0, this.limits.now() - this.limits.ttlMs);
    const limit = options.limit ?? 1_000;
    const rows = (
      guildId === null
        ? this.db.prepare('SELECT * FROM question_log WHERE guild_id IS NULL AND at >= ? ORDER BY seq DESC LIMIT ?').all(since, limit)
        : this.db.prepare('SELECT * FROM question_log WHERE guild_id = ? AND at >= ? ORDER BY seq DESC LIMIT ?').all(guildId, since, limit)
    ) as { question_key: string; question: string; guild_id: string | null; supported: number; passage_ids: string; at: number }[];
    return Promise.resolve(
      rows.map((r) => ({ key: r.question_key, question: r.question, guildId: r.guild_id, supported: r.supported === 1, passageIds: parseIds(r.passage_ids), at: r.at })),
    );
  }

  private prune(): void {
    this.db.prepare('DELETE FROM question_log WHERE at < ?').run(this.limits.now() - this.limits.ttlMs);
    this.db.prepare('DELETE FROM question_log WHERE seq <= (SELECT seq FROM question_log ORDER BY seq DESC LIMIT 1 OFFSET ?)').run(this.limits.maxRows);
  }
}

function parseIds(json: string): string[] {
  try {
    const ids: unknown = JSON.parse(json);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** The bot's stored votes as the retrieval prior reads them (one voter = one salted user hash). */
export function feedbackVotes(feedback: Pick<FeedbackStore, 'votes'>): VoteSource {
  return {
    async votes(): Promise<PassageVote[]> {
      const stored = await feedback.votes();
      return stored.map((v) => ({ question: v.question, passageIds: v.passageIds, value: v.value, voter: v.userHash, createdAt: v.createdAt }));
    },
  };
}

/** The server an interaction or message came from, for the questions asked while handling it (set by client.ts). */
export const guildScope = new AsyncLocalStorage<string | null>();

/** What the answer listed: its citations when supported, else the related passages (as the vote buttons do). */
function listedIds(answer: Answer): string[] {
  return (answer.supported && answer.citations.length ? answer.citations : answer.related).map((c) => c.id);
}

/**
 * The librarian with every answered or refused question written to the log, whichever flow asked it (/ask, a
 * mention, a thread, a forum post, a context menu). A log that fails is reported, never fails the answer.
 */
export function loggingLibrarian(librarian: Librarian, log: QuestionLog, onError: (error: unknown) => void): Librarian {
  const ask = async (question: string, options?: AskOptions): Promise<Answer> => {
    const answer = await librarian.ask(question, options);
    try {
      await log.record({ question, guildId: guildScope.getStore() ?? null, supported: answer.supported, passageIds: listedIds(answer) });
    } catch (error) {
      onError(error);
    }
    return answer;
  };
  return new Proxy(librarian, {
    get(target, prop) {
      if (prop === 'ask') return ask;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
