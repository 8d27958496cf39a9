/**
 * Two real bots (discord.js) on one PostgreSQL database, both connected to the local Discord-compatible
 * server without sharding — so each receives every event, as two workers might during a redeploy — and one
 * real librarian. What a user sees: each question answered once, one rate limit, votes in one table; and
 * with PostgreSQL stopped, questions still answered and a vote cast then lands once it is back.
 */
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/client.js';
import { openPgBotState, type PgBotState } from '../../src/bot/pgState.js';
import { CUSTOM_ID } from '../../src/bot/render.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import { buttonClick, makeUser, slashCommand } from '../support/discord-payloads.js';
import { startDiscordServer, type FakeDiscordServer, type RecordedCall } from '../support/discord-server.js';
import { makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from '../support/workspace.js';
import { freshDatabase, pgCluster, until, type TestDatabase } from './support.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.pg-e2e.never-logged-x1';
let db: TestDatabase;
let admin: pg.Pool;
let ws: Workspace;
let librarian: LibrarianService;
let server: FakeDiscordServer;
const bots: RunningBot[] = [];
const states: PgBotState[] = [];

const isCallback = (id: string) => (c: RecordedCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`);
const isEdit = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`);
const settle = () => new Promise((r) => setTimeout(r, 500));

beforeAll(async () => {
  db = await freshDatabase();
  admin = new pg.Pool({ connectionString: db.url, max: 1 });
  admin.on('error', () => undefined);
  ws = makeWorkspace('pg-e2e');
  librarian = await openLibrarian(ws);
  server = await startDiscordServer();
  for (let i = 0; i < 2; i++) {
    const logger = pino({ level: 'silent' });
    states.push(await openPgBotState(db.url, { ratePerMinute: 3, logger }));
    bots.push(
      await startBot({
        librarian,
        token: TOKEN,
        apiUrl: server.apiUrl,
        guildId: server.guildId,
        state: states[i],
        logger,
        handleSignals: false,
        registerCommands: i === 0,
        ratePerMinute: 3,
        drainTimeoutMs: 5_000,
      }),
    );
  }
}, 180_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await server?.close();
  await librarian?.close();
  removeWorkspace(ws);
  await admin?.end();
  await db?.drop();
});

async function ask(question: string, user = makeUser()) {
  const payload = slashCommand(server, user, 'ask', { question });
  const since = server.calls.length;
  server.dispatch('INTERACTION_CREATE', payload);
  const callback = await server.waitForCall(isCallback(payload.id), { since, timeoutMs: 30_000 });
  const edit = callback.body.type === 5 ? await server.waitForCall(isEdit(payload.token), { since, timeoutMs: 30_000 }) : undefined;
  return { payload, callback, edit, since };
}

describe('two workers on one PostgreSQL', () => {
  it('both use PostgreSQL, and a question both receive is answered once', async () => {
    expect(bots.map((b) => b.services.feedback.constructor.name)).toEqual(['PgFeedbackStore', 'PgFeedbackStore']);
    const { payload, edit, since } = await ask('什么是选择性脱钩？');
    expect(server.deliveries.filter((d) => d.t === 'INTERACTION_CREATE').at(-1)!.shards).toHaveLength(2); // both bots got it
    expect(JSON.stringify(edit!.body.embeds)).toMatch(/\[\d+\]/);
    await settle();
    expect(server.callsSince(since).filter(isCallback(payload.id))).toHaveLength(1);
    expect(server.callsSince(since).filter(isEdit(payload.token))).toHaveLength(1);
  });

  it('a user allowed 3 questions a minute gets 3, whichever worker answers', async () => {
    const user = makeUser();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask('镍主要分布在哪些国家？', user));
    expect(answers.slice(0, 3).every((a) => a.callback.body.type === 5)).toBe(true);
    expect(answers[3].callback.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(answers[3].callback.body.data.content).toMatch(/\d+/);
  });

  it('a vote is one row in PostgreSQL, and a later vote by the same user replaces it', async () => {
    const user = makeUser();
    const { payload, edit } = await ask('What is friend-shoring?', user);
    const message = server.makeMessage(server.channelId, edit!.body);
    const ids = edit!.body.components[0].components.map((c: any) => c.custom_id) as string[];
    const vote = async (prefix: string) => {
      const click = buttonClick(server, user, ids.find((id) => id.startsWith(prefix))!, message);
      const since = server.calls.length;
      server.dispatch('INTERACTION_CREATE', click);
      await server.waitForCall(isCallback(click.id), { since });
    };
    const rows = async () => (await admin.query('SELECT value FROM bot_feedback WHERE interaction = $1', [payload.id])).rows;
    await vote(CUSTOM_ID.voteUp);
    expect(await rows()).toEqual([{ value: 1 }]);
    await vote(CUSTOM_ID.voteDown);
    expect(await rows()).toEqual([{ value: -1 }]);
  });

  it('PostgreSQL stopped: questions are still answered, a vote is queued and lands when it is back', async () => {
    const user = makeUser();
    const { edit } = await ask('美国在关键矿物领域对华采取了哪些脱钩措施？', user);
    const message = server.makeMessage(server.channelId, edit!.body);
    const up = (edit!.body.components[0].components as any[]).find((c) => c.custom_id.startsWith(CUSTOM_ID.voteUp)).custom_id as string;
    let during: Awaited<ReturnType<typeof ask>>;
    try {
      pgCluster('stop');
      during = await ask('什么是选择性脱钩？', makeUser());
      const click = buttonClick(server, user, up, message);
      const since = server.calls.length;
      server.dispatch('INTERACTION_CREATE', click);
      const thanks = await server.waitForCall(isCallback(click.id), { since });
      expect(thanks.body).toMatchObject({ type: 4, data: { flags: 64 } });
    } finally {
      pgCluster('start');
    }
    expect(JSON.stringify(during.edit!.body.embeds)).toMatch(/\[\d+\]/);
    const key = up.slice(CUSTOM_ID.voteUp.length);
    await until(async () => (await admin.query('SELECT value FROM bot_feedback WHERE interaction = $1', [key]).catch(() => ({ rows: [] }))).rows.length === 1, 'the queued vote in bot_feedback', 60_000);
    // each worker finds the database again on its own backoff (the vote above proves only one has)
    await until(async () => states.every((s) => s.db.available), 'both workers reconnected', 60_000);
    // back on the database: the next question is answered, by one worker
    const after = await ask('镍主要分布在哪些国家？');
    await settle();
    expect(server.callsSince(after.since).filter(isCallback(after.payload.id))).toHaveLength(1);
  });
});
