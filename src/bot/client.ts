/**
 * The Discord client: connects, registers the commands, dispatches interactions and mentions, and shuts down cleanly.
 * Discord code lives only in src/bot; everything else goes through the Librarian.
 */
import { Client, Events, type ChatInputCommandInteraction, GatewayIntentBits, MessageFlags, Partials, PermissionFlagsBits, REST, Routes, type Interaction, type Message } from 'discord.js';
import { once } from 'node:events';
import pino, { type Logger } from 'pino';
import type { Librarian } from '../service/librarian-api.js';
import { UserInputError } from '../core/errors.js';
import { commandPayload, loadCommands } from './commands/index.js';
import { handleButton, handleSelect } from './components.js';
import { LruMap } from './lru.js';
import { handleMessage } from './mentions.js';
import { phrasesFor } from './phrases.js';
import { feedbackVotes, guildScope, loggingLibrarian } from './questionLog.js';
import { langOf, NO_MENTIONS, replyEphemeral, withScript } from './respond.js';
import { effectiveSettings, type BotServices } from './services.js';
import { clientShardOptions, runsFirstShard, shardPlanFromEnv, unsharedStateWarning, type ShardPlan } from './shards.js';
import { openBotState, type BotState, type ThreadMemoryLimits } from './state.js';

export interface StartBotOptions {
  librarian: Librarian;
  token: string;
  /** Defaults to the application id the gateway reports in READY. */
  applicationId?: string;
  /** Register the commands in this guild only (instant updates); otherwise globally. */
  guildId?: string;
  /** REST base URL (`DISCORD_API_URL`), passed to discord.js as `rest.api`; it appends `/v10/...`. */
  apiUrl?: string;
  /** Defaults for every server; a server's /config settings take precedence. */
  allowedChannelIds?: string[];
  ratePerMinute?: number;
  publicAnswers?: boolean;
  /** The bot's SQLite state (votes, /config settings, thread memory); FEEDBACK_DB. Unused with `databaseUrl`. */
  feedbackDb?: string;
  /** DATABASE_URL: all of the bot's state in PostgreSQL, shared by every worker (src/bot/pgState.ts). */
  databaseUrl?: string;
  /** State opened by the caller (e.g. to check DATABASE_URL before loading the index); closed by stop(). */
  state?: BotState;
  threadMemory?: Partial<ThreadMemoryLimits>;
  logger?: Logger;
  /** SHARD_COUNT / SHARD_IDS: the gateway shards this process runs (src/bot/shards.ts); default one shard. */
  shards?: ShardPlan;
  /** Register commands on start (default true; only the process running shard 0 does when sharded). */
  registerCommands?: boolean;
  /** Stop on SIGINT/SIGTERM and exit (default true; tests pass false). */
  handleSignals?: boolean;
  /** How long stop() waits for replies in flight (default 15 s). */
  drainTimeoutMs?: number;
}

export interface RunningBot {
  client: Client;
  services: BotServices;
  stop(): Promise<void>;
}

/** pino with the token's usual hiding places redacted; the token is also never put in a message. */
export function createBotLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: 'lodestone-bot',
    level,
    redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'authorization'], censor: '[redacted]' },
  });
}

/** Options from the environment (the variables in .env.example). */
export function botOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<StartBotOptions, 'librarian'> {
  const list = (env.ALLOWED_CHANNEL_IDS ?? '').split(/[\s,]+/).filter(Boolean);
  const rate = Number(env.RATE_LIMIT_PER_MINUTE);
  return {
    token: env.DISCORD_TOKEN ?? '',
    applicationId: env.DISCORD_APPLICATION_ID || undefined,
    guildId: env.DISCORD_GUILD_ID || undefined,
    apiUrl: env.DISCORD_API_URL || undefined,
    allowedChannelIds: list.length ? list : undefined,
    ratePerMinute: Number.isFinite(rate) && rate > 0 ? rate : undefined,
    feedbackDb: env.FEEDBACK_DB || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    shards: shardPlanFromEnv(env),
  };
}

async function registerCommands(rest: REST, applicationId: string, guildId?: string): Promise<number> {
  const body = await commandPayload();
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body });
  return body.length;
}

