import readline from 'node:readline';

export interface BatchItem {
  id?: string | number;
  question: string;
  /** Earlier turns of the conversation, oldest first (`answer` optional), as the service's `history`. */
  history?: { question: string; answer?: string }[];
}

function parseHistory(value: unknown): BatchItem['history'] {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new Error('"history" must be an array of {"question", "answer"?}');
  return value.map((turn, i) => {
    const t = turn as Record<string, unknown>;
    if (!t || typeof t.question !== 'string') throw new Error(`history[${i}] needs a "question" string`);
    if (t.answer !== undefined && typeof t.answer !== 'string') throw new Error(`history[${i}].answer must be a string`);
    return { question: t.question, ...(typeof t.answer === 'string' ? { answer: t.answer } : {}) };
  });
}

/**
 * Reads JSONL from a stream ({"id","question","history"?} per line; "query"/"term" accepted as synonyms) and
 * calls `handle` for each line in order; a bad line yields an {id, error} object instead of stopping.
 */
export async function runBatch(
  input: NodeJS.ReadableStream,
  handle: (item: BatchItem) => Promise<object>,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Promise<{ lines: number; errors: number }> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  let errors = 0;
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) continue;
    lines++;
    let item: BatchItem;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const question = parsed.question ?? parsed.query ?? parsed.term;
      if (typeof question !== 'string') throw new Error('a "question" string is required');
      item = { id: parsed.id as string | number | undefined, question, history: parseHistory(parsed.history) };
    } catch (error) {
      errors++;
      write(JSON.stringify({ line: lines, error: `bad input line: ${(error as Error).message}` }));
      continue;
    }
    try {
      const result = await handle(item);
      write(JSON.stringify(item.id === undefined ? result : { id: item.id, ...result }));
    } catch (error) {
      errors++;
      write(JSON.stringify({ id: item.id, question: item.question, error: (error as Error).message }));
    }
  }
  return { lines, errors };
}
