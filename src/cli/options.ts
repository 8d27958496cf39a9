import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolvePathSetting } from '../core/paths.js';

export interface GlobalOptions {
  corpus?: string;
  index?: string;
}

export interface Dirs {
  corpusDir: string;
  indexDir: string;
}

/** Flags win over env, env over defaults; relative paths are taken from the current directory, a leading `~` is home. */
export function resolveDirs(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Dirs {
  return {
    corpusDir: resolvePathSetting(options.corpus ?? (env.CORPUS_DIR || 'corpus')),
    indexDir: resolvePathSetting(options.index ?? (env.INDEX_DIR || 'index')),
  };
}

/** The repository's development question set (eval/dev.jsonl beside src/ or dist/), the default of `eval`. */
export const REPO_EVAL_SET = fileURLToPath(new URL('../../eval/dev.jsonl', import.meta.url));

/** The question set `eval` uses without `--set`: eval/dev.jsonl in the repo, when it is there. */
export function defaultEvalSet(candidate = REPO_EVAL_SET): string | undefined {
  return existsSync(candidate) ? candidate : undefined;
}
