import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DenseIndex, tuneEf } from '../index/dense.js';
import { DEFAULT_HNSW, type HnswParams } from '../index/manifest.js';
import { exactTopK, recallAtK, type Neighbour } from './exact-search.js';
import type { LangChainStore } from './langchain-baseline.js';
import { mb, percentile, round } from './stats.js';
import { rows, type VectorMatrix } from './synthetic.js';

export interface ScaleRow {
  n: number;
  /** Where the vectors came from: `embedded` (real embedder over synthetic texts) or `perturbed` copies. */
  vectors: string;
  dims: number;
  buildSeconds: number;
  loadSeconds: number;
  diskMb: number;
  /** Whole-process RSS after the build (vectors in memory included). */
  rssMb: number;
  /** RSS growth caused by building the index alone. */
  indexRssMb: number;
  ef: number;
  searchP50Ms: number;
  searchP95Ms: number;
  recallAt10: number;
}

export interface BaselineRow {
  name: string;
  n: number;
  buildSeconds: number;
  queryP50Ms: number;
  queryP95Ms: number;
  recallAt10: number;
  /** Search-time candidate list, where the row is an HNSW index. */
  ef?: number;
}

export interface ScaleDataset {
  matrix: VectorMatrix;
  texts: string[];
  origin: string;
}

export interface ScaleOptions {
  efs: number[];
  /** Queries timed per ef. */
  timedQueries: number;
  /** Queries checked against exact search (the costly part at large n). */
  recallQueries: number;
  baselines: boolean;
  workDir: string;
  params?: HnswParams;
}

export interface ScalePointResult {
  scale: ScaleRow[];
  baselines: BaselineRow[];
  /** Baselines that could not run here, with the reason. */
  skipped?: Record<string, string>;
}

/**
 * LangChain's HNSWLib store, when `@langchain/community` (a devDependency) is installed: `lodestone bench`
 * from a production install runs without that baseline instead of failing.
 */
async function loadLangChainBaseline(): Promise<typeof import('./langchain-baseline.js') | string> {
  try {
    return await import('./langchain-baseline.js');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'needs @langchain/community (a devDependency): npm install --include=dev';
    throw error;
  }
}

const K = 10;

