/** What the bot e2e tests share: a Librarian that records the questions the bot asks, and matchers for its REST calls. */
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { startBot, type RunningBot, type StartBotOptions } from '../../src/bot/client.js';
import type { AskOptions, Librarian } from '../../src/service/librarian-api.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import { startDiscordServer, type FakeDiscordServer, type RecordedCall } from '../support/discord-server.js';
import { makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from '../support/workspace.js';

/** `librarian` with its questions pushed to `asked`, so tests can see what the bot asked. */
export function recording(librarian: Librarian, asked: { question: string; options?: AskOptions }[]): Librarian {
  return new Proxy(librarian, {
    get(target, prop) {
      if (prop === 'ask') {
        return (question: string, options?: AskOptions) => {
          asked.push({ question, options });
          return target.ask(question, options);
        };
      }
      const value = (target as any)[prop];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The interaction's callback (POST /interactions/:id/:token/callback). */
export const isCallback = (interactionId: string) => (c: RecordedCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${interactionId}/`);
/** An edit of the interaction's original reply. */
export const isEdit = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`);

/** What withWorkspaceBot fills in before a file's tests run. */
export interface WorkspaceBot {
  ws: Workspace;
  server: FakeDiscordServer;
  bot: RunningBot;
  librarian: LibrarianService;
}

/**
 * A bot over a private copy of the corpus (tests may add and remove documents) for one test file: the local
 * Discord-compatible server and the real client started before its tests, everything stopped and removed after.
 */
export function withWorkspaceBot(prefix: string, token: string, extra: Partial<StartBotOptions> = {}, asked?: { question: string; options?: AskOptions }[]): WorkspaceBot {
  const handle = {} as WorkspaceBot;
  beforeAll(async () => {
    handle.ws = makeWorkspace(prefix);
    handle.librarian = await openLibrarian(handle.ws);
    handle.server = await startDiscordServer();
    handle.bot = await startBot({
      // with `asked`, the questions the bot asks are recorded there
      librarian: asked ? recording(handle.librarian, asked) : handle.librarian,
      token,
      apiUrl: handle.server.apiUrl,
      guildId: handle.server.guildId,
      feedbackDb: path.join(handle.ws.root, 'feedback.sqlite'),
      logger: pino({ level: 'silent' }),
      handleSignals: false,
      ...extra,
    });
  }, 180_000);
  afterAll(async () => {
    await handle.bot?.stop();
    await handle.server?.close();
    await handle.librarian?.close();
    removeWorkspace(handle.ws);
  });
  return handle;
}
