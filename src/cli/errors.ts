import { UserInputError } from '../service/librarian-api.js';

const BAD_INPUT_NAMES = new Set(['UserInputError', 'CorpusError', 'IndexError', 'ModelMismatchError', 'InvalidArgumentError', 'CommanderError', 'ConfigError']);

/** Bad input (user text, corpus, index, flags) exits 2; anything else is our bug and exits 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UserInputError) return 2;
  if (error instanceof Error && BAD_INPUT_NAMES.has(error.name)) return 2;
  if (error instanceof Error && (error as NodeJS.ErrnoException).code?.startsWith('commander.')) return 2;
  return 1;
}

/** One line, no stack trace (set LOG_LEVEL=debug to see it). */
export function oneLineError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) return error.stack;
  return `error: ${message.split('\n')[0]}`;
}
