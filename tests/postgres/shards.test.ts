/**
 * A bot split over 2 shards run by two processes (SHARD_COUNT=2, SHARD_IDS=0 and =1, as on two machines),
 * both on one PostgreSQL database, against the local Discord-compatible server, which sends each guild's
 * events only to its shard. What a user sees: one rate limit whichever shard serves the guild they ask in,
 * and votes from both shards in one table.
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/client.js';
import { CUSTOM_ID } from '../../src/bot/render.js';
import { shardPlanFromEnv } from '../../src/bot/shards.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import { buttonClick, makeUser, slashCommand } from '../support/discord-payloads.js';
import { guildIdOnShard, startDiscordServer, type FakeDiscordServer, type FakeUser } from '../support/discord-server.js';
import { isCallback, isEdit } from '../bot/e2e-helpers.js';
import { makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from '../support/workspace.js';
import { freshDatabase, until, type TestDatabase } from './support.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.pg-shards.never-logged';
let db: TestDatabase;
let admin: pg.Pool;
let ws: Workspace;
let librarian: LibrarianService;
let server: FakeDiscordServer;
let guildB: { guildId: string; channelId: string };
const bots: RunningBot[] = [];
const logs: string[][] = [[], []];

beforeAll(async () => {
  db = await freshDatabase();
  admin = new pg.Pool({ connectionString: db.url, max: 1 });
  admin.on('error', () => undefined);
  ws = makeWorkspace('pg-shards');
  librarian = await openLibrarian(ws);
  // guild A on shard 0, guild B on shard 1; max_concurrency 2: both shards identify without discord.js's 5 s spacing
  server = await startDiscordServer({ guildId: guildIdOnShard(0, 2), maxConcurrency: 2 });
  guildB = server.addGuild(guildIdOnShard(1, 2));
  for (const shard of [0, 1]) {
    const stream = new Writable({
      write(chunk, _enc, done) {
        logs[shard].push(String(chunk));
        done();
      },
    });
    bots.push(
      await startBot({
        librarian,
        token: TOKEN,
        apiUrl: server.apiUrl,
        guildId: server.guildId,
        databaseUrl: db.url,
        shards: shardPlanFromEnv({ SHARD_COUNT: '2', SHARD_IDS: String(shard) }),
        logger: pino({ level: 'info' }, stream),
        handleSignals: false,
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

/** /ask in guild A (shard 0) or B (shard 1). */
async function ask(guild: 'A' | 'B', question: string, user: FakeUser) {
  const base = slashCommand(server, user, 'ask', { question });
  const payload =
    guild === 'A'
      ? base
      : { ...base, guild_id: guildB.guildId, channel_id: guildB.channelId, channel: { ...base.channel, id: guildB.channelId, guild_id: guildB.guildId }, authorizing_integration_owners: { '0': guildB.guildId } };
  const since = server.calls.length;
  server.dispatch('INTERACTION_CREATE', payload);
  const callback = await server.waitForCall(isCallback(payload.id), { since, timeoutMs: 30_000 });
  const edit = callback.body.type === 5 ? await server.waitForCall(isEdit(payload.token), { since, timeoutMs: 30_000 }) : undefined;
  return { payload, callback, edit };
}

describe('2 shards in two processes on one PostgreSQL', () => {
  it('each process runs its shard on PostgreSQL and does not warn that its state is its own', () => {
    expect(server.identifies.map((i) => i.shard).sort((a, b) => a[0] - b[0])).toEqual([[0, 2], [1, 2]]);
    expect(bots.map((b) => b.services.feedback.constructor.name)).toEqual(['PgFeedbackStore', 'PgFeedbackStore']);
    for (const lines of logs) expect(lines.join('')).not.toMatch(/without DATABASE_URL/);
  });

  it('a user allowed 3 questions a minute gets 3 across both shards', async () => {
    const user = makeUser();
    const answers = [];
    for (const guild of ['A', 'B', 'A', 'B'] as const) answers.push(await ask(guild, '镍主要分布在哪些国家？', user));
    // each guild's events reached only its shard's process
    const shardsOf = (guildId: string) => server.deliveries.filter((d) => d.t === 'INTERACTION_CREATE' && d.guildId === guildId).map((d) => d.shards);
    expect(shardsOf(server.guildId)).toEqual([[0], [0]]);
    expect(shardsOf(guildB.guildId)).toEqual([[1], [1]]);
    expect(answers.slice(0, 3).map((a) => a.callback.body.type)).toEqual([5, 5, 5]);
    // the 4th, the second on shard 1's process, is refused because of the two answered on shard 0
    expect(answers[3].callback.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(answers[3].callback.body.data.content).toMatch(/\d+/);
  });

  it('votes cast on both shards land in one bot_feedback table', async () => {
    const user = makeUser();
    const voted: string[] = [];
    for (const guild of ['A', 'B'] as const) {
      const { payload, edit } = await ask(guild, '什么是选择性脱钩？', user);
      const up = (edit!.body.components[0].components as any[]).find((c) => c.custom_id.startsWith(CUSTOM_ID.voteUp)).custom_id as string;
      const channelId = guild === 'A' ? server.channelId : guildB.channelId;
      const click = buttonClick(server, user, up, server.makeMessage(channelId, edit!.body));
      const onGuild = guild === 'A' ? click : { ...click, guild_id: guildB.guildId, channel_id: guildB.channelId, channel: { ...click.channel, id: guildB.channelId, guild_id: guildB.guildId } };
      const since = server.calls.length;
      server.dispatch('INTERACTION_CREATE', onGuild);
      const thanks = await server.waitForCall(isCallback(onGuild.id), { since });
      expect(thanks.body).toMatchObject({ type: 4, data: { flags: 64 } });
      voted.push(payload.id);
    }
    const rows = async () => (await admin.query('SELECT interaction, value FROM bot_feedback WHERE interaction = ANY($1) ORDER BY interaction', [voted])).rows;
    await until(async () => (await rows()).length === 2, 'both votes in bot_feedback');
    expect(await rows()).toEqual(voted.sort().map((interaction) => ({ interaction, value: 1 })));
  });
});
