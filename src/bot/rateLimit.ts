/** Per-user sliding-window rate limit for questions (default 6 a minute). */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly perMinute = 6,
    private readonly now: () => number = Date.now,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a question when allowed; otherwise returns how long to wait. `perMinute` overrides the default (a server's /config rate-limit). */
  take(userId: string, perMinute = this.perMinute): { ok: true } | { ok: false; retryAfterMs: number } {
    const t = this.now();
    const recent = (this.hits.get(userId) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length >= perMinute) {
      this.hits.set(userId, recent);
      return { ok: false, retryAfterMs: this.windowMs - (t - recent[recent.length - perMinute]) };
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
