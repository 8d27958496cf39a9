/**
 * What the bot keeps beyond one reply: 👍/👎 votes, per-server settings (/config), thread memory (the recent
 * turns of the threads it answers in, bounded per thread and in number, expiring when a thread goes quiet),
 * per-user rate limits and the ids of events already handled.
 *
 * `openBotState` is the one place that picks where: DATABASE_URL set → PostgreSQL, shared by every worker
 * (src/bot/pgState.ts); unset → one SQLite file (FEEDBACK_DB, default data/feedback.sqlite) for votes,
 * settings and thread memory, and memory for rate limits and handled ids, per process.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { DEFAULT_FEEDBACK_DB, type FeedbackStore, openDatabase, SqliteFeedbackStore } from './feedback.js';
import { MemorySeenIds, type SeenIds } from './lru.js';
import { SqliteQuestionLog, type QuestionLog } from './questionLog.js';
import { MemoryRateLimiter, type RateLimiter } from './rateLimit.js';

export type ScriptPreference = 'follow' | 'zh-Hans' | 'zh-Hant';

/** One server's settings; `undefined` fields fall back to the environment's defaults. */
export interface GuildSettings {
  /** Channels where mentions (and commands) are answered; empty = the environment default (everywhere, or ALLOWED_CHANNEL_IDS). */
  channels: string[];
  /** Forum channels whose new posts are answered in their thread. */
  forums: string[];
  /** /ask and "Ask Lodestone about this" answer publicly unless the asker says otherwise. */
  publicAnswers?: boolean;
  /** Questions per user per minute. */
  ratePerMinute?: number;
  /** Script of the answer's lead and the bot's own text for Chinese questions: the asker's, or always 简 / 繁. */
  script: ScriptPreference;
}

export const EMPTY_SETTINGS: GuildSettings = { channels: [], forums: [], script: 'follow' };

/** Stored settings JSON → settings (unreadable → the defaults). */
export function parseSettings(json: string | object | null | undefined): GuildSettings {
  if (json === null || json === undefined) return { ...EMPTY_SETTINGS };
  try {
    return { ...EMPTY_SETTINGS, ...(typeof json === 'string' ? JSON.parse(json) : json) };
  } catch {
    return { ...EMPTY_SETTINGS };
  }
}

export interface GuildSettingsStore {
  get(guildId: string | null | undefined): Promise<GuildSettings>;
  /** Applies `change` to the guild's settings and stores the result. */
  update(guildId: string, change: (settings: GuildSettings) => GuildSettings): Promise<GuildSettings>;
}

export interface Turn {
  question: string;
  answer?: string;
}

export interface ThreadMemoryLimits {
  /** Turns kept per thread (the newest). */
  maxTurns: number;
  /** Threads remembered at once (the least recently active are forgotten first). */
  maxThreads: number;
  /** A thread quiet for this long is forgotten. */
  ttlMs: number;
  now: () => number;
}

export const threadMemoryLimits = (limits: Partial<ThreadMemoryLimits> = {}): ThreadMemoryLimits => ({ maxTurns: 6, maxThreads: 5_000, ttlMs: 14 * 24 * 3600_000, now: Date.now, ...limits });

/** Stored text of a turn is bounded: a question up to 2 000 characters, an answer's text up to 1 000. */
export const TURN_TEXT_MAX = 1_000;

/** The threads the bot answers in and their recent turns. */
export interface ThreadMemory {
  /** Whether the bot answers in this thread (it opened it, or answered there) and has not forgotten it. */
  has(channelId: string): Promise<boolean>;
  /** Starts remembering a thread (e.g. one the bot just opened), before its first turn is stored. */
  open(channelId: string): Promise<void>;
  /** Recent turns, oldest first. */
  history(channelId: string): Promise<Turn[]>;
  add(channelId: string, turn: Turn): Promise<void>;
  /** Whether the thread already got its one "not in the documents" reply. */
  refused(channelId: string): Promise<boolean>;
  markRefused(channelId: string): Promise<void>;
}

