/**
 * Sharding with the real discord.js client against the local Discord-compatible server, which routes a
 * guild's events to the shard Discord would ((guild_id >> 22) % count): two guilds, one on each of 2 shards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Events } from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskOptions } from '../../src/service/librarian-api.js';
import { createLibrarian, type LibrarianService } from '../../src/service/librarian.js';
import { startBot, type RunningBot } from '../../src/bot/client.js';
import { shardPlanFromEnv, type ShardPlan } from '../../src/bot/shards.js';
import { REPO_CORPUS_DIR } from '../support/paths.js';
import { guildIdOnShard, shardOfGuild, startDiscordServer, type FakeDiscordServer } from '../support/discord-server.js';
import { makeUser, slashCommand } from '../support/discord-payloads.js';
import { discordSchema, SCHEMA_SKIP_REASON } from './discord-schema.js';
import { isCallback, isEdit, recording } from './e2e-helpers.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.shards.never-logged';
const UNSHARED = /without DATABASE_URL: per-user rate limits, thread memory and feedback are per process/;

let real: LibrarianService;
let work: string;
const servers: FakeDiscordServer[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lodestone-shards-'));
  real = await createLibrarian({ corpusDir: REPO_CORPUS_DIR, indexDir: join(work, 'index'), model: 'corpus', composer: null });
}, 180_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await real?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A server with guild A on shard 0 and guild B on shard 1 (of 2). */
async function twoGuildServer(options: { recommendedShards?: number } = {}) {
  // max_concurrency 2 lets both shards identify at once (with 1, discord.js spaces identifies 5 s apart)
  const server = await startDiscordServer({ guildId: guildIdOnShard(0, 2), maxConcurrency: 2, ...options });
  servers.push(server);
  const b = server.addGuild(guildIdOnShard(1, 2));
  return { server, a: { guildId: server.guildId, channelId: server.channelId }, b };
}

interface Bot {
  bot: RunningBot;
  asked: { question: string; options?: AskOptions }[];
  logs: string[];
  /** Interaction id → the shard discord.js received it on. */
  receivedOn: Map<string, number>;
}

async function startShardedBot(server: FakeDiscordServer, shards: ShardPlan | undefined, name: string): Promise<Bot> {
  const asked: Bot['asked'] = [];
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const bot = await startBot({
    librarian: recording(real, asked),
    token: TOKEN,
    apiUrl: server.apiUrl,
    guildId: server.guildId,
    feedbackDb: join(work, `${name}.sqlite`),
    logger: pino({ level: 'info' }, stream),
    handleSignals: false,
    shards,
  });
  const receivedOn = new Map<string, number>();
  bot.client.on(Events.Raw, (packet: any, shardId: number) => {
    if (packet.t === 'INTERACTION_CREATE') receivedOn.set(packet.d.id, shardId);
  });
  return { bot, asked, logs, receivedOn };
}

/** /ask in a guild; resolves once it is answered (deferred, then edited). */
async function askIn(server: FakeDiscordServer, guild: { guildId: string; channelId: string }, question: string) {
  const base = slashCommand(server, makeUser(), 'ask', { question }, guild.channelId);
  const payload = { ...base, guild_id: guild.guildId, channel: { ...base.channel, guild_id: guild.guildId }, authorizing_integration_owners: { '0': guild.guildId } };
  const since = server.calls.length;
  server.dispatch('INTERACTION_CREATE', payload);
  const callback = await server.waitForCall(isCallback(payload.id), { since, timeoutMs: 30_000 });
  const edit = await server.waitForCall(isEdit(payload.token), { since, timeoutMs: 30_000 });
  return { payload, callback, edit };
}

const shardsOf = (server: FakeDiscordServer) => server.identifies.map((i) => i.shard).sort((x, y) => x[0] - y[0]);

