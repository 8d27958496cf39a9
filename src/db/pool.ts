/**
 * A `pg` pool from DATABASE_URL. A URL that cannot be used (malformed, wrong scheme, unreachable server,
 * refused login, missing database) is a one-line ConfigError naming host:port — never the password.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError } from '../core/errors.js';

export type Pool = pg.Pool;

export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user?: string;
}

/** Where a URL points, for messages and logs (no password). Throws a ConfigError for a URL that is not postgres://. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL is not a URL; expected postgres://user@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL has scheme "${parsed.protocol.replace(/:$/, '')}"; expected postgres://user@host:5432/database`);
  }
  const port = parsed.port ? Number(parsed.port) : 5432;
  // a socket directory may be given as ?host=/var/run/postgresql instead of in the authority
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || 'localhost';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
  return { host, port, database, ...(parsed.username ? { user: decodeURIComponent(parsed.username) } : {}) };
}

export function describeTarget(t: DatabaseTarget): string {
  return `${t.host}:${t.port}/${t.database}`;
}

/** Node and PostgreSQL error codes meaning "the server is not there (now)", as opposed to a bad statement. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03']);

/** Whether a failed query failed because the connection did (worth retrying once the server is back). */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|timeout exceeded when trying to connect/i.test(e.message ?? '');
}

function reason(error: unknown, t: DatabaseTarget): string {
  const e = error as { code?: string; message?: string };
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host "${t.host}" not found`;
    case '28P01':
    case '28000':
      return `login refused for user "${t.user ?? '(default)'}"`;
    case '3D000':
      return `database "${t.database}" does not exist`;
    default:
      return (e?.message ?? String(error)).split('\n')[0];
  }
}

export interface OpenPoolOptions {
  /** Connections per process (default 10). */
  max?: number;
  /** How long a new connection may take before it counts as unreachable (default 5 s). */
  connectTimeoutMs?: number;
  /** Idle connections that die (a server restart) are logged here instead of crashing the process. */
  logger?: Logger;
  /** Idle connections do not keep the process alive (a finished CLI command exits; default false). */
  allowExitOnIdle?: boolean;
  /** Run `SELECT 1` before returning, turning an unusable URL into a ConfigError (default true). */
  check?: boolean;
}

/** A pool on `url`, checked with one query unless `check: false`. */
export async function openPool(url: string, opts: OpenPoolOptions = {}): Promise<Pool> {
  const target = parseDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'lodestone',
    allowExitOnIdle: opts.allowExitOnIdle ?? false,
  });
  // without a listener, an idle client killed by a server restart is an uncaught 'error' that ends the process;
  // the pool drops that client by itself and opens a new one on the next query
  pool.on('error', (error) => opts.logger?.warn({ err: { message: error.message, code: (error as { code?: string }).code }, db: describeTarget(target) }, 'idle database connection lost'));
  if (opts.check !== false) {
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      const password = safePassword(url);
      const why = reason(error, target);
      throw new ConfigError(`DATABASE_URL: cannot use PostgreSQL at ${describeTarget(target)} (${password ? why.split(password).join('***') : why})`);
    }
  }
  return pool;
}

/** `work` inside BEGIN … COMMIT on one connection, rolled back when it throws; a connection that cannot even roll back is discarded. */
export async function inTransaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken || undefined);
  }
}

function safePassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
