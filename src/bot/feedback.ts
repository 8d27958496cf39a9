/**
 * 👍 / 👎 votes: one row per (answer, user); a second vote by the same user replaces the first. The store is
 * an async interface with two homes: a SQLite file (embedded, below) and PostgreSQL (src/bot/pgState.ts).
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const DEFAULT_FEEDBACK_DB = 'data/feedback.sqlite';

/** Opens (creating its folder) a SQLite file in WAL mode; ':memory:' for tests. */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

export interface Vote {
  /** Key of the answered interaction or message the buttons belong to. */
  interaction: string;
  question: string;
  passageIds: string[];
  userId: string;
  value: 1 | -1;
}

export interface StoredVote {
  interaction: string;
  question: string;
  passageIds: string[];
  userHash: string;
  value: number;
  createdAt: string;
}

export interface FeedbackStore {
  /** sha256(salt + userId): votes are countable per user without storing who voted. */
  hashUser(userId: string): string;
  /** Resolves once the vote is stored — or, when the database is away, safely queued to be written when it is back. */
  record(vote: Vote): Promise<void>;
  votes(interaction?: string): Promise<StoredVote[]>;
}

export const hashUser = (salt: string, userId: string): string => createHash('sha256').update(salt + userId).digest('hex');

export const newSalt = (): string => randomBytes(16).toString('hex');

/** The feedback tables of a bot state file (also read by `lodestone migrate --to postgres`). */
export const SQLITE_FEEDBACK_SCHEMA = `
  CREATE TABLE IF NOT EXISTS feedback (
    interaction TEXT NOT NULL,
    question TEXT NOT NULL,
    passage_ids TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at TEXT NOT NULL,
    PRIMARY KEY (interaction, user_hash)
  );
  CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export class SqliteFeedbackStore implements FeedbackStore {
  private readonly db: Database.Database;
  private readonly salt: string;

  /**
   * `path` ':memory:' for tests, or an open database shared with the bot's other state (src/bot/state.ts);
   * the salt comes from `FEEDBACK_SALT` or is generated once per database.
   */
  constructor(path: string | Database.Database = process.env.FEEDBACK_DB || DEFAULT_FEEDBACK_DB, salt: string | undefined = process.env.FEEDBACK_SALT) {
    this.db = typeof path === 'string' ? openDatabase(path) : path;
    this.db.exec(SQLITE_FEEDBACK_SCHEMA);
    this.salt = salt || this.storedSalt();
  }

  private storedSalt(): string {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get('salt') as { value: string } | undefined;
    if (row) return row.value;
    const salt = newSalt();
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('salt', salt);
    return salt;
  }

  hashUser(userId: string): string {
    return hashUser(this.salt, userId);
  }

  async record(vote: Vote): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO feedback (interaction, question, passage_ids, user_hash, value, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (interaction, user_hash) DO UPDATE SET value = excluded.value, question = excluded.question,
           passage_ids = excluded.passage_ids, created_at = excluded.created_at`,
      )
      .run(vote.interaction, vote.question, JSON.stringify(vote.passageIds), this.hashUser(vote.userId), vote.value, new Date().toISOString());
  }

  async votes(interaction?: string): Promise<StoredVote[]> {
    const rows = (interaction
      ? this.db.prepare('SELECT * FROM feedback WHERE interaction = ? ORDER BY created_at').all(interaction)
      : this.db.prepare('SELECT * FROM feedback ORDER BY created_at').all()) as any[];
    return rows.map((r) => ({
      interaction: r.interaction,
      question: r.question,
      passageIds: JSON.parse(r.passage_ids),
      userHash: r.user_hash,
      value: r.value,
      createdAt: r.created_at,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
