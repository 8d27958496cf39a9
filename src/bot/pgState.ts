/**
 * The bot's state in PostgreSQL (DATABASE_URL), shared by every worker: votes, per-server settings, thread
 * memory, the question log (/report), per-user rate limits and the ids of events already handled — so a thread's follow-up keeps its
 * context on another worker or after a restart, a user's limit holds whichever worker answers, and an
 * event delivered to two workers is answered once.
 *
 * When PostgreSQL goes away (a restart, a failover) the bot keeps answering: ResilientPool (src/db) notices
 * and probes with backoff; meanwhile votes are queued in memory (bounded) and written when it is back,
 * rate limits and handled ids fall back to this process's memory, settings to the last ones read, and
 * thread memory to none (a follow-up is then answered without its context; nothing else changes).
 */
import type { Logger } from 'pino';
import { DatabaseUnavailable, migrate, openPool, ResilientPool, type Migration } from '../db/index.js';
import { type FeedbackStore, hashUser, newSalt, type StoredVote, type Vote } from './feedback.js';
import { LruMap, MemorySeenIds, type SeenIds } from './lru.js';
import { type LoggedQuestion, loggedQuestion, type QuestionLog, type QuestionLogLimits, questionLogLimits } from './questionLog.js';
import { MemoryRateLimiter, RATE_WINDOW_MS, type RateDecision, type RateLimiter, retryAfter } from './rateLimit.js';
import {
  type BotState,
  type BotStateOptions,
  EMPTY_SETTINGS,
  type GuildSettings,
  type GuildSettingsStore,
  parseSettings,
  type ThreadMemory,
  type ThreadMemoryLimits,
  threadMemoryLimits,
  type Turn,
  TURN_TEXT_MAX,
} from './state.js';

export const botMigrations: Migration[] = [
  {
    id: 'bot/001-state',
    sql: `
      CREATE TABLE bot_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE bot_feedback (
        interaction TEXT NOT NULL,
        question TEXT NOT NULL,
        passage_ids JSONB NOT NULL,
        user_hash TEXT NOT NULL,
        value SMALLINT NOT NULL CHECK (value IN (-1, 1)),
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (interaction, user_hash)
      );
      CREATE INDEX bot_feedback_created ON bot_feedback (created_at);
      CREATE TABLE bot_guild_settings (guild_id TEXT PRIMARY KEY, settings JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
      CREATE TABLE bot_threads (channel_id TEXT PRIMARY KEY, last_at BIGINT NOT NULL, refused BOOLEAN NOT NULL DEFAULT false);
      CREATE INDEX bot_threads_last_at ON bot_threads (last_at DESC);
      CREATE TABLE bot_thread_turns (
        seq BIGSERIAL PRIMARY KEY,
        channel_id TEXT NOT NULL REFERENCES bot_threads (channel_id) ON DELETE CASCADE,
        question TEXT NOT NULL,
        answer TEXT
      );
      CREATE INDEX bot_thread_turns_channel ON bot_thread_turns (channel_id, seq);
      CREATE TABLE bot_rate_limits (user_id TEXT PRIMARY KEY, hits BIGINT[] NOT NULL, allowed BOOLEAN NOT NULL, last_at BIGINT NOT NULL);
      CREATE INDEX bot_rate_limits_last_at ON bot_rate_limits (last_at);
      CREATE TABLE bot_seen_events (id TEXT PRIMARY KEY, seen_at TIMESTAMPTZ NOT NULL DEFAULT now());
      CREATE INDEX bot_seen_events_seen_at ON bot_seen_events (seen_at);
    `,
  },
  {
    id: 'bot/002-question-log',
    sql: `
      CREATE TABLE bot_question_log (
        seq BIGSERIAL PRIMARY KEY,
        question_key TEXT NOT NULL,
        question TEXT NOT NULL,
        guild_id TEXT,
        supported BOOLEAN NOT NULL,
        passage_ids JSONB NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX bot_question_log_guild ON bot_question_log (guild_id, at);
    `,
  },
];

