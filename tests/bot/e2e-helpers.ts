/** What the bot e2e tests share: a Librarian that records the questions the bot asks, and matchers for its REST calls. */
import type { AskOptions, Librarian } from '../../src/service/librarian-api.js';
import type { RecordedCall } from '../support/discord-server.js';

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