describe('sharding (SHARD_COUNT, SHARD_IDS)', () => {
  it('the guild ids the test server routes by fall on the shards intended', async () => {
    expect(shardOfGuild(guildIdOnShard(0, 2), 2)).toBe(0);
    expect(shardOfGuild(guildIdOnShard(1, 2), 2)).toBe(1);
    expect(shardOfGuild(guildIdOnShard(2, 3), 3)).toBe(2);
  });

  it('SHARD_COUNT=auto: one process identifies each of the 2 recommended shards with [id, count]; a guild\'s events reach only its shard; both answer', async () => {
    const { server, a, b } = await twoGuildServer({ recommendedShards: 2 });
    const one = await startShardedBot(server, shardPlanFromEnv({ SHARD_COUNT: 'auto' }), 'auto');
    try {
      expect(shardsOf(server)).toEqual([[0, 2], [1, 2]]);
      const inA = await askIn(server, a, '什么是选择性脱钩？');
      const inB = await askIn(server, b, 'What is friend-shoring?');
      for (const { callback, edit } of [inA, inB]) {
        expect(callback.body.type).toBe(5);
        expect(edit.body.embeds[0].description).toMatch(/\S/);
      }
      // what discord.js received each interaction on, and where the server sent it
      expect(one.receivedOn.get(inA.payload.id)).toBe(0);
      expect(one.receivedOn.get(inB.payload.id)).toBe(1);
      const delivered = (id: string) => server.deliveries.filter((d) => d.t === 'INTERACTION_CREATE' && d.guildId === id).map((d) => d.shards);
      expect(delivered(a.guildId)).toEqual([[0]]);
      expect(delivered(b.guildId)).toEqual([[1]]);
      // both guilds in this process's cache, each from its own shard
      expect(one.bot.client.guilds.cache.get(a.guildId)?.shardId).toBe(0);
      expect(one.bot.client.guilds.cache.get(b.guildId)?.shardId).toBe(1);
      // all shards in one process share its rate limiter and state: nothing to warn about
      expect(one.logs.join('')).not.toMatch(UNSHARED);
    } finally {
      await one.bot.stop();
    }
  });

  it('SHARD_COUNT=2 with SHARD_IDS=0 and =1: two processes split the bot, each answering only its guilds; commands registered once; each warns once that its state is its own', async () => {
    const { server, a, b } = await twoGuildServer();
    const first = await startShardedBot(server, shardPlanFromEnv({ SHARD_COUNT: '2', SHARD_IDS: '0' }), 'first');
    const second = await startShardedBot(server, shardPlanFromEnv({ SHARD_COUNT: '2', SHARD_IDS: '1' }), 'second');
    try {
      expect(shardsOf(server)).toEqual([[0, 2], [1, 2]]);
      expect(first.bot.client.guilds.cache.map((g) => g.id)).toEqual([a.guildId]);
      expect(second.bot.client.guilds.cache.map((g) => g.id)).toEqual([b.guildId]);

      const inA = await askIn(server, a, '美国在关键矿物领域对华采取了哪些脱钩措施？');
      const inB = await askIn(server, b, '中国对稀土出口有哪些管制？');
      expect(inA.edit.body.embeds[0].description).toMatch(/\[\d+\]/);
      expect(inB.edit.body.embeds[0].description).toMatch(/\S/);
      expect(first.asked.map((q) => q.question)).toEqual(['美国在关键矿物领域对华采取了哪些脱钩措施？']);
      expect(second.asked.map((q) => q.question)).toEqual(['中国对稀土出口有哪些管制？']);

      const registrations = server.calls.filter((c) => c.method === 'PUT' && c.path.endsWith('/commands'));
      expect(registrations).toHaveLength(1);
      for (const bot of [first, second]) expect(bot.logs.join('').match(new RegExp(UNSHARED, 'g'))).toHaveLength(1);
    } finally {
      await first.bot.stop();
      await second.bot.stop();
    }
  });

  it.skipIf(!discordSchema())(`every REST body the shards sent validates against Discord's OpenAPI schema${discordSchema() ? '' : ` (skipped: ${SCHEMA_SKIP_REASON})`}`, () => {
    const sent = servers.flatMap((s) => s.calls).filter((c) => c.method !== 'GET');
    expect(sent.length).toBeGreaterThan(6);
    const problems = sent.flatMap((c) => discordSchema()!.violations(c));
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
