/**
 * The bot's state in PostgreSQL as two workers see it: two openPgBotState on one database are two workers
 * (each its own pool), and what one writes the other must see or respect. The last part stops and starts
 * the machine's PostgreSQL while a store is in use.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBotState } from '../../src/bot/state.js';
import { botMigrations, openPgBotState, type PgBotState } from '../../src/bot/pgState.js';
import { freshDatabase, pgCluster, until, type TestDatabase } from './support.js';

let db: TestDatabase;
let admin: pg.Pool;
const opened: PgBotState[] = [];

async function worker(opts: Parameters<typeof openPgBotState>[1] = {}): Promise<PgBotState> {
  const state = await openPgBotState(db.url, opts);
  opened.push(state);
  return state;
}

beforeAll(async () => {
  db = await freshDatabase();
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  admin.on('error', () => undefined); // the restart test kills its idle connections too
});

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await admin?.end();
  await db?.drop();
});

const count = async (sql: string, params: unknown[] = []) => Number((await admin.query(sql, params)).rows[0].n);

describe('DATABASE_URL chooses PostgreSQL', () => {
  it('openBotState with a URL opens the PostgreSQL stores (and the bot tables exist once, however many workers start)', async () => {
    const states = await Promise.all([openBotState({ databaseUrl: db.url }), openBotState({ databaseUrl: db.url }), openBotState({ databaseUrl: db.url })]);
    expect(states.map((s) => s.backend)).toEqual(['postgres', 'postgres', 'postgres']);
    expect(await count("SELECT count(*) AS n FROM schema_migrations WHERE id LIKE 'bot/%'")).toBe(botMigrations.length);
    await Promise.all(states.map((s) => s.close()));
  });
});

describe('two workers on one database', () => {
  it('votes from both land in one table; one voter keeps one vote per answer, the later one', async () => {
    const [a, b] = [await worker(), await worker()];
    expect(a.feedback.hashUser('u1')).toBe(b.feedback.hashUser('u1')); // one salt for every worker
    await a.feedback.record({ interaction: 'i1', question: '什么是选择性脱钩？', passageIds: ['p1', 'p2'], userId: 'u1', value: 1 });
    await b.feedback.record({ interaction: 'i1', question: '什么是选择性脱钩？', passageIds: ['p1', 'p2'], userId: 'u2', value: 1 });
    await b.feedback.record({ interaction: 'i1', question: '什么是选择性脱钩？', passageIds: ['p1', 'p2'], userId: 'u1', value: -1 });
    const votes = await a.feedback.votes('i1');
    expect(votes.map((v) => v.value).sort()).toEqual([-1, 1]);
    expect(votes.find((v) => v.userHash === a.feedback.hashUser('u1'))!.value).toBe(-1);
    expect(votes[0].passageIds).toEqual(['p1', 'p2']);
    expect(JSON.stringify(await admin.query('SELECT * FROM bot_feedback'))).not.toContain('"u1"');
  });

  it('a user allowed 6 questions a minute gets 6 however the questions are spread over two workers, and is told how long to wait', async () => {
    let now = 1_000_000;
    const [a, b] = [await worker({ now: () => now, ratePerMinute: 6 }), await worker({ now: () => now, ratePerMinute: 6 })];
    const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).rateLimiter.take('asker')));
    expect(decisions.filter((d) => d.ok)).toHaveLength(6);
    const refused = decisions.find((d) => !d.ok) as { ok: false; retryAfterMs: number };
    expect(refused.retryAfterMs).toBe(60_000);
    expect((await a.rateLimiter.take('someone else')).ok).toBe(true);
    now += 30_000;
    expect(await b.rateLimiter.take('asker')).toEqual({ ok: false, retryAfterMs: 30_000 });
    now += 30_001;
    expect((await b.rateLimiter.take('asker')).ok).toBe(true);
    // a server's own /config rate-limit applies on every worker
    expect((await a.rateLimiter.take('strict', 1)).ok).toBe(true);
    expect((await b.rateLimiter.take('strict', 1)).ok).toBe(false);
  });

  it('an interaction delivered to both workers is claimed by exactly one', async () => {
    const [a, b] = [await worker(), await worker()];
    for (let i = 0; i < 20; i++) {
      const claims = await Promise.all([a.seen.claim(`i${i}`), b.seen.claim(`i${i}`), b.seen.claim(`i${i}`)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
    }
  });

  it("a thread's turns survive a new store (a restart, or the next message reaching another worker)", async () => {
    const first = await worker({ threadMemory: { maxTurns: 2 } });
    await first.threads.open('thread-1');
    await first.threads.add('thread-1', { question: '美国对华关键矿物供应链脱钩的手段有哪些？', answer: '出口管制、投资审查' });
    await first.threads.add('thread-1', { question: '那稀土呢？' });
    await first.threads.add('thread-1', { question: '镍呢？', answer: '印尼' });
    await first.threads.markRefused('thread-1');
    await first.close();
    const second = await worker({ threadMemory: { maxTurns: 2 } });
    expect(await second.threads.has('thread-1')).toBe(true);
    expect(await second.threads.history('thread-1')).toEqual([{ question: '那稀土呢？' }, { question: '镍呢？', answer: '印尼' }]);
    expect(await second.threads.refused('thread-1')).toBe(true);
    expect(await second.threads.has('thread-unknown')).toBe(false);
    const later = await worker({ threadMemory: { ttlMs: 1_000, now: () => Date.now() + 2_000 } });
    expect(await later.threads.history('thread-1')).toEqual([]); // gone quiet: forgotten
    expect(await count('SELECT count(*) AS n FROM bot_thread_turns WHERE channel_id = $1', ['thread-1'])).toBe(0);
  });

  it('/config on one worker is what the other reads; two admins changing different things at once both keep theirs', async () => {
    const [a, b] = [await worker(), await worker()];
    await a.settings.update('guild-1', (s) => ({ ...s, publicAnswers: true }));
    expect((await b.settings.get('guild-1')).publicAnswers).toBe(true);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).settings.update('guild-1', (s) => ({ ...s, channels: [...s.channels, `c${i}`] }))),
    );
    expect((await a.settings.get('guild-1')).channels.sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    expect(await b.settings.get('guild-2')).toEqual({ channels: [], forums: [], script: 'follow' });
  });
});

describe('the question log and the votes the ranking reads', () => {
  it("a server's /report sees the questions both workers answered, newest first, and only that server's", async () => {
    const [a, b] = [await worker(), await worker()];
    await a.questions.record({ question: '什么是选择性脱钩？', guildId: 'g1', supported: true, passageIds: ['p1'] });
    await b.questions.record({ question: '法国的首都是哪里？', guildId: 'g1', supported: false, passageIds: [] });
    await b.questions.record({ question: 'What is friend-shoring?', guildId: 'g2', supported: true, passageIds: ['p2'] });
    await a.questions.record({ question: '私信里的问题', guildId: null, supported: true, passageIds: ['p3'] });
    const g1 = await a.questions.recent('g1');
    expect(g1.map((q) => [q.question, q.supported])).toEqual([
      ['法国的首都是哪里？', false],
      ['什么是选择性脱钩？', true],
    ]);
    expect(g1[1].passageIds).toEqual(['p1']);
    expect((await b.questions.recent(null)).map((q) => q.question)).toEqual(['私信里的问题']);
  });

  it('all votes, as the ranking reads them for every question, include another worker\'s within seconds', async () => {
    const [a, b] = [await worker(), await worker()];
    const before = (await b.feedback.votes()).length;
    await a.feedback.record({ interaction: 'shared', question: 'q', passageIds: ['p'], userId: 'u', value: 1 });
    expect((await a.feedback.votes()).length).toBe(before + 1); // its own at once
    await until(async () => (await b.feedback.votes()).length === before + 1, "the other worker's vote", 30_000);
  });
});

describe('PostgreSQL restarted while the bot runs', () => {
  it('a vote cast while it is down is queued and lands after it is back; limits, claims and settings keep working meanwhile', async () => {
    const state = await worker({ ratePerMinute: 2 });
    await state.settings.update('guild-r', (s) => ({ ...s, publicAnswers: true }));
    await state.feedback.record({ interaction: 'before', question: 'q', passageIds: ['p'], userId: 'u', value: 1 });
    expect((await state.feedback.votes()).map((v) => v.interaction)).toContain('before');
    try {
      pgCluster('stop');
      // during the outage: nothing throws, nothing waits for the database
      await state.feedback.record({ interaction: 'during', question: '镍主要分布在哪些国家？', passageIds: ['p9'], userId: 'u', value: -1 });
      await state.feedback.record({ interaction: 'during', question: '镍主要分布在哪些国家？', passageIds: ['p9'], userId: 'u2', value: 1 });
      expect(state.feedback.pending).toBe(2);
      expect(state.db.available).toBe(false);
      expect((await state.settings.get('guild-r')).publicAnswers).toBe(true); // the last settings read
      expect((await state.rateLimiter.take('r')).ok).toBe(true); // this worker's memory meanwhile
      expect((await state.rateLimiter.take('r')).ok).toBe(true);
      expect((await state.rateLimiter.take('r')).ok).toBe(false);
      expect(await state.seen.claim('i-during')).toBe(true);
      expect(await state.seen.claim('i-during')).toBe(false);
      expect(await state.threads.history('any')).toEqual([]);
      // the ranking's prior keeps the votes it last read
      expect((await state.feedback.votes()).map((v) => v.interaction)).toContain('before');
    } finally {
      pgCluster('start');
    }
    await until(async () => state.feedback.pending === 0 && state.db.available, 'the queued votes to be written after the restart', 60_000);
    const rows = (await admin.query("SELECT value FROM bot_feedback WHERE interaction = 'during' ORDER BY value")).rows.map((r) => r.value);
    expect(rows).toEqual([-1, 1]);
    // and the store is back on the database: a claim made there is seen by another worker
    expect(await state.seen.claim('i-after')).toBe(true);
    const other = await worker();
    expect(await other.seen.claim('i-after')).toBe(false);
  });

  it('a plain restart (the connections in the pool die) is survived: the next writes land', async () => {
    const state = await worker();
    await state.feedback.record({ interaction: 'r1', question: 'q', passageIds: [], userId: 'u', value: 1 });
    pgCluster('restart');
    // the first query after the restart may meet a dead connection (then it is queued) or a new one
    await state.feedback.record({ interaction: 'r2', question: 'q', passageIds: [], userId: 'u', value: 1 });
    await until(async () => state.feedback.pending === 0 && (await count("SELECT count(*) AS n FROM bot_feedback WHERE interaction IN ('r1', 'r2')").catch(() => 0)) === 2, 'both votes in the table', 60_000);
  });
});
