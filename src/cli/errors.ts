import { CommanderError, InvalidArgumentError } from 'commander';
import { isUserFacingError } from '../core/errors.js';

/** Bad input (user text, corpus, index, settings, flags) exits 2; anything else is our bug and exits 1. */
export function exitCodeFor(error: unknown): number {
  if (isUserFacingError(error) || error instanceof InvalidArgumentError || error instanceof CommanderError) return 2;
  return 1;
}

/** One line, no stack trace (set LOG_LEVEL=debug to see it). */
export function oneLineError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) return error.stack;
  return `error: ${message.split('\n')[0]}`;
}