/** Builds, saves, reloads and queries Lodestone's DenseIndex on one dataset; optionally the baselines beside it. */
export async function runScalePoint(dataset: ScaleDataset, queries: VectorMatrix, options: ScaleOptions): Promise<ScalePointResult> {
  const params = options.params ?? DEFAULT_HNSW;
  const { matrix } = dataset;
  const n = matrix.count;
  const vectors = rows(matrix);
  const queryRows = rows(queries).slice(0, Math.max(options.timedQueries, options.recallQueries));
  const recallRows = queryRows.slice(0, options.recallQueries);

  // exact answers first: they are the yardstick and, timed, the brute-force baseline
  const exact: Neighbour[][] = [];
  const bruteMs: number[] = [];
  for (const q of recallRows) {
    const t0 = performance.now();
    exact.push(exactTopK(matrix, q, K));
    bruteMs.push(performance.now() - t0);
  }

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const built = DenseIndex.build(vectors, matrix.dims, params);
  const buildSeconds = (performance.now() - t0) / 1000;
  const rssAfter = process.memoryUsage().rss;
  mkdirSync(options.workDir, { recursive: true });
  const file = path.join(options.workDir, `dense-${n}.hnsw`);
  built.write(file);
  const diskMb = mb(statSync(file).size);
  // as writeIndex does: ef chosen by measurement on the built graph (own sample queries, not the bench's)
  const t3 = performance.now();
  const tuned = tuneEf(built, vectors);
  const tuneSeconds = (performance.now() - t3) / 1000;
  const lodestoneDefault = timeSearches(built.withEf(tuned.ef), queryRows, recallRows, exact);

  const scale: ScaleRow[] = [];
  for (const ef of [...new Set([...options.efs, tuned.ef])].sort((a, b) => a - b)) {
    const t1 = performance.now();
    const loaded = DenseIndex.read(file, matrix.dims, n, { ...params, ef });
    const loadSeconds = (performance.now() - t1) / 1000;
    const { p50, p95, recall } = timeSearches(loaded, queryRows, recallRows, exact);
    scale.push({
      n,
      vectors: dataset.origin,
      dims: matrix.dims,
      buildSeconds: round(buildSeconds, 2),
      loadSeconds: round(loadSeconds, 3),
      diskMb,
      rssMb: mb(rssAfter),
      indexRssMb: mb(rssAfter - rssBefore),
      ef,
      searchP50Ms: round(p50),
      searchP95Ms: round(p95),
      recallAt10: round(recall, 4),
    });
  }
  rmSync(file, { force: true });

  const baselines: BaselineRow[] = [];
  const skipped: Record<string, string> = {};
  if (options.baselines) {
    baselines.push({ name: `lodestone DenseIndex (tuned ef ${tuned.ef}; tuning ${round(tuneSeconds, 2)} s)`, n, buildSeconds: round(buildSeconds, 2), queryP50Ms: round(lodestoneDefault.p50), queryP95Ms: round(lodestoneDefault.p95), recallAt10: round(lodestoneDefault.recall, 4), ef: tuned.ef });
    const langchain = await loadLangChainBaseline();
    if (typeof langchain === 'string') skipped['langchain HNSWLib baseline'] = langchain;
    else {
      const t2 = performance.now();
      const store = await langchain.LangChainStore.build(vectors, dataset.texts, matrix.dims);
      const lcBuild = round((performance.now() - t2) / 1000, 2);
      const lcDefault = await timeAsyncSearches(store, queryRows, recallRows, exact);
      baselines.push({ name: 'langchain HNSWLib (defaults, ef 10)', n, buildSeconds: lcBuild, queryP50Ms: round(lcDefault.p50), queryP95Ms: round(lcDefault.p95), recallAt10: round(lcDefault.recall, 4), ef: 10 });
      store.setEf(tuned.ef);
      const lcSameEf = await timeAsyncSearches(store, queryRows, recallRows, exact);
      baselines.push({ name: `langchain HNSWLib (ef ${tuned.ef})`, n, buildSeconds: lcBuild, queryP50Ms: round(lcSameEf.p50), queryP95Ms: round(lcSameEf.p95), recallAt10: round(lcSameEf.recall, 4), ef: tuned.ef });
    }
    baselines.push({ name: 'brute-force cosine scan', n, buildSeconds: 0, queryP50Ms: round(percentile(bruteMs, 50)), queryP95Ms: round(percentile(bruteMs, 95)), recallAt10: 1 });
  }
  return { scale, baselines, ...(Object.keys(skipped).length ? { skipped } : {}) };
}

interface SearchFigures {
  p50: number;
  p95: number;
  recall: number;
}

function timeSearches(index: DenseIndex, queryRows: Float32Array[], recallRows: Float32Array[], exact: Neighbour[][]): SearchFigures {
  for (const q of queryRows.slice(0, 20)) index.search(q, K); // warm caches
  const ms: number[] = [];
  for (const q of queryRows) {
    const t0 = performance.now();
    index.search(q, K);
    ms.push(performance.now() - t0);
  }
  let recall = 0;
  recallRows.forEach((q, i) => (recall += recallAtK(exact[i], index.search(q, K), K)));
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), recall: recallRows.length ? recall / recallRows.length : 1 };
}

async function timeAsyncSearches(store: LangChainStore, queryRows: Float32Array[], recallRows: Float32Array[], exact: Neighbour[][]): Promise<SearchFigures> {
  for (const q of queryRows.slice(0, 20)) await store.search(q, K);
  const ms: number[] = [];
  for (const q of queryRows) {
    const t0 = performance.now();
    await store.search(q, K);
    ms.push(performance.now() - t0);
  }
  let recall = 0;
  for (let i = 0; i < recallRows.length; i++) recall += recallAtK(exact[i], await store.search(recallRows[i], K), K);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), recall: recallRows.length ? recall / recallRows.length : 1 };
}
