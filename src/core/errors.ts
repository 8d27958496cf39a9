/**
 * The error classes every room throws and the CLI and bot tell apart with `instanceof`: bad input (exit 2,
 * message safe to show as-is) versus a bug (exit 1).
 */

/** Base of the user-facing errors: `name` is the subclass's own, so logs and `instanceof` agree. */
abstract class LodestoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input from a user: the message is safe to show as-is (CLI: exit code 2). */
export class UserInputError extends LodestoneError {}

/** The corpus as a whole cannot be used (no readable document, missing folder). */
export class CorpusError extends LodestoneError {}

/** The index on disk is missing, stale in format, truncated or corrupt. The message says which and what to do. */
export class IndexError extends LodestoneError {}

/** A setting cannot be used (unknown model name, malformed value). */
export class ConfigError extends LodestoneError {}

/** A query embedded with another model than the index was built with would be silently wrong: refused. */
export class ModelMismatchError extends LodestoneError {
  constructor(
    readonly indexModel: string,
    readonly queryModel: string,
  ) {
    super(
      `the index was built with embedding model "${indexModel}" but queries would use "${queryModel}"; ` +
        `set EMBEDDING_MODEL to the index's model or rebuild the index with \`npx lodestone ingest --force\``,
    );
  }
}

/** Errors whose message is for the user (bad input, corpus, index, settings): exit code 2, no stack trace. */
export function isUserFacingError(error: unknown): error is Error {
  return error instanceof LodestoneError;
}
