/**
 * Per-user sliding-window rate limit for questions (default 6 a minute). In memory per process here; with
 * DATABASE_URL one row per user in PostgreSQL shared by all workers (src/bot/pgState.ts), same window.
 */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  readonly perMinute: number;
  /** Records a question when allowed; otherwise says how long to wait. `perMinute` overrides the default (a server's /config rate-limit). */
  take(userId: string, perMinute?: number): Promise<RateDecision>;
}

export const RATE_WINDOW_MS = 60_000;

/** How long until the oldest of the last `perMinute` hits (ascending times) leaves the window. */
export const retryAfter = (hits: readonly number[], perMinute: number, t: number, windowMs: number): number => windowMs - (t - hits[hits.length - perMinute]);

export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly perMinute = 6,
    private readonly now: () => number = Date.now,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  async take(userId: string, perMinute = this.perMinute): Promise<RateDecision> {
    const t = this.now();
    const recent = (this.hits.get(userId) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length >= perMinute) {
      this.hits.set(userId, recent);
      return { ok: false, retryAfterMs: retryAfter(recent, perMinute, t, this.windowMs) };
    }
    recent.push(t);
    this.hits.set(userId, recent);
    if (this.hits.size > 10_000) this.prune(t);
    return { ok: true };
  }

  private prune(t: number): void {
    for (const [user, times] of this.hits) if (times.every((at) => t - at >= this.windowMs)) this.hits.delete(user);
  }
}