/** How often a worker deletes rate-limit rows and handled ids nobody needs any more. */
const HOUSEKEEPING_MS = 10 * 60_000;
/** Handled ids are kept this long: Discord redelivers within minutes, interaction tokens last 15. */
const SEEN_KEEP = '1 day';
/** Votes waiting for the database at most; beyond, the oldest is dropped (and logged). */
export const FEEDBACK_QUEUE_MAX = 10_000;

const unavailable = (error: unknown): error is DatabaseUnavailable => error instanceof DatabaseUnavailable;

interface VoteRow {
  interaction: string;
  question: string;
  passage_ids: string[];
  user_hash: string;
  value: 1 | -1;
  created_at: string;
}

/** A later vote wins even when an earlier one, queued during an outage, is written after it. */
const UPSERT_VOTES = `
  INSERT INTO bot_feedback (interaction, question, passage_ids, user_hash, value, created_at)
  SELECT interaction, question, passage_ids, user_hash, value, created_at
  FROM jsonb_to_recordset($1::jsonb) AS x(interaction TEXT, question TEXT, passage_ids JSONB, user_hash TEXT, value SMALLINT, created_at TIMESTAMPTZ)
  ON CONFLICT (interaction, user_hash) DO UPDATE SET value = excluded.value, question = excluded.question,
    passage_ids = excluded.passage_ids, created_at = excluded.created_at
  WHERE bot_feedback.created_at < excluded.created_at`;

/** All votes are read for every question (the retrieval prior): shared for this long, and what an outage falls back to. */
const ALL_VOTES_FRESH_MS = 5_000;

export class PgFeedbackStore implements FeedbackStore {
  private readonly queue: VoteRow[] = [];
  private flushing: Promise<void> | undefined;
  private allVotes: { at: number; votes: Promise<StoredVote[]> } | undefined;

  private constructor(
    private readonly db: ResilientPool,
    private readonly salt: string,
    private readonly logger?: Logger,
  ) {
    db.onReconnect(() => void this.flush());
  }

  /** The salt is FEEDBACK_SALT or one stored in the database, the same for every worker. */
  static async open(db: ResilientPool, salt: string | undefined = process.env.FEEDBACK_SALT, logger?: Logger): Promise<PgFeedbackStore> {
    const stored = salt || (await storedSalt(db));
    return new PgFeedbackStore(db, stored, logger);
  }

  hashUser(userId: string): string {
    return hashUser(this.salt, userId);
  }

  /** Votes written to memory but not yet to the database. */
  get pending(): number {
    return this.queue.length;
  }

  async record(vote: Vote): Promise<void> {
    const row: VoteRow = {
      interaction: vote.interaction,
      question: vote.question,
      passage_ids: vote.passageIds,
      user_hash: this.hashUser(vote.userId),
      value: vote.value,
      created_at: new Date().toISOString(),
    };
    if (this.queue.length >= FEEDBACK_QUEUE_MAX) {
      this.queue.shift();
      this.logger?.error({ max: FEEDBACK_QUEUE_MAX }, 'vote queue full while the database is unreachable: the oldest queued vote is dropped');
    }
    this.queue.push(row);
    // read again next time, but keep the listing as what an outage falls back to
    if (this.allVotes) this.allVotes = { ...this.allVotes, at: 0 };
    await this.flush();
  }

