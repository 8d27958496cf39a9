/**
 * `lodestone migrate --to postgres`: the embedded install's bot state copied into DATABASE_URL (src/bot/migrateState.ts),
 * and its corpus folder imported into the documents table (src/service/collection.ts).
 */
import fs from 'node:fs';
import { ConfigError, UserInputError } from '../core/errors.js';

export async function runMigrate(options: { to: string; from?: string; corpusDir?: string }, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (options.to !== 'postgres') throw new UserInputError(`migrate --to ${options.to}: the only target is "postgres"`);
  const url = env.DATABASE_URL;
  if (!url) throw new ConfigError('migrate --to postgres needs DATABASE_URL (e.g. postgres://lodestone@db.internal:5432/lodestone)');
  const [{ copySqliteStateToPostgres }, { DEFAULT_FEEDBACK_DB }] = await Promise.all([import('../bot/migrateState.js'), import('../bot/feedback.js')]);
  const from = options.from ?? (env.FEEDBACK_DB || DEFAULT_FEEDBACK_DB);
  const r = await copySqliteStateToPostgres(from, url);
  const line = (what: string, c: { read: number; written: number }) => `${what}: ${c.written} written of ${c.read}${c.read > c.written ? ` (${c.read - c.written} already there)` : ''}`;
  console.log(`copied ${r.from} → PostgreSQL ${r.to}`);
  console.log(`  ${line('votes', r.votes)}`);
  console.log(`  ${line('server settings', r.settings)}`);
  console.log(`  ${line('threads', r.threads)}, ${r.threads.turns} turns`);
  console.log(`  ${line('logged questions', r.questions)}`);
  if (r.salt === 'different') {
    console.log('  note: PostgreSQL already had another feedback salt, kept: a voter of the copied votes is counted apart from their new votes (set FEEDBACK_SALT on every worker to make them one)');
  }
  if (options.corpusDir && fs.existsSync(options.corpusDir)) {
    const [{ importFolder }, { importLines }] = await Promise.all([import('../service/collection.js'), import('./collection.js')]);
    for (const line of importLines(await importFolder(url, options.corpusDir), options.corpusDir)) console.log(line);
    console.log('run `lodestone ingest` to publish the index built from them');
  }
}
