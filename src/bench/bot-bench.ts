import type { Librarian } from '../service/librarian-api.js';
import { percentile, round } from './stats.js';

export interface BotFigures {
  concurrency: number;
  /** Gateway dispatch → the interaction callback (deferReply) reaching the server. */
  ackP95Ms: number;
  ackMaxMs: number;
  /** Gateway dispatch → the deferred reply edited with the answer. */
  replyP50Ms: number;
  replyP95Ms: number;
  /** Interactions that got no answer edit within the timeout. */
  failed: number;
  /** Why the first failed one failed. */
  firstError?: string;
}

/** The local Discord-compatible server, when its `ws` (a devDependency) is installed. */
async function loadDiscordServer() {
  try {
    return { ...(await import('./discord-server.js')), ...(await import('./discord-payloads.js')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new Error('the local Discord server needs ws (a devDependency): npm install --include=dev');
    throw error;
  }
}

/**
 * N concurrent /ask through the real discord.js client and the local Discord-compatible server (the one the
 * tests use), each from a different user so the per-user rate limit does not kick in.
 */
export async function benchBot(librarian: Librarian, questions: string[], levels: number[]): Promise<BotFigures[]> {
  const { startDiscordServer, makeUser, slashCommand } = await loadDiscordServer();
  const { startBot, createBotLogger } = await import('../bot/client.js');
  const server = await startDiscordServer();
  const bot = await startBot({
    librarian,
    token: 'bench.token.never-sent-anywhere',
    apiUrl: server.apiUrl,
    guildId: server.guildId,
    logger: createBotLogger(process.env.LODESTONE_BENCH_BOT_LOG ?? 'silent'),
    handleSignals: false,
    feedbackDb: ':memory:',
  });
  try {
    await server.waitForSession(0);
    // the bot is ready once it has registered its commands
    await server.waitForCall((c) => c.method === 'PUT' && c.path.endsWith('/commands'), { timeoutMs: 20_000 });
    const figures: BotFigures[] = [];
    let asked = 0;
    for (const n of levels) {
      const since = server.calls.length;
      const payloads = Array.from({ length: n }, () => slashCommand(server, makeUser(`bench${asked}`), 'ask', { question: questions[asked++ % questions.length] }));
      let firstError: string | undefined;
      const sentAt = Date.now();
      for (const p of payloads) server.dispatch('INTERACTION_CREATE', p);
      const outcomes = await Promise.all(
        payloads.map(async (p) => {
          try {
            const ack = await server.waitForCall((c) => c.method === 'POST' && c.path.startsWith(`/interactions/${p.id}/`), { since, timeoutMs: 30_000 });
            const edit = await server.waitForCall((c) => c.method === 'PATCH' && c.path.includes(`/${p.token}/messages/@original`), { since, timeoutMs: 60_000 });
            return { ackMs: ack.at - sentAt, replyMs: edit.at - sentAt };
          } catch (error) {
            firstError ??= (error as Error).message.split('\n')[0].slice(0, 200);
            return undefined;
          }
        }),
      );
      const ok = outcomes.filter((o): o is { ackMs: number; replyMs: number } => Boolean(o));
      const acks = ok.map((o) => o.ackMs);
      const replies = ok.map((o) => o.replyMs);
      figures.push({
        concurrency: n,
        ackP95Ms: round(percentile(acks, 95), 1),
        ackMaxMs: acks.length ? round(Math.max(...acks), 1) : Number.NaN,
        replyP50Ms: round(percentile(replies, 50), 1),
        replyP95Ms: round(percentile(replies, 95), 1),
        failed: n - ok.length,
        ...(firstError ? { firstError } : {}),
      });
    }
    return figures;
  } finally {
    await bot.stop();
    await server.close();
  }
}
