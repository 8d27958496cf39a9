import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, wherever it is cloned. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The repo's own corpus (what users ship). */
export const REPO_CORPUS_DIR = path.join(REPO_ROOT, 'corpus');
/**
 * `../shared` beside the clone (as on CI): reference data outside the repo. `npm test` must pass without it:
 * only a test of Discord's own schema (../shared/discord-api) may use it, and it skips with a reason when absent.
 */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
/** The original source files, when ../shared is present (the same bytes as corpus/; prefer REPO_CORPUS_DIR). */
export const SHARED_CORPUS_DIR = path.join(SHARED_DIR, 'corpus');
/** The development question set, copied into the repo (eval/dev.jsonl) so tests and `lodestone eval` need nothing beside the clone. */
export const DEV_SET = path.join(REPO_ROOT, 'eval', 'dev.jsonl');
export const HAS_DEV_SET = existsSync(DEV_SET);
