import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, wherever it is cloned. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The repo's own corpus (what users ship). */
export const REPO_CORPUS_DIR = path.join(REPO_ROOT, 'corpus');
/** `../shared` beside the clone (as on CI): the original source files and the development question set. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
export const SHARED_CORPUS_DIR = path.join(SHARED_DIR, 'corpus');
export const DEV_SET = path.join(SHARED_DIR, 'eval', 'dev.jsonl');
export const HAS_DEV_SET = existsSync(DEV_SET);
