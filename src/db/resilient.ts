/**
 * A pool that knows when PostgreSQL is away. The first query that fails on its connection (or takes longer
 * than `deadlineMs`) marks the database down; from then on queries fail at once with DatabaseUnavailable —
 * a caller on a deadline (an interaction must be acknowledged within 3 s) falls back instead of waiting on
 * connect timeouts — while a probe retries `SELECT 1` with exponential backoff. When it answers, the
 * database is up again and the `onReconnect` listeners run (e.g. to write what was queued meanwhile).
 * The pool itself replaces the dead connections; this only decides when to try.
 */
import type { Logger } from 'pino';
import type pg from 'pg';
import { inTransaction, isConnectionError, type Pool } from './pool.js';

/** The database is (still) unreachable; what the query would have done did not happen. */
export class DatabaseUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`PostgreSQL is unreachable (${reason})`);
    this.name = 'DatabaseUnavailable';
  }
}

export interface ResilienceOptions {
  logger?: Logger;
  /** A query taking longer than this counts as an outage (default 2 s). */
  deadlineMs?: number;
  /** First wait before probing again, doubled per failed probe up to `maxBackoffMs` (defaults 200 ms, 5 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

class DeadlineExceeded extends Error {}

export class ResilientPool {
  private down: string | undefined;
  private failedProbes = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private readonly deadlineMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    readonly pool: Pool,
    private readonly opts: ResilienceOptions = {},
  ) {
    this.deadlineMs = opts.deadlineMs ?? 2_000;
    this.initialBackoffMs = opts.initialBackoffMs ?? 200;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5_000;
  }

  /** False between a failed query and the probe that finds the server back. */
  get available(): boolean {
    return this.down === undefined && !this.closed;
  }

  /** Runs `work` unless the database is known to be down; a connection failure marks it down and throws DatabaseUnavailable. */
  async run<T>(work: (pool: Pool) => Promise<T>): Promise<T> {
    if (this.closed) throw new DatabaseUnavailable('closed');
    if (this.down !== undefined) throw new DatabaseUnavailable(this.down);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${this.deadlineMs} ms`)), this.deadlineMs);
    });
    const attempt = work(this.pool);
    try {
      return await Promise.race([attempt, deadline]);
    } catch (error) {
      if (error instanceof DeadlineExceeded || isConnectionError(error)) {
        attempt.catch(() => undefined); // it may still fail after the deadline: nobody is waiting for it
        const reason = error instanceof DeadlineExceeded ? error.message : describe(error);
        this.markDown(reason);
        throw new DatabaseUnavailable(reason);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** `work` inside BEGIN … COMMIT on one connection (rolled back when it throws), with run()'s outage handling. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.run((pool) => inTransaction(pool, work));
  }

  /** Called each time the database is back after an outage; returns a function that removes the listener. */
  onReconnect(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops probing and ends the pool. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probeTimer);
    await this.pool.end().catch(() => undefined);
  }

  private markDown(reason: string): void {
    if (this.down !== undefined || this.closed) return;
    this.down = reason;
    this.failedProbes = 0;
    this.opts.logger?.warn({ reason }, 'database unreachable; retrying with backoff (answers continue, votes are queued)');
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    const base = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** this.failedProbes);
    // jitter: workers that lost the database together do not all come back in the same millisecond
    const delay = base / 2 + Math.random() * (base / 2);
    this.probeTimer = setTimeout(() => void this.probe(), delay);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.closed) return;
    try {
      await this.pool.query('SELECT 1');
    } catch (error) {
      this.failedProbes++;
      this.opts.logger?.debug({ attempt: this.failedProbes, reason: describe(error) }, 'database still unreachable');
      this.scheduleProbe();
      return;
    }
    this.opts.logger?.info({ after: this.down, probes: this.failedProbes + 1 }, 'database reachable again');
    this.down = undefined;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.opts.logger?.error({ err: error }, 'reconnect listener failed');
      }
    }
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return [e?.code, (e?.message ?? String(error)).split('\n')[0]].filter(Boolean).join(' ');
}
