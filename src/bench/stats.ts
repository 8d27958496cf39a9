/** Percentiles and timing helpers shared by every bench part. */
import { percentile as nearestRank } from '../retrieval/evaluate.js';

/** Nearest-rank percentile (p in 0–100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  // the bench reports "no samples" as NaN (shown as –), not as 0 ms
  return samples.length === 0 ? Number.NaN : nearestRank(samples, p);
}

export interface LatencySummary {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  count: number;
}

export function summarise(samples: readonly number[]): LatencySummary {
  return { p50Ms: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)), p99Ms: round(percentile(samples, 99)), count: samples.length };
}

/** Rounds to a few significant decimals so tables and JSON stay readable. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}

/** Peak resident set size of this process so far, in MB (maxRSS is in kilobytes). */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

export function rssMb(): number {
  return mb(process.memoryUsage().rss);
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await work();
  return { value, ms: performance.now() - t0 };
}
