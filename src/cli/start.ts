import pino from 'pino';
import type { Dirs } from './options.js';
import { openLibrarian } from './open.js';
import { runChat } from './chat.js';

function botSettings(env: NodeJS.ProcessEnv = process.env) {
  return {
    token: env.DISCORD_TOKEN ?? '',
    applicationId: env.DISCORD_APPLICATION_ID || undefined,
    guildId: env.DISCORD_GUILD_ID || undefined,
    apiUrl: env.DISCORD_API_URL || undefined,
    allowedChannelIds: (env.ALLOWED_CHANNEL_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    ratePerMinute: env.RATE_LIMIT_PER_MINUTE ? Number(env.RATE_LIMIT_PER_MINUTE) : undefined,
    feedbackDb: env.FEEDBACK_DB || undefined,
  };
}

/** `npm start`: index first (built if missing or stale), then Discord when a token is set, else the terminal chat. */
export async function runStart(dirs: Dirs): Promise<void> {
  const settings = botSettings();
  const librarian = await openLibrarian(dirs);
  if (!settings.token) {
    console.log('No DISCORD_TOKEN set: starting the terminal chat. Set DISCORD_TOKEN (and DISCORD_APPLICATION_ID) in .env or the environment to run the Discord bot.');
    await runChat(librarian);
    return;
  }
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' } });
  const { startBot } = await import('../bot/client.js');
  librarian.watch?.();
  const bot = await startBot({ librarian, logger, ...settings });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing replies in flight');
    await bot.stop();
    await librarian.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

export async function runDeployCommands(): Promise<void> {
  const settings = botSettings();
  if (!settings.token || !settings.applicationId) throw Object.assign(new Error('deploy-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID'), { name: 'UserInputError' });
  const { deployCommands } = await import('../bot/client.js');
  const result = await deployCommands({ ...settings, applicationId: settings.applicationId });
  console.log(`registered ${result.count} commands ${settings.guildId ? `in guild ${settings.guildId}` : 'globally'}`);
}
