/**
 * What the bot keeps across restarts, in one SQLite file (FEEDBACK_DB, default data/feedback.sqlite):
 * 👍/👎 votes, per-server settings (/config), and thread memory (the recent turns of the threads it
 * answers in, bounded per thread and in number, expiring when a thread goes quiet).
 */
import type Database from 'better-sqlite3';
import { DEFAULT_FEEDBACK_DB, FeedbackStore, openDatabase } from './feedback.js';

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

export class GuildSettingsStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS guild_settings (guild_id TEXT PRIMARY KEY, settings TEXT NOT NULL, updated_at TEXT NOT NULL)`);
  }

  get(guildId: string | null | undefined): GuildSettings {
    if (!guildId) return { ...EMPTY_SETTINGS };
    const row = this.db.prepare('SELECT settings FROM guild_settings WHERE guild_id = ?').get(guildId) as { settings: string } | undefined;
    if (!row) return { ...EMPTY_SETTINGS };
    try {
      return { ...EMPTY_SETTINGS, ...JSON.parse(row.settings) };
    } catch {
      return { ...EMPTY_SETTINGS };
    }
  }

  /** Applies `change` to the guild's settings and stores the result. */
  update(guildId: string, change: (settings: GuildSettings) => GuildSettings): GuildSettings {
    const next = change(this.get(guildId));
    this.db
      .prepare('INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at')
      .run(guildId, JSON.stringify(next), new Date().toISOString());
    return next;
  }
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

const TURN_TEXT_MAX = 1_000;

/** The threads the bot answers in and their recent turns, in SQLite so a restart keeps the context. */
export class ThreadMemory {
  private readonly limits: ThreadMemoryLimits;

  constructor(
    private readonly db: Database.Database,
    limits: Partial<ThreadMemoryLimits> = {},
  ) {
    this.limits = { maxTurns: 6, maxThreads: 5_000, ttlMs: 14 * 24 * 3600_000, now: Date.now, ...limits };
    db.exec(`
      CREATE TABLE IF NOT EXISTS threads (channel_id TEXT PRIMARY KEY, last_at INTEGER NOT NULL, refused INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS thread_turns (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        channel_id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT
      );
      CREATE INDEX IF NOT EXISTS thread_turns_channel ON thread_turns (channel_id, seq);
    `);
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

  /** Whether the bot answers in this thread (it opened it, or answered there) and has not forgotten it. */
  has(channelId: string): boolean {
    return this.fresh(channelId) !== undefined;
  }

  /** Starts remembering a thread (e.g. one the bot just opened), before its first turn is stored. */
  open(channelId: string): void {
    this.db
      .prepare('INSERT INTO threads (channel_id, last_at) VALUES (?, ?) ON CONFLICT (channel_id) DO UPDATE SET last_at = excluded.last_at')
      .run(channelId, this.limits.now());
    this.prune();
  }

  /** Recent turns, oldest first. */
  history(channelId: string): Turn[] {
    if (!this.has(channelId)) return [];
    const rows = this.db.prepare('SELECT question, answer FROM thread_turns WHERE channel_id = ? ORDER BY seq').all(channelId) as { question: string; answer: string | null }[];
    return rows.map((r) => (r.answer === null ? { question: r.question } : { question: r.question, answer: r.answer }));
  }

  add(channelId: string, turn: Turn): void {
    const save = this.db.transaction(() => {
      this.open(channelId);
      this.db.prepare('INSERT INTO thread_turns (channel_id, question, answer) VALUES (?, ?, ?)').run(channelId, turn.question.slice(0, TURN_TEXT_MAX * 2), turn.answer?.slice(0, TURN_TEXT_MAX) ?? null);
      this.db
        .prepare('DELETE FROM thread_turns WHERE channel_id = ? AND seq NOT IN (SELECT seq FROM thread_turns WHERE channel_id = ? ORDER BY seq DESC LIMIT ?)')
        .run(channelId, channelId, this.limits.maxTurns);
    });
    save();
  }

  /** Whether the thread already got its one "not in the documents" reply. */
  refused(channelId: string): boolean {
    return (this.fresh(channelId)?.refused ?? 0) > 0;
  }

  markRefused(channelId: string): void {
    this.open(channelId);
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

/** The bot's state database and the stores on it. */
export class BotState {
  readonly db: Database.Database;
  readonly feedback: FeedbackStore;
  readonly settings: GuildSettingsStore;
  readonly threads: ThreadMemory;

  constructor(path: string = process.env.FEEDBACK_DB || DEFAULT_FEEDBACK_DB, limits: Partial<ThreadMemoryLimits> = {}) {
    this.db = openDatabase(path);
    this.feedback = new FeedbackStore(this.db);
    this.settings = new GuildSettingsStore(this.db);
    this.threads = new ThreadMemory(this.db, limits);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