  /** Writes the queue in order; stops (keeping what is left) when the database is away, until it reconnects. */
  flush(): Promise<void> {
    this.flushing ??= (async () => {
      try {
        while (this.queue.length) {
          const taken = this.queue.slice(0, 500);
          // one row per (answer, voter) and statement: ON CONFLICT cannot update a row twice; the later vote is the one kept
          const batch = [...new Map(taken.map((v) => [`${v.interaction}\u0000${v.user_hash}`, v])).values()];
          try {
            await this.db.run((pool) => pool.query(UPSERT_VOTES, [JSON.stringify(batch)]));
          } catch (error) {
            if (unavailable(error)) {
              this.logger?.warn({ queued: this.queue.length }, 'vote queued until the database is back');
              return;
            }
            // not an outage (a bad row): retrying cannot help, and it must not block the votes behind it
            this.logger?.error({ err: error, votes: batch.length }, 'votes could not be written and are dropped');
          }
          this.queue.splice(0, taken.length);
        }
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  /** Votes on one answer, or all of them — those a few seconds old at most, or the last read while the database is away. */
  async votes(interaction?: string): Promise<StoredVote[]> {
    if (interaction) return this.read(interaction);
    const cached = this.allVotes;
    if (cached && Date.now() - cached.at < ALL_VOTES_FRESH_MS) return cached.votes;
    const reading = this.read();
    this.allVotes = { at: Date.now(), votes: reading };
    try {
      return await reading;
    } catch (error) {
      if (unavailable(error) && cached) {
        this.allVotes = cached;
        return cached.votes;
      }
      if (this.allVotes?.votes === reading) this.allVotes = undefined;
      throw error;
    }
  }

  private async read(interaction?: string): Promise<StoredVote[]> {
    const { rows } = await this.db.run((pool) =>
      interaction
        ? pool.query('SELECT * FROM bot_feedback WHERE interaction = $1 ORDER BY created_at', [interaction])
        : pool.query('SELECT * FROM bot_feedback ORDER BY created_at'),
    );
    return rows.map((r) => ({
      interaction: r.interaction,
      question: r.question,
      passageIds: r.passage_ids,
      userHash: r.user_hash,
      value: r.value,
      createdAt: (r.created_at as Date).toISOString(),
    }));
  }
}

async function storedSalt(db: ResilientPool): Promise<string> {
  const { rows } = await db.run((pool) =>
    pool.query<{ value: string }>(
      `WITH ins AS (INSERT INTO bot_kv (key, value) VALUES ('feedback_salt', $1) ON CONFLICT (key) DO NOTHING RETURNING value)
       SELECT value FROM ins UNION ALL SELECT value FROM bot_kv WHERE key = 'feedback_salt'`,
      [newSalt()],
    ),
  );
  return rows[0].value;
}

export class PgGuildSettingsStore implements GuildSettingsStore {
  /** The last settings read per server: what an outage falls back to. */
  private readonly lastKnown = new LruMap<GuildSettings>(10_000);

  constructor(
    private readonly db: ResilientPool,
    private readonly logger?: Logger,
  ) {}

  async get(guildId: string | null | undefined): Promise<GuildSettings> {
    if (!guildId) return { ...EMPTY_SETTINGS };
    try {
      const { rows } = await this.db.run((pool) => pool.query('SELECT settings FROM bot_guild_settings WHERE guild_id = $1', [guildId]));
      const settings = parseSettings(rows[0]?.settings);
      this.lastKnown.set(guildId, settings);
      return settings;
    } catch (error) {
      if (!unavailable(error)) throw error;
      this.logger?.debug({ guild: guildId }, 'settings from memory: the database is unreachable');
      return { ...(this.lastKnown.get(guildId) ?? EMPTY_SETTINGS) };
    }
  }

  /** Read, change and write under the row's lock: two admins on two workers do not undo each other. An outage fails the command. */
  async update(guildId: string, change: (settings: GuildSettings) => GuildSettings): Promise<GuildSettings> {
    const next = await this.db.transaction(async (client) => {
      await client.query(`INSERT INTO bot_guild_settings (guild_id, settings, updated_at) VALUES ($1, '{}'::jsonb, now()) ON CONFLICT (guild_id) DO NOTHING`, [guildId]);
      const { rows } = await client.query('SELECT settings FROM bot_guild_settings WHERE guild_id = $1 FOR UPDATE', [guildId]);
      const settings = change(parseSettings(rows[0]?.settings));
      await client.query('UPDATE bot_guild_settings SET settings = $2, updated_at = now() WHERE guild_id = $1', [guildId, JSON.stringify(settings)]);
      return settings;
    });
    this.lastKnown.set(guildId, next);
    return next;
  }
}

export class PgThreadMemory implements ThreadMemory {
  private readonly limits: ThreadMemoryLimits;

  constructor(
    private readonly db: ResilientPool,
    limits: Partial<ThreadMemoryLimits> = {},
    private readonly logger?: Logger,
  ) {
    this.limits = threadMemoryLimits(limits);
  }

  /** The thread's row and turns, or undefined when unknown or expired (then forgotten). */
  private async read(channelId: string): Promise<{ refused: boolean; turns: Turn[] } | undefined> {
    const { rows } = await this.db.run((pool) =>
      pool.query<{ last_at: string; refused: boolean; question: string | null; answer: string | null }>(
        `SELECT t.last_at, t.refused, u.question, u.answer FROM bot_threads t LEFT JOIN bot_thread_turns u USING (channel_id)
         WHERE t.channel_id = $1 ORDER BY u.seq`,
        [channelId],
      ),
    );
    if (!rows.length) return undefined;
    if (this.limits.now() - Number(rows[0].last_at) > this.limits.ttlMs) {
      await this.db.run((pool) => pool.query('DELETE FROM bot_threads WHERE channel_id = $1', [channelId]));
      return undefined;
    }
    const turns = rows.filter((r) => r.question !== null).map((r) => (r.answer === null ? { question: r.question! } : { question: r.question!, answer: r.answer }));
    return { refused: rows[0].refused, turns };
  }

  /** Reads fall back to "no memory" during an outage: the answer goes out without the thread's context. */
  private async readOr<T>(channelId: string, pick: (thread: { refused: boolean; turns: Turn[] } | undefined) => T): Promise<T> {
    try {
      return pick(await this.read(channelId));
    } catch (error) {
      if (!unavailable(error)) throw error;
      this.logger?.debug({ channel: channelId }, 'thread memory unavailable: answering without it');
      return pick(undefined);
    }
  }

  /** Writes are skipped during an outage: the turn is not remembered, the answer is not held up. */
  private async write(channelId: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      await this.prune();
    } catch (error) {
      if (!unavailable(error)) throw error;
      this.logger?.debug({ channel: channelId }, 'thread memory not saved: the database is unreachable');
    }
  }

  has(channelId: string): Promise<boolean> {
    return this.readOr(channelId, (t) => t !== undefined);
  }

  history(channelId: string): Promise<Turn[]> {
    return this.readOr(channelId, (t) => t?.turns ?? []);
  }

  refused(channelId: string): Promise<boolean> {
    return this.readOr(channelId, (t) => t?.refused ?? false);
  }

  open(channelId: string): Promise<void> {
    return this.write(channelId, () =>
      this.db.run((pool) => pool.query('INSERT INTO bot_threads (channel_id, last_at) VALUES ($1, $2) ON CONFLICT (channel_id) DO UPDATE SET last_at = excluded.last_at', [channelId, this.limits.now()])),
    );
  }

  markRefused(channelId: string): Promise<void> {
    return this.write(channelId, () =>
      this.db.run((pool) =>
        pool.query('INSERT INTO bot_threads (channel_id, last_at, refused) VALUES ($1, $2, true) ON CONFLICT (channel_id) DO UPDATE SET last_at = excluded.last_at, refused = true', [channelId, this.limits.now()]),
      ),
    );
  }

  add(channelId: string, turn: Turn): Promise<void> {
    return this.write(channelId, () =>
      this.db.transaction(async (client) => {
        await client.query('INSERT INTO bot_threads (channel_id, last_at) VALUES ($1, $2) ON CONFLICT (channel_id) DO UPDATE SET last_at = excluded.last_at', [channelId, this.limits.now()]);
        await client.query('INSERT INTO bot_thread_turns (channel_id, question, answer) VALUES ($1, $2, $3)', [channelId, turn.question.slice(0, TURN_TEXT_MAX * 2), turn.answer?.slice(0, TURN_TEXT_MAX) ?? null]);
        await client.query('DELETE FROM bot_thread_turns WHERE channel_id = $1 AND seq NOT IN (SELECT seq FROM bot_thread_turns WHERE channel_id = $1 ORDER BY seq DESC LIMIT $2)', [channelId, this.limits.maxTurns]);
      }),
    );
  }

  /** Drops expired threads, then the least recently active beyond maxThreads (their turns go with them). */
  private async prune(): Promise<void> {
    await this.db.run((pool) =>
      pool.query('DELETE FROM bot_threads WHERE last_at < $1 OR channel_id IN (SELECT channel_id FROM bot_threads ORDER BY last_at DESC OFFSET $2)', [this.limits.now() - this.limits.ttlMs, this.limits.maxThreads]),
    );
  }
}

/**
 * The same sliding window as MemoryRateLimiter, one row per user holding the times of their recent
 * questions. One upsert decides and records: ON CONFLICT DO UPDATE locks the row, so two workers taking
 * the user's last slot at once cannot both get it.
 */
const TAKE = `
  INSERT INTO bot_rate_limits AS r (user_id, hits, allowed, last_at) VALUES ($1, ARRAY[$2::bigint], true, $2)
  ON CONFLICT (user_id) DO UPDATE SET
    allowed = cardinality(ARRAY(SELECT h FROM unnest(r.hits) AS h WHERE h > $2::bigint - $4)) < $3,
    hits = ARRAY(SELECT h FROM unnest(r.hits) AS h WHERE h > $2::bigint - $4 ORDER BY h)
      || CASE WHEN cardinality(ARRAY(SELECT h FROM unnest(r.hits) AS h WHERE h > $2::bigint - $4)) < $3 THEN ARRAY[$2::bigint] ELSE ARRAY[]::bigint[] END,
    last_at = $2
  RETURNING hits, allowed`;

export class PgRateLimiter implements RateLimiter {
  private readonly fallback: MemoryRateLimiter;
  private lastHousekeeping: number;

  constructor(
    private readonly db: ResilientPool,
    readonly perMinute = 6,
    private readonly now: () => number = Date.now,
    private readonly windowMs = RATE_WINDOW_MS,
    private readonly logger?: Logger,
  ) {
    this.fallback = new MemoryRateLimiter(perMinute, now, windowMs);
    this.lastHousekeeping = now();
  }

  async take(userId: string, perMinute = this.perMinute): Promise<RateDecision> {
    const t = this.now();
    let row: { hits: string[]; allowed: boolean };
    try {
      row = (await this.db.run((pool) => pool.query(TAKE, [userId, t, perMinute, this.windowMs]))).rows[0];
    } catch (error) {
      if (!unavailable(error)) throw error;
      // per worker until the database is back: the limit still holds here, not yet across workers
      this.logger?.debug({ user: userId }, 'rate limit in memory: the database is unreachable');
      return this.fallback.take(userId, perMinute);
    }
    this.housekeeping(t);
    if (row.allowed) return { ok: true };
    return { ok: false, retryAfterMs: retryAfter(row.hits.map(Number), perMinute, t, this.windowMs) };
  }

  private housekeeping(t: number): void {
    if (t - this.lastHousekeeping < HOUSEKEEPING_MS) return;
    this.lastHousekeeping = t;
    void this.db.run((pool) => pool.query('DELETE FROM bot_rate_limits WHERE last_at < $1', [t - this.windowMs])).catch(() => undefined);
  }
}

/** An id is claimed by INSERT … ON CONFLICT DO NOTHING: of two workers offered the same event, one inserts and answers. */
export class PgSeenIds implements SeenIds {
  private readonly local = new MemorySeenIds(5_000);
  private lastHousekeeping = Date.now();

  constructor(
    private readonly db: ResilientPool,
    private readonly logger?: Logger,
  ) {}

  async claim(id: string): Promise<boolean> {
    if (!(await this.local.claim(id))) return false;
    try {
      const { rowCount } = await this.db.run((pool) => pool.query('INSERT INTO bot_seen_events (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [id]));
      this.housekeeping();
      return rowCount === 1;
    } catch (error) {
      if (!unavailable(error)) throw error;
      // this worker has not seen it: answered, at the risk that another worker answers it too
      this.logger?.debug({ id }, 'event claimed in memory only: the database is unreachable');
      return true;
    }
  }

  private housekeeping(): void {
    if (Date.now() - this.lastHousekeeping < HOUSEKEEPING_MS) return;
    this.lastHousekeeping = Date.now();
    void this.db.run((pool) => pool.query(`DELETE FROM bot_seen_events WHERE seen_at < now() - interval '${SEEN_KEEP}'`)).catch(() => undefined);
  }
}

/** The question log (/report) shared by the workers: a server's report covers the questions every worker answered. */
export class PgQuestionLog implements QuestionLog {
  private readonly limits: QuestionLogLimits;
  private inserts = 0;

  constructor(
    private readonly db: ResilientPool,
    limits: Partial<QuestionLogLimits> = {},
    private readonly logger?: Logger,
  ) {
    this.limits = questionLogLimits(limits);
  }

  /** During an outage the question goes unlogged (the answer is not held up; /report misses it). */
  async record(entry: Omit<LoggedQuestion, 'key' | 'at'>): Promise<void> {
    const { question, key } = loggedQuestion(entry.question);
    try {
      await this.db.run((pool) =>
        pool.query('INSERT INTO bot_question_log (question_key, question, guild_id, supported, passage_ids, at) VALUES ($1, $2, $3, $4, $5, $6)', [
          key,
          question,
          entry.guildId,
          entry.supported,
          JSON.stringify(entry.passageIds),
          this.limits.now(),
        ]),
      );
    } catch (error) {
      if (!unavailable(error)) throw error;
      this.logger?.debug('question not logged: the database is unreachable');
      return;
    }
    // as in SQLite: pruning every 100th insert (per worker) keeps the table within a few % of its bound
    if (this.inserts++ % 100 === 0) {
      const now = this.limits.now();
      await this.db.run((pool) =>
        pool.query('DELETE FROM bot_question_log WHERE at < $1 OR seq <= (SELECT seq FROM bot_question_log ORDER BY seq DESC LIMIT 1 OFFSET $2)', [now - this.limits.ttlMs, this.limits.maxRows]),
      );
    }
  }

  async recent(guildId: string | null, options: { sinceMs?: number; limit?: number } = {}): Promise<LoggedQuestion[]> {
    const since = Math.max(options.sinceMs ?? 0, this.limits.now() - this.limits.ttlMs);
    const { rows } = await this.db.run((pool) =>
      pool.query(
        // by time first: rows copied by `lodestone migrate` get later seqs than what workers logged before
        'SELECT * FROM bot_question_log WHERE guild_id IS NOT DISTINCT FROM $1 AND at >= $2 ORDER BY at DESC, seq DESC LIMIT $3',
        [guildId, since, options.limit ?? 1_000],
      ),
    );
    return rows.map((r) => ({ key: r.question_key, question: r.question, guildId: r.guild_id, supported: r.supported, passageIds: r.passage_ids, at: Number(r.at) }));
  }
}

export class PgBotState implements BotState {
  readonly backend = 'postgres';

  constructor(
    readonly db: ResilientPool,
    readonly feedback: PgFeedbackStore,
    readonly settings: PgGuildSettingsStore,
    readonly threads: PgThreadMemory,
    readonly rateLimiter: PgRateLimiter,
    readonly seen: PgSeenIds,
    readonly questions: PgQuestionLog,
    private readonly logger?: Logger,
  ) {}

  async close(): Promise<void> {
    await this.feedback.flush();
    if (this.feedback.pending) this.logger?.error({ votes: this.feedback.pending }, 'closing with votes the database never took: they are lost');
    await this.db.close();
  }
}

export interface PgStateOptions extends BotStateOptions {
  /** A query slower than this counts as an outage (default 1.5 s: an interaction must be acknowledged within 3 s). */
  deadlineMs?: number;
  /** Rate limiter's clock (tests). */
  now?: () => number;
}

/** Connects (a bad DATABASE_URL is a ConfigError), applies the bot's migrations and opens the stores. */
export async function openPgBotState(url: string, opts: PgStateOptions = {}): Promise<PgBotState> {
  const pool = await openPool(url, { logger: opts.logger, connectTimeoutMs: 2_000 });
  try {
    await migrate(pool, botMigrations);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const db = new ResilientPool(pool, { logger: opts.logger, deadlineMs: opts.deadlineMs ?? 1_500 });
  const feedback = await PgFeedbackStore.open(db, process.env.FEEDBACK_SALT, opts.logger);
  return new PgBotState(
    db,
    feedback,
    new PgGuildSettingsStore(db, opts.logger),
    new PgThreadMemory(db, opts.threadMemory, opts.logger),
    new PgRateLimiter(db, opts.ratePerMinute ?? 6, opts.now, RATE_WINDOW_MS, opts.logger),
    new PgSeenIds(db, opts.logger),
    new PgQuestionLog(db, {}, opts.logger),
    opts.logger,
  );
}
