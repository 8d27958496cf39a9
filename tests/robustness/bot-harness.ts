/**
 * The real bot (discord.js) against the local Discord-compatible server, answering from a real index, plus
 * what the robustness tests watch: unhandled rejections, the log, and every REST payload the bot sent.
 */
import { Writable } from 'node:stream';
import path from 'node:path';
import pino from 'pino';
import { startBot, type RunningBot } from '../../src/bot/client.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import { startDiscordServer, type FakeDiscordServer, type RecordedCall } from '../support/discord-server.js';
import { slashCommand, makeUser } from '../support/discord-payloads.js';
import { discordViolations, makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from './support.js';

export const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.robustness-token.never-logged-q9z';

export interface Harness {
  ws: Workspace;
  librarian: LibrarianService;
  server: FakeDiscordServer;
  bot: RunningBot;
  logLines: string[];
  /** Unhandled rejections and uncaught exceptions seen while the harness ran. */
  unhandled: unknown[];
  close(): Promise<void>;
}

export async function startHarness(prefix: string, options: { ratePerMinute?: number } = {}): Promise<Harness> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  const ws = makeWorkspace(prefix);
  const librarian = await openLibrarian(ws);
  const server = await startDiscordServer();
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const bot = await startBot({
    librarian,
    token: TOKEN,
    apiUrl: server.apiUrl,
    guildId: server.guildId,
    feedbackDb: path.join(ws.root, 'data', 'feedback.sqlite'),
    logger: pino({ level: 'debug' }, logStream),
    handleSignals: false,
    ratePerMinute: options.ratePerMinute ?? 10_000,
    drainTimeoutMs: 5_000,
  });
  return {
    ws,
    librarian,
    server,
    bot,
    logLines,
    unhandled,
    async close() {
      await bot.stop();
      await server.close();
      await librarian.close();
      removeWorkspace(ws);
      // let late rejections surface before the listeners go
      await new Promise((r) => setTimeout(r, 50));
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
    },
  };
}

export const isCallback = (interactionId: string) => (c: RecordedCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${interactionId}/`);
export const isEdit = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`);
export const isFollowUp = (token: string) => (c: RecordedCall) => c.method === 'POST' && c.path.endsWith(`/webhooks/${c.path.split('/')[2]}/${token}`);

/** The message-bearing part of a REST call (callback data, webhook edit/follow-up, channel message), if any. */
export function messageBody(call: RecordedCall): any | undefined {
  if (!call.body || typeof call.body !== 'object') return undefined;
  if (call.path.startsWith('/interactions/')) return call.body.type === 4 || call.body.type === 7 ? call.body.data : undefined;
  if (call.path.startsWith('/webhooks/') && (call.method === 'PATCH' || call.method === 'POST')) return call.body;
  if (/^\/channels\/\d+\/messages$/.test(call.path) && call.method === 'POST') return call.body;
  return undefined;
}

/** Problems with what the bot sent: a message that could ping, or one over Discord's limits. */
export function payloadProblems(calls: RecordedCall[]): string[] {
  const problems: string[] = [];
  for (const call of calls) {
    const body = messageBody(call);
    if (call.path.startsWith('/interactions/') && call.body?.type === 8) {
      const choices = call.body.data?.choices ?? [];
      if (choices.length > 25) problems.push(`${call.path}: ${choices.length} autocomplete choices`);
      for (const c of choices) if (!c.name || c.name.length > 100 || String(c.value).length > 100) problems.push(`${call.path}: bad choice ${JSON.stringify(c).slice(0, 80)}`);
    }
    if (!body) continue;
    const parse = body.allowed_mentions?.parse;
    if (!Array.isArray(parse) || parse.length > 0) problems.push(`${call.method} ${call.path}: allowed_mentions ${JSON.stringify(body.allowed_mentions)}`);
    const violations = discordViolations({ content: body.content ?? undefined, embeds: body.embeds ?? [], components: body.components ?? [] });
    // an edit may legitimately clear a message to content only; an empty body is not a limit problem
    for (const v of violations) if (!v.startsWith('message has neither')) problems.push(`${call.method} ${call.path}: ${v}`);
  }
  return problems;
}

/** Dispatches /ask and resolves with its first callback and (when deferred) the edit that carries the answer. */
export async function ask(server: FakeDiscordServer, question: string, user = makeUser(), timeoutMs = 30_000) {
  const payload = slashCommand(server, user, 'ask', { question });
  const since = server.calls.length;
  server.dispatch('INTERACTION_CREATE', payload);
  const callback = await server.waitForCall(isCallback(payload.id), { since, timeoutMs });
  const edit = callback.body.type === 5 ? await server.waitForCall(isEdit(payload.token), { since, timeoutMs }) : undefined;
  return { payload, callback, edit, since };
}

export { removeWorkspace };
