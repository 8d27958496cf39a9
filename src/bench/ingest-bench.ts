import { round } from './stats.js';

export interface IngestFigures {
  seconds: number;
  passagesPerSecond: number;
  /** Peak RSS of the bench process, which runs ingest before anything else. */
  peakRssMb: number;
  documents: number;
  passages: number;
  model: string;
  /** Seconds per stage as ingest reports them (clean is part of load; train is the offline corpus model). */
  stageSeconds: Record<string, number>;
  indexMb: number;
}

/** A full (forced) ingest of the corpus into `indexDir`, as `npx lodestone ingest --force` does it. */
export async function benchIngest(corpusDir: string, indexDir: string, model: string | undefined): Promise<IngestFigures> {
  const { ingest } = await import('../service/ingest.js');
  const t0 = performance.now();
  const summary = await ingest({ corpusDir, indexDir, model, force: true, onWarning: () => undefined });
  const seconds = (performance.now() - t0) / 1000;
  const stageSeconds = Object.fromEntries(Object.entries(summary.stageSeconds).map(([k, v]) => [k, round(v, 3)]));
  return {
    seconds: round(seconds, 2),
    passagesPerSecond: round(summary.passages / Math.max(seconds, 1e-9), 1),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    documents: summary.documents,
    passages: summary.passages,
    model: summary.model,
    stageSeconds,
    indexMb: round(summary.indexBytes / (1024 * 1024), 2),
  };
}
