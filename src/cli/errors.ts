import { CommanderError, InvalidArgumentError } from 'commander';
import { isUserFacingError } from '../core/errors.js';

/** Commander's ways of ending after printing help or the version: not errors. */
const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/** True when commander stopped after printing help or the version (`--help`, `help`, a bare `lodestone`). */
export function isHelpExit(error: unknown): error is CommanderError {
  return error instanceof CommanderError && HELP_CODES.has(error.code);
}

/**
 * Bad input (user text, corpus, index, settings, flags, a mistyped command) exits 2; help exits 0 (or 2 when
 * shown because no command was given); anything else is our bug and exits 1.
 */
export function exitCodeFor(error: unknown): number {
  if (isHelpExit(error)) return error.exitCode === 0 ? 0 : 2;
  if (isUserFacingError(error) || error instanceof InvalidArgumentError || error instanceof CommanderError) return 2;
  return 1;
}

/**
 * One line, no stack trace (run with `--debug` for it). Commander's messages ("error: unknown command 'aks'"
 * + "(Did you mean ask?)") are joined into that one line, with where to look for usage.
 */
export function oneLineError(error: unknown, opts: { debug?: boolean } = {}): string {
  if (opts.debug && error instanceof Error && error.stack) return error.stack;
  if (error instanceof CommanderError && !(error instanceof InvalidArgumentError)) {
    const text = error.message
      .replace(/^error:\s*/i, '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ')
      .replace(/\(Did you mean/g, '(did you mean');
    return `error: ${text}; see \`lodestone --help\``;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `error: ${message.split('\n')[0]}`;
}

/** `--debug` anywhere on the command line (also before commander has parsed it, for parse errors). */
export function debugRequested(argv: readonly string[] = process.argv): boolean {
  return argv.slice(2).includes('--debug');
}
