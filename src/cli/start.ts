import type { Dirs } from './options.js';
import { openLibrarian } from './open.js';
import { runChat } from './chat.js';

/**
 * `npm start`: index first (built if missing or stale; with DATABASE_URL the published one, never built here — see
 * servePublished), then Discord when a token is set, else the terminal chat.
 */
export async function runStart(dirs: Dirs): Promise<void> {
  // the bot's settings are read before the index loads: a malformed one (SHARD_COUNT=two) is a one-line error at once
  const bot = process.env.DISCORD_TOKEN ? await import('../bot/client.js') : undefined;
  const botOptions = bot?.botOptionsFromEnv();
  const librarian = await openLibrarian(dirs);
  if (!bot || !botOptions) {
    console.log('No DISCORD_TOKEN set: starting the terminal chat. Set DISCORD_TOKEN (and DISCORD_APPLICATION_ID) in .env or the environment to run the Discord bot.');
    await runChat(librarian);
    return;
  }
  const { startBot, createBotLogger } = bot;
  const logger = createBotLogger();
  // a re-ingest (`lodestone ingest --watch` in another shell) is picked up without a restart
  librarian.watch();
  // startBot handles SIGINT/SIGTERM: replies in flight finish, then the client closes
  // SHARD_COUNT / SHARD_IDS in botOptions run this process's gateway shards (src/bot/shards.ts says why in-process)
  await startBot({ librarian, logger, ...botOptions });
}

export async function runDeployCommands(): Promise<void> {
  const { deployCommands, botOptionsFromEnv } = await import('../bot/client.js');
  const options = botOptionsFromEnv();
  if (!options.token || !options.applicationId) {
    throw Object.assign(new Error('deploy-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID'), { name: 'UserInputError' });
  }
  const result = await deployCommands({ token: options.token, applicationId: options.applicationId, guildId: options.guildId, apiUrl: options.apiUrl });
  console.log(`registered ${result.count} commands (${result.scope})`);
}