/** The SQLite tables of settings and thread memory (also read by `lodestone migrate --to postgres`). */
export const SQLITE_STATE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS guild_settings (guild_id TEXT PRIMARY KEY, settings TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS threads (channel_id TEXT PRIMARY KEY, last_at INTEGER NOT NULL, refused INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS thread_turns (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT
  );
  CREATE INDEX IF NOT EXISTS thread_turns_channel ON thread_turns (channel_id, seq);
`;

export class SqliteGuildSettingsStore implements GuildSettingsStore {
  constructor(private readonly db: Database.Database) {
    db.exec(SQLITE_STATE_SCHEMA);
  }

  async get(guildId: string | null | undefined): Promise<GuildSettings> {
    return this.read(guildId);
  }

  private read(guildId: string | null | undefined): GuildSettings {
    if (!guildId) return { ...EMPTY_SETTINGS };
    const row = this.db.prepare('SELECT settings FROM guild_settings WHERE guild_id = ?').get(guildId) as { settings: string } | undefined;
    return parseSettings(row?.settings);
  }

  async update(guildId: string, change: (settings: GuildSettings) => GuildSettings): Promise<GuildSettings> {
    const next = change(this.read(guildId));
    this.db
      .prepare('INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at')
      .run(guildId, JSON.stringify(next), new Date().toISOString());
    return next;
  }
}

/** Thread memory in SQLite, so a restart keeps the context. */
export class SqliteThreadMemory implements ThreadMemory {
  private readonly limits: ThreadMemoryLimits;

  constructor(
    private readonly db: Database.Database,
    limits: Partial<ThreadMemoryLimits> = {},
  ) {
    this.limits = threadMemoryLimits(limits);
    db.exec(SQLITE_STATE_SCHEMA);
  }

  private fresh(channelId: string): { refused: number } | undefined {
    const row = this.db.prepare('SELECT last_at, refused FROM threads WHERE channel_id = ?').get(channelId) as { last_at: number; refused: number } | undefined;
    if (!row) return undefined;
    if (this.limits.now() - row.last_at > this.limits.ttlMs) {
      this.forget(channelId);
      return undefined;
    }
    return row;
  }

  async has(channelId: string): Promise<boolean> {
    return this.fresh(channelId) !== undefined;
  }

  async open(channelId: string): Promise<void> {
    this.touch(channelId);
  }

  private touch(channelId: string): void {
    this.db
      .prepare('INSERT INTO threads (channel_id, last_at) VALUES (?, ?) ON CONFLICT (channel_id) DO UPDATE SET last_at = excluded.last_at')
      .run(channelId, this.limits.now());
    this.prune();
  }

  async history(channelId: string): Promise<Turn[]> {
    if (!this.fresh(channelId)) return [];
    const rows = this.db.prepare('SELECT question, answer FROM thread_turns WHERE channel_id = ? ORDER BY seq').all(channelId) as { question: string; answer: string | null }[];
    return rows.map((r) => (r.answer === null ? { question: r.question } : { question: r.question, answer: r.answer }));
  }

  async add(channelId: string, turn: Turn): Promise<void> {
    const save = this.db.transaction(() => {
      this.touch(channelId);
      this.db.prepare('INSERT INTO thread_turns (channel_id, question, answer) VALUES (?, ?, ?)').run(channelId, turn.question.slice(0, TURN_TEXT_MAX * 2), turn.answer?.slice(0, TURN_TEXT_MAX) ?? null);
      this.db
        .prepare('DELETE FROM thread_turns WHERE channel_id = ? AND seq NOT IN (SELECT seq FROM thread_turns WHERE channel_id = ? ORDER BY seq DESC LIMIT ?)')
        .run(channelId, channelId, this.limits.maxTurns);
    });
    save();
  }

  async refused(channelId: string): Promise<boolean> {
    return (this.fresh(channelId)?.refused ?? 0) > 0;
  }

  async markRefused(channelId: string): Promise<void> {
    this.touch(channelId);
    this.db.prepare('UPDATE threads SET refused = 1 WHERE channel_id = ?').run(channelId);
  }

  get size(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM threads').get() as { n: number }).n;
  }

  private forget(channelId: string): void {
    this.db.prepare('DELETE FROM thread_turns WHERE channel_id = ?').run(channelId);
    this.db.prepare('DELETE FROM threads WHERE channel_id = ?').run(channelId);
  }

  /** Drops expired threads, then the least recently active beyond maxThreads. */
  private prune(): void {
    const cutoff = this.limits.now() - this.limits.ttlMs;
    const stale = this.db.prepare('SELECT channel_id FROM threads WHERE last_at < ? OR channel_id NOT IN (SELECT channel_id FROM threads ORDER BY last_at DESC LIMIT ?)').all(cutoff, this.limits.maxThreads) as { channel_id: string }[];
    for (const { channel_id } of stale) this.forget(channel_id);
  }
}

/** The bot's stores, wherever they live. */
export interface BotState {
  /** Where: 'sqlite' (with memory for limits and handled ids) or 'postgres'. */
  readonly backend: 'sqlite' | 'postgres';
  readonly feedback: FeedbackStore;
  readonly settings: GuildSettingsStore;
  readonly threads: ThreadMemory;
  readonly rateLimiter: RateLimiter;
  readonly seen: SeenIds;
  /** The questions asked and whether they were answered (/report). */
  readonly questions: QuestionLog;
  /** Writes what is still queued (as far as the database allows) and closes. */
  close(): Promise<void>;
}

/** The embedded state: one SQLite file for votes, settings and thread memory; memory for limits and handled ids. */
export class SqliteBotState implements BotState {
  readonly backend = 'sqlite';
  readonly db: Database.Database;
  readonly feedback: SqliteFeedbackStore;
  readonly settings: SqliteGuildSettingsStore;
  readonly threads: SqliteThreadMemory;
  readonly rateLimiter: MemoryRateLimiter;
  readonly seen: MemorySeenIds;
  readonly questions: SqliteQuestionLog;

  constructor(path: string = process.env.FEEDBACK_DB || DEFAULT_FEEDBACK_DB, limits: Partial<ThreadMemoryLimits> = {}, ratePerMinute = 6) {
    this.db = openDatabase(path);
    this.feedback = new SqliteFeedbackStore(this.db);
    this.settings = new SqliteGuildSettingsStore(this.db);
    this.threads = new SqliteThreadMemory(this.db, limits);
    this.rateLimiter = new MemoryRateLimiter(ratePerMinute);
    this.seen = new MemorySeenIds(5_000);
    this.questions = new SqliteQuestionLog(this.db);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export interface BotStateOptions {
  /** DATABASE_URL: PostgreSQL when set. */
  databaseUrl?: string;
  /** FEEDBACK_DB: the SQLite file when there is no DATABASE_URL. */
  feedbackDb?: string;
  threadMemory?: Partial<ThreadMemoryLimits>;
  ratePerMinute?: number;
  logger?: Logger;
}

/** The one place that decides where the bot's state lives. A DATABASE_URL that cannot be used is a ConfigError. */
export async function openBotState(opts: BotStateOptions = {}): Promise<BotState> {
  if (opts.databaseUrl) {
    const { openPgBotState } = await import('./pgState.js');
    return openPgBotState(opts.databaseUrl, opts);
  }
  return new SqliteBotState(opts.feedbackDb, opts.threadMemory, opts.ratePerMinute);
}
