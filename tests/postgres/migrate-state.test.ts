/**
 * `lodestone migrate --to postgres` through the real CLI: an embedded install's data/feedback.sqlite (votes,
 * settings, thread memory) copied into PostgreSQL, where the PostgreSQL stores read it; run twice, nothing
 * changes the second time. And a DATABASE_URL that cannot be used is one line, exit 2, no password.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgBotState } from '../../src/bot/pgState.js';
import { SqliteBotState } from '../../src/bot/state.js';
import { REPO_ROOT } from '../support/paths.js';
import { freshDatabase, type TestDatabase } from './support.js';

let db: TestDatabase;
let dir: string;
let file: string;

function lodestone(args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/lodestone.js'), ...args], {
    cwd: dir,
    env: { ...process.env, FEEDBACK_SALT: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'lodestone-migrate-'));
  file = path.join(dir, 'data', 'feedback.sqlite');
  const embedded = new SqliteBotState(file, { maxTurns: 6 });
  await embedded.feedback.record({ interaction: 'i1', question: '什么是选择性脱钩？', passageIds: ['a', 'b'], userId: 'alice', value: 1 });
  await embedded.feedback.record({ interaction: 'i1', question: '什么是选择性脱钩？', passageIds: ['a', 'b'], userId: 'bob', value: -1 });
  await embedded.feedback.record({ interaction: 'i2', question: 'What is friend-shoring?', passageIds: ['c'], userId: 'alice', value: 1 });
  await embedded.settings.update('guild-1', (s) => ({ ...s, forums: ['forum-1'], publicAnswers: true, script: 'zh-Hant' }));
  await embedded.threads.add('thread-1', { question: '美国对华关键矿物供应链脱钩的手段有哪些？', answer: '出口管制' });
  await embedded.threads.add('thread-1', { question: '那稀土呢？' });
  await embedded.threads.markRefused('thread-2');
  await embedded.questions.record({ question: '法国的首都是哪里？', guildId: 'guild-1', supported: false, passageIds: [] });
  await embedded.questions.record({ question: '什么是选择性脱钩？', guildId: 'guild-1', supported: true, passageIds: ['a'] });
  await embedded.close();
});

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('lodestone migrate --to postgres', () => {
  it('copies votes, settings, thread memory and the question log; the PostgreSQL stores serve them, and a copied voter is the same voter there', async () => {
    const run = lodestone(['migrate', '--to', 'postgres'], { DATABASE_URL: db.url, FEEDBACK_DB: file });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/votes: 3 written of 3/);
    expect(run.out).toMatch(/server settings: 1 written of 1/);
    expect(run.out).toMatch(/threads: 2 written of 2, 2 turns/);
    expect(run.out).toMatch(/logged questions: 2 written of 2/);

    const state = await openPgBotState(db.url);
    try {
      expect((await state.feedback.votes('i1')).map((v) => v.value).sort()).toEqual([-1, 1]);
      expect(await state.settings.get('guild-1')).toEqual({ channels: [], forums: ['forum-1'], publicAnswers: true, script: 'zh-Hant' });
      expect(await state.threads.history('thread-1')).toEqual([{ question: '美国对华关键矿物供应链脱钩的手段有哪些？', answer: '出口管制' }, { question: '那稀土呢？' }]);
      expect(await state.threads.refused('thread-2')).toBe(true);
      expect((await state.questions.recent('guild-1')).map((q) => [q.question, q.supported])).toEqual([
        ['什么是选择性脱钩？', true],
        ['法国的首都是哪里？', false],
      ]);
      // the salt came along: alice changing her vote on PostgreSQL replaces her embedded vote
      await state.feedback.record({ interaction: 'i1', question: '什么是选择性脱钩？', passageIds: ['a', 'b'], userId: 'alice', value: -1 });
      expect((await state.feedback.votes('i1')).map((v) => v.value)).toEqual([-1, -1]);
    } finally {
      await state.close();
    }
  });

  it('run again, it writes nothing and keeps what the workers changed since', async () => {
    const run = lodestone(['migrate', '--to', 'postgres', '--from', file], { DATABASE_URL: db.url });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/votes: 0 written of 3 \(3 already there\)/);
    expect(run.out).toMatch(/server settings: 0 written of 1/);
    expect(run.out).toMatch(/threads: 0 written of 2/);
    expect(run.out).toMatch(/logged questions: 0 written of 2/);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      expect(Number((await admin.query('SELECT count(*) AS n FROM bot_feedback')).rows[0].n)).toBe(3);
      expect(Number((await admin.query('SELECT count(*) AS n FROM bot_thread_turns')).rows[0].n)).toBe(2);
      expect(Number((await admin.query("SELECT count(*) AS n FROM bot_feedback WHERE value = -1 AND interaction = 'i1'")).rows[0].n)).toBe(2); // alice's later vote kept
    } finally {
      await admin.end();
    }
  });

  it('a DATABASE_URL that cannot be used, a missing one, or a missing file: one line, exit 2, no password', () => {
    const refused = lodestone(['migrate', '--to', 'postgres', '--from', file], { DATABASE_URL: 'postgres://lodestone:hunter2-secret@127.0.0.1:1/lodestone' });
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/127\.0\.0\.1:1\/lodestone/);
    expect(refused.err).not.toContain('hunter2');
    const unset = lodestone(['migrate', '--to', 'postgres', '--from', file], { DATABASE_URL: '' });
    expect(unset.code).toBe(2);
    expect(unset.err).toMatch(/needs DATABASE_URL/);
    const missing = lodestone(['migrate', '--to', 'postgres', '--from', path.join(dir, 'nope.sqlite')], { DATABASE_URL: db.url });
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no embedded bot state/);
  });

  it('the bot started with an unusable DATABASE_URL stops at once with one line and exit 2', () => {
    const start = lodestone(['start'], { DATABASE_URL: 'postgresql://bot:pw-xyz@127.0.0.1:1/lodestone', DISCORD_TOKEN: 'MTIz.not-used.xyz', CORPUS_DIR: path.join(dir, 'corpus'), INDEX_DIR: path.join(dir, 'index') });
    expect(start.code).toBe(2);
    expect(start.err.trim().split('\n')).toHaveLength(1);
    expect(start.err).toMatch(/DATABASE_URL.*127\.0\.0\.1:1/);
    expect(start.err).not.toContain('pw-xyz');
  });
});