/** `npx lodestone deploy-commands`: registers the slash commands without starting the bot. */
export async function deployCommands(opts: { token: string; applicationId: string; guildId?: string; apiUrl?: string }): Promise<{ count: number; scope: string }> {
  const rest = new REST(opts.apiUrl ? { api: opts.apiUrl } : {}).setToken(opts.token);
  const count = await registerCommands(rest, opts.applicationId, opts.guildId);
  return { count, scope: opts.guildId ? `guild ${opts.guildId}` : 'global' };
}

/** Error details safe to log: never the token, even if some library put it in a message. */
function loggableError(error: unknown, token: string): Record<string, unknown> {
  const scrub = (s: string | undefined) => (s && token ? s.split(token).join('[redacted]') : s);
  const e = error as { name?: string; message?: string; stack?: string; code?: unknown; status?: unknown };
  return { name: e?.name, message: scrub(e?.message ?? String(error)), code: e?.code, status: e?.status, stack: scrub(e?.stack) };
}

/** The first string option's value (the question or query), for answering in its language. */
function firstText(interaction: ChatInputCommandInteraction): string | undefined {
  const option = [...interaction.options.data, ...interaction.options.data.flatMap((o) => o.options ?? [])].find((o) => typeof o.value === 'string');
  return option?.value as string | undefined;
}

/** Whether a failed REST call was the edit of the deferred reply itself (then reporting by editing again is futile). */
function failedEditingReply(error: unknown): boolean {
  const e = error as { method?: string; url?: string };
  return String(e?.method ?? '').toUpperCase() === 'PATCH' && String(e?.url ?? '').includes('/messages/@original');
}

