/** The index on disk is missing, stale in format, truncated or corrupt. The message says which and what to do. */
export class IndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}

/** A query embedded with another model than the index was built with would be silently wrong: refused. */
export class ModelMismatchError extends Error {
  constructor(
    readonly indexModel: string,
    readonly queryModel: string,
  ) {
    super(
      `the index was built with embedding model "${indexModel}" but queries would use "${queryModel}"; ` +
        `set EMBEDDING_MODEL to the index's model or rebuild the index with \`npx lodestone ingest --force\``,
    );
    this.name = 'ModelMismatchError';
  }
}
