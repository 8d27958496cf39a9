/** What every command handler receives: the shared Librarian plus the bot's own stores (async: SQLite/memory or PostgreSQL, src/bot/state.ts). */
import type { Logger } from 'pino';
import type { Librarian } from '../service/librarian-api.js';
import type { FeedbackStore } from './feedback.js';
import type { LruMap, RememberedAnswer } from './lru.js';
import type { QuestionLog } from './questionLog.js';
import type { RateLimiter } from './rateLimit.js';
import type { GuildSettings, GuildSettingsStore, ThreadMemory } from './state.js';

/** The defaults a server's /config settings fall back to (from the environment). */
export interface BotDefaults {
  /** ALLOWED_CHANNEL_IDS: when set, guild messages and commands are answered only there. */
  allowedChannelIds: string[];
  ratePerMinute: number;
  publicAnswers: boolean;
}

export interface BotServices {
  librarian: Librarian;
  feedback: FeedbackStore;
  rateLimiter: RateLimiter;
  /** Threads the bot answers in, with their recent turns (SQLite or PostgreSQL: survives a restart). */
  threads: ThreadMemory;
  settings: GuildSettingsStore;
  /** Every question answered or refused, per server (bounded, expiring): what /report reads. */
  questions: QuestionLog;
  defaults: BotDefaults;
  /** What the buttons under an answer need later (bounded, in memory; recovered from the message after a restart). */
  answers: LruMap<RememberedAnswer>;
  logger: Logger;
}

/** A server's settings with the environment's defaults filled in. */
export interface EffectiveSettings extends Required<Omit<GuildSettings, 'channels'>> {
  /** Where mentions and commands are answered; empty = everywhere. */
  channels: string[];
}

export async function effectiveSettings(services: BotServices, guildId: string | null | undefined): Promise<EffectiveSettings> {
  const own = await services.settings.get(guildId);
  return {
    channels: own.channels.length ? own.channels : services.defaults.allowedChannelIds,
    forums: own.forums,
    publicAnswers: own.publicAnswers ?? services.defaults.publicAnswers,
    ratePerMinute: own.ratePerMinute ?? services.defaults.ratePerMinute,
    script: own.script,
  };
}
