import path from 'node:path';
import { existsSync } from 'node:fs';

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

/** The development question set beside the repo (../shared/eval/dev.jsonl), when present. */
export function defaultEvalSet(cwd = process.cwd()): string | undefined {
  const candidate = path.resolve(cwd, '..', 'shared', 'eval', 'dev.jsonl');
  return existsSync(candidate) ? candidate : undefined;
}
