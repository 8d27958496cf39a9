/**
 * A throwaway database per test file on the machine's PostgreSQL (PG_TEST_URL, default
 * postgres://postgres@127.0.0.1:5432/test). An unreachable server fails the suite: it never skips.
 */
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { REPO_ROOT } from '../support/paths.js';

export const ADMIN_URL = process.env.PG_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`tests/postgres needs PostgreSQL at ${ADMIN_URL} (start it with \`pg_ctlcluster --skip-systemctl-redirect 15 main start\`): ${(error as Error).message}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** CREATE DATABASE lodestone_test_<random>; `drop()` removes it (closing what is still connected). */
export async function freshDatabase(): Promise<TestDatabase> {
  const name = `lodestone_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Stops, starts or restarts the machine's PostgreSQL (root); `start` and `restart` return once it accepts connections. */
export function pgCluster(action: 'stop' | 'start' | 'restart'): void {
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', action], { stdio: 'pipe' });
  if (action === 'stop') return;
  const { hostname, port } = new URL(ADMIN_URL);
  // pg_ctlcluster waits for the server; pg_isready confirms TCP connections are accepted (bounded: 60 tries)
  for (let i = 0; i < 60; i++) {
    try {
      execFileSync('pg_isready', ['-q', '-h', hostname, '-p', port || '5432'], { stdio: 'pipe' });
      return;
    } catch {
      execFileSync('sleep', ['0.5']);
    }
  }
  throw new Error(`PostgreSQL did not come back after ${action}`);
}

/** Polls `check` until it holds (no wall-clock assertion: `ms` only bounds the wait). */
export async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One machine of a several-machine test: its own corpus folder and index folder. */
export interface Machine {
  corpusDir: string;
  indexDir: string;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as another machine runs it (bin/lodestone.js, offline corpus model, quiet logs, DATABASE_URL set). */
export function runLodestone(machine: Machine, args: string[], options: { cwd: string; url: string; input?: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/lodestone.js'), '--corpus', machine.corpusDir, '--index', machine.indexDir, ...args],
      { cwd: options.cwd, env: { ...process.env, EMBEDDING_MODEL: 'corpus', LOG_LEVEL: 'silent', DATABASE_URL: options.url, ...options.env }, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? '');
  });
}