export async function startBot(opts: StartBotOptions): Promise<RunningBot> {
  if (!opts.token) throw new UserInputError('DISCORD_TOKEN is not set.');
  const logger = opts.logger ?? createBotLogger();
  const state = opts.state ?? (await openBotState({ databaseUrl: opts.databaseUrl, feedbackDb: opts.feedbackDb, threadMemory: opts.threadMemory, ratePerMinute: opts.ratePerMinute, logger }));
  logger.info({ backend: state.backend }, 'bot state opened');
  const unshared = unsharedStateWarning(opts.shards, state.backend === 'postgres');
  if (unshared) logger.warn(unshared);
  // every question answered or refused is logged (/report); the votes are a bounded prior in retrieval
  const questions = state.questions;
  const librarian = loggingLibrarian(opts.librarian, questions, (error) => logger.warn({ err: loggableError(error, opts.token) }, 'question not logged'));
  opts.librarian.useFeedback?.(feedbackVotes(state.feedback));
  const services: BotServices = {
    librarian,
    questions,
    feedback: state.feedback,
    rateLimiter: state.rateLimiter,
    threads: state.threads,
    settings: state.settings,
    defaults: { allowedChannelIds: opts.allowedChannelIds ?? [], ratePerMinute: opts.ratePerMinute ?? 6, publicAnswers: opts.publicAnswers ?? false },
    answers: new LruMap(2_000),
    logger,
  };
  const commands = await loadCommands();

  const client = new Client({
    // MessageContent is a privileged intent: enable it for the application in the Developer Portal,
    // or mentions arrive with empty content. DirectMessages + Partials.Channel make DMs reach us.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent],
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    ...(opts.apiUrl ? { rest: { api: opts.apiUrl } } : {}),
    ...clientShardOptions(opts.shards),
  });

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const onInteraction = async (interaction: Interaction): Promise<void> => {
    const started = Date.now();
    const name = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isMessageComponent() ? interaction.customId : String(interaction.type);
    try {
      if (interaction.isAutocomplete()) {
        const command = commands.get(interaction.commandName);
        if (command?.autocomplete) await command.autocomplete(interaction, services);
        else await interaction.respond([]);
        return;
      }
      if (!interaction.isRepliable()) return;
      const settings = await effectiveSettings(services, interaction.guildId);
      const phrases = phrasesFor(withScript(langOf(interaction, interaction.isChatInputCommand() ? firstText(interaction) : undefined), settings.script));
      if (stopping) return void (await replyEphemeral(interaction, phrases.shuttingDown));
      const command = interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand() ? commands.get(interaction.commandName) : undefined;
      if (command?.admin) {
        // Discord hides admin commands from members without Manage Guild (default permissions), but a server
        // can override that: the permission is checked again here
        if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return void (await replyEphemeral(interaction, phrases.adminOnly));
      } else if (settings.channels.length && interaction.inGuild()) {
        const channel = interaction.channel;
        const channelId = channel?.isThread() ? (channel.parentId ?? interaction.channelId) : interaction.channelId;
        if (!channelId || !settings.channels.includes(channelId)) return void (await replyEphemeral(interaction, phrases.notAllowedHere));
      }
      if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
        if (!command) return void (await replyEphemeral(interaction, phrases.error));
        if (command.rateLimited) {
          const limit = await services.rateLimiter.take(interaction.user.id, settings.ratePerMinute);
          if (!limit.ok) return void (await replyEphemeral(interaction, phrases.rateLimited(Math.ceil(limit.retryAfterMs / 1000))));
        }
        await command.execute(interaction, services);
      } else if (interaction.isButton()) {
        await handleButton(interaction, services);
      } else if (interaction.isStringSelectMenu()) {
        await handleSelect(interaction, services);
      }
      logger.debug({ interaction: interaction.id, name, ms: Date.now() - started }, 'interaction answered');
    } catch (error) {
      logger.error({ err: loggableError(error, opts.token), interaction: interaction.id, name }, 'interaction failed');
      if (!interaction.isRepliable()) return;
      const message = error instanceof UserInputError ? error.message : phrasesFor(langOf(interaction)).error;
      const report =
        failedEditingReply(error) && interaction.deferred && !interaction.replied
          ? // the "thinking…" reply cannot be edited even after discord.js's retries: a short follow-up instead
            interaction.followUp({ content: message, allowedMentions: NO_MENTIONS, ...(interaction.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) })
          : replyEphemeral(interaction, message);
      await report.catch((e) => logger.warn({ err: loggableError(e, opts.token) }, 'could not report the error'));
    }
  };

  const onMessage = async (message: Message): Promise<void> => {
    if (stopping) return;
    try {
      await handleMessage(message, services);
    } catch (error) {
      logger.error({ err: loggableError(error, opts.token), message: message.id, channel: message.channelId }, 'mention failed');
      const text = error instanceof UserInputError ? error.message : phrasesFor(langOf(message as never, message.content)).error;
      await message.reply({ content: text, allowedMentions: NO_MENTIONS }).catch(() => undefined);
    }
  };

  // the same event delivered twice (a resume, or to two workers) is answered once: by whoever claims its id first
  const firstClaim = async (id: string): Promise<boolean> => {
    try {
      return await state.seen.claim(id);
    } catch (error) {
      logger.warn({ err: loggableError(error, opts.token), id }, 'could not claim the event id; answering it');
      return true;
    }
  };
  client.on(Events.InteractionCreate, (interaction) => {
    track(
      guildScope.run(interaction.guildId ?? null, async () => {
        if (await firstClaim(`i${interaction.id}`)) await onInteraction(interaction);
      }),
    );
  });
  client.on(Events.MessageCreate, (message) => {
    track(
      guildScope.run(message.guildId ?? null, async () => {
        if (await firstClaim(`m${message.id}`)) await onMessage(message);
      }),
    );
  });
  client.on(Events.Error, (error) => logger.error({ err: loggableError(error, opts.token) }, 'client error'));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ code: event.code, shard }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shard) => logger.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(opts.token);
    await ready;
  } catch (error) {
    // a refused token or an unreachable gateway: nothing may keep the process alive (an open database pool would)
    await client.destroy();
    await state.close();
    throw error;
  }
  const applicationId = opts.applicationId ?? client.application?.id ?? client.user!.id;
  if (opts.registerCommands !== false && runsFirstShard(opts.shards)) {
    const count = await registerCommands(client.rest, applicationId, opts.guildId);
    logger.info({ count, scope: opts.guildId ? 'guild' : 'global' }, 'slash commands registered');
  }
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size, shards: [...client.ws.shards.keys()], shardCount: client.options.shardCount }, 'bot ready');

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      const drain = Promise.allSettled([...inFlight]);
      const timeout = new Promise((resolve) => setTimeout(resolve, opts.drainTimeoutMs ?? 15_000).unref());
      await Promise.race([drain, timeout]);
      await client.destroy();
      opts.librarian.useFeedback?.(undefined); // its store closes next
      await state.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      logger.info('bot stopped');
    })();
    return stopped;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'finishing replies in flight, then closing');
    void stop().then(() => process.exit(0));
  };
  if (opts.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { client, services, stop };
}
