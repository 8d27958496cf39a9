import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface GlobalOptions {
  corpus?: string;
  index?: string;
}

export interface Dirs {
  corpusDir: string;
  indexDir: string;
}

/** Flags win over env, env over defaults; relative paths are taken from the current directory. */
export function resolveDirs(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Dirs {
  return {
    corpusDir: path.resolve(options.corpus ?? env.CORPUS_DIR ?? 'corpus'),
    indexDir: path.resolve(options.index ?? env.INDEX_DIR ?? 'index'),
  };
}

/** The repository's development question set (eval/dev.jsonl beside src/ or dist/), the default of `eval`. */
export const REPO_EVAL_SET = fileURLToPath(new URL('../../eval/dev.jsonl', import.meta.url));

/** The question set `eval` uses without `--set`: eval/dev.jsonl in the repo, when it is there. */
export function defaultEvalSet(candidate = REPO_EVAL_SET): string | undefined {
  return existsSync(candidate) ? candidate : undefined;
}
