/**
 * Following the README leaves `git status` clean: `npm install` has nothing to rewrite in the lock file, and
 * what ingest and bench write (index/, bench/out/) is ignored.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESULTS_FILE } from '../../src/bench/run.js';
import { REPO_ROOT } from '../support/paths.js';

const json = (file: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8'));
const isGitCheckout = existsSync(path.join(REPO_ROOT, '.git'));

describe('package-lock.json', () => {
  it('records exactly what package.json declares, so `npm install` does not rewrite it', () => {
    const pkg = json('package.json');
    const lock = json('package-lock.json');
    const root = lock.packages[''];
    expect(lock.name).toBe(pkg.name);
    expect(lock.version).toBe(pkg.version);
    for (const field of ['name', 'version', 'license', 'dependencies', 'devDependencies', 'optionalDependencies', 'engines']) {
      expect(root[field], `packages[""].${field}`).toEqual(pkg[field]);
    }
    const bin = typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin;
    expect(root.bin, 'packages[""].bin').toEqual(bin);
    // every declared dependency is locked
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) expect(lock.packages[`node_modules/${name}`], name).toBeDefined();
  });
});

describe.skipIf(!isGitCheckout)('what the commands write is ignored by git', () => {
  const ignored = (rel: string) => {
    try {
      execFileSync('git', ['check-ignore', '-q', '--no-index', rel], { cwd: REPO_ROOT });
      return true;
    } catch {
      return false;
    }
  };
  it('index/ wholly (ingest), bench/out/ (bench without --write), .env and data/', () => {
    for (const rel of ['index/CURRENT', 'index/gen-1/manifest.json', 'index/README.md', DEFAULT_RESULTS_FILE, '.env', 'data/feedback.sqlite']) {
      expect(ignored(rel), rel).toBe(true);
    }
    for (const rel of ['bench/RESULTS.md', 'eval/dev.jsonl', 'corpus/glossary.json', 'package-lock.json']) expect(ignored(rel), rel).toBe(false);
  });
  it('nothing under index/ is tracked (rm -rf index deletes nothing of the repo)', () => {
    expect(execFileSync('git', ['ls-files', 'index'], { cwd: REPO_ROOT, encoding: 'utf8' })).toBe('');
  });
});
if (!isGitCheckout) console.warn(`[hygiene] skipped the git checks: ${REPO_ROOT} is not a git checkout`);
