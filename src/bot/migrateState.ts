/**
 * `lodestone migrate --to postgres`: an embedded install's bot state (data/feedback.sqlite: votes, the
 * feedback salt, per-server settings, thread memory, the question log) copied into PostgreSQL, in one transaction.
 * Idempotent: a row already there is kept when it is as new or newer (a worker may have written it since),
 * so running it twice — or after the workers started — changes nothing the second time.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { UserInputError } from '../core/errors.js';
import { describeTarget, inTransaction, migrate, openPool, parseDatabaseUrl } from '../db/index.js';
import { botMigrations } from './pgState.js';

export interface CopyReport {
  from: string;
  to: string;
  /** Rows read from SQLite / rows written (new or newer) to PostgreSQL. */
  votes: { read: number; written: number };
  settings: { read: number; written: number };
  threads: { read: number; written: number; turns: number };
  questions: { read: number; written: number };
  /** What happened to the salt that hashes voters: copied, already the same, or PostgreSQL already had another. */
  salt: 'copied' | 'same' | 'different' | 'none';
}

const CHUNK = 2_000;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export async function copySqliteStateToPostgres(sqlitePath: string, databaseUrl: string): Promise<CopyReport> {
  const target = describeTarget(parseDatabaseUrl(databaseUrl));
  if (!existsSync(sqlitePath)) throw new UserInputError(`no embedded bot state at ${sqlitePath}; pass --from FILE or set FEEDBACK_DB`);
  let src: Database.Database;
  try {
    src = new Database(sqlitePath, { readonly: true, fileMustExist: true });
    src.prepare('SELECT 1 FROM sqlite_master').get();
  } catch (error) {
    throw new UserInputError(`${sqlitePath} is not a readable SQLite file (${(error as Error).message.split('\n')[0]})`);
  }
  const tables = new Set((src.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const all = <T>(table: string, sql: string): T[] => (tables.has(table) ? (src.prepare(sql).all() as T[]) : []);
  const votes = all<{ interaction: string; question: string; passage_ids: string; user_hash: string; value: number; created_at: string }>('feedback', 'SELECT * FROM feedback');
  const salt = all<{ value: string }>('settings', "SELECT value FROM settings WHERE key = 'salt'")[0]?.value;
  const settings = all<{ guild_id: string; settings: string; updated_at: string }>('guild_settings', 'SELECT * FROM guild_settings');
  const threads = all<{ channel_id: string; last_at: number; refused: number }>('threads', 'SELECT * FROM threads');
  const turns = all<{ channel_id: string; question: string; answer: string | null }>('thread_turns', 'SELECT channel_id, question, answer FROM thread_turns ORDER BY seq');
  const questions = all<{ question_key: string; question: string; guild_id: string | null; supported: number; passage_ids: string; at: number }>('question_log', 'SELECT * FROM question_log ORDER BY seq');
  src.close();

  const pool = await openPool(databaseUrl, { max: 1 });
  try {
    await migrate(pool, botMigrations);
    return await inTransaction(pool, async (client) => {
      let saltOutcome: CopyReport['salt'] = 'none';
      if (salt) {
        const { rows } = await client.query(
          `WITH ins AS (INSERT INTO bot_kv (key, value) VALUES ('feedback_salt', $1) ON CONFLICT (key) DO NOTHING RETURNING value)
           SELECT value, true AS inserted FROM ins UNION ALL SELECT value, false FROM bot_kv WHERE key = 'feedback_salt'`,
          [salt],
        );
        saltOutcome = rows[0].inserted ? 'copied' : rows[0].value === salt ? 'same' : 'different';
      }
      let votesWritten = 0;
      for (const batch of chunks(votes.map((v) => ({ ...v, passage_ids: safeJson(v.passage_ids, []) })))) {
        const r = await client.query(
          `INSERT INTO bot_feedback (interaction, question, passage_ids, user_hash, value, created_at)
           SELECT interaction, question, passage_ids, user_hash, value, created_at
           FROM jsonb_to_recordset($1::jsonb) AS x(interaction TEXT, question TEXT, passage_ids JSONB, user_hash TEXT, value SMALLINT, created_at TIMESTAMPTZ)
           ON CONFLICT (interaction, user_hash) DO UPDATE SET value = excluded.value, question = excluded.question,
             passage_ids = excluded.passage_ids, created_at = excluded.created_at
           WHERE bot_feedback.created_at < excluded.created_at`,
          [JSON.stringify(batch)],
        );
        votesWritten += r.rowCount ?? 0;
      }
      let settingsWritten = 0;
      for (const batch of chunks(settings.map((s) => ({ ...s, settings: safeJson(s.settings, {}) })))) {
        const r = await client.query(
          `INSERT INTO bot_guild_settings (guild_id, settings, updated_at)
           SELECT guild_id, settings, updated_at FROM jsonb_to_recordset($1::jsonb) AS x(guild_id TEXT, settings JSONB, updated_at TIMESTAMPTZ)
           ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
           WHERE bot_guild_settings.updated_at < excluded.updated_at`,
          [JSON.stringify(batch)],
        );
        settingsWritten += r.rowCount ?? 0;
      }
      // a thread is copied whole (its row and turns) unless PostgreSQL's copy is as recent or more
      const turnsOf = new Map<string, { question: string; answer: string | null }[]>();
      for (const t of turns) turnsOf.set(t.channel_id, [...(turnsOf.get(t.channel_id) ?? []), { question: t.question, answer: t.answer }]);
      let threadsWritten = 0;
      let turnsWritten = 0;
      for (const t of threads) {
        const { rows } = await client.query('SELECT last_at FROM bot_threads WHERE channel_id = $1 FOR UPDATE', [t.channel_id]);
        if (rows.length && Number(rows[0].last_at) >= t.last_at) continue;
        await client.query('DELETE FROM bot_threads WHERE channel_id = $1', [t.channel_id]);
        await client.query('INSERT INTO bot_threads (channel_id, last_at, refused) VALUES ($1, $2, $3)', [t.channel_id, t.last_at, t.refused > 0]);
        const own = turnsOf.get(t.channel_id) ?? [];
        if (own.length) {
          await client.query(
            `INSERT INTO bot_thread_turns (channel_id, question, answer)
             SELECT $1, question, answer FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (question TEXT, answer TEXT)) WITH ORDINALITY AS x(question, answer, n) ORDER BY n`,
            [t.channel_id, JSON.stringify(own)],
          );
        }
        threadsWritten++;
        turnsWritten += own.length;
      }
      // the log has no key of its own: a row already there with the same time, server and question is this one
      let questionsWritten = 0;
      for (const batch of chunks(questions.map((q) => ({ ...q, supported: q.supported > 0, passage_ids: safeJson(q.passage_ids, []) })))) {
        const r = await client.query(
          `INSERT INTO bot_question_log (question_key, question, guild_id, supported, passage_ids, at)
           SELECT x.question_key, x.question, x.guild_id, x.supported, x.passage_ids, x.at
           FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (question_key TEXT, question TEXT, guild_id TEXT, supported BOOLEAN, passage_ids JSONB, at BIGINT)) WITH ORDINALITY AS x(question_key, question, guild_id, supported, passage_ids, at, n)
           WHERE NOT EXISTS (SELECT 1 FROM bot_question_log q WHERE q.at = x.at AND q.guild_id IS NOT DISTINCT FROM x.guild_id AND q.question = x.question)
           ORDER BY x.n`,
          [JSON.stringify(batch)],
        );
        questionsWritten += r.rowCount ?? 0;
      }
      return {
        from: sqlitePath,
        to: target,
        votes: { read: votes.length, written: votesWritten },
        settings: { read: settings.length, written: settingsWritten },
        threads: { read: threads.length, written: threadsWritten, turns: turnsWritten },
        questions: { read: questions.length, written: questionsWritten },
        salt: saltOutcome,
      };
    });
  } finally {
    await pool.end();
  }
}

function safeJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}
