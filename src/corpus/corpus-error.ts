/** The corpus as a whole cannot be used (no readable document, missing folder). Callers print `message` and exit 2. */
export class CorpusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorpusError';
  }
}
