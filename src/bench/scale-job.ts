import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PgvectorRow } from './scale-pgvector.js';
import { runScalePoint, type ScaleOptions, type ScalePointResult } from './scale.js';
import { peakRssMb } from './stats.js';
import { rows, seededRandom, synthesiseText, synthesiseVectors, type VectorMatrix } from './synthetic.js';

/**
 * One scale point as a self-contained job: base passages (real vectors and texts) in files, the synthetic
 * corpus grown from them inside the process that measures it. Run in a fresh child process per size so
 * memory figures of one size do not pile onto the next.
 */
export interface ScaleJob {
  n: number;
  seed: number;
  /** Real passage vectors (f32, row-major) and their texts. */
  baseVectorsFile: string;
  baseTextsFile: string;
  /** A ready dataset (e.g. synthetic texts embedded by the real embedder) used instead of perturbed copies. */
  datasetVectorsFile?: string;
  datasetTextsFile?: string;
  /** What the dataset vectors are, for the table. */
  origin: string;
  queriesFile: string;
  dims: number;
  options: ScaleOptions;
  /**
   * What this child measures, each in a process of its own so its peak RSS is its own: `dense` the HNSW graph
   * alone (and the baselines), `store` the whole index (passages, vectors, HNSW, BM25) written and loaded
   * through src/index/store.ts, `pgvector` the same vectors in PostgreSQL (DATABASE_URL with pgvector, or PGlite).
   */
  part: ScalePart;
}

export type ScalePart = 'dense' | 'store' | 'pgvector';

export interface ScaleJobResult extends ScalePointResult {
  /** Whole index generation through the store: write, size, load and the process's peak RSS, at this n. */
  fullIndex?: { n: number; writeSeconds: number; loadSeconds: number; diskMb: number; peakRssMb: number } | { n: number; skipped: string };
  pgvector?: PgvectorRow[];
  peakRssMb: number;
}

export function writeMatrix(file: string, matrix: VectorMatrix): void {
  writeFileSync(file, Buffer.from(matrix.data.buffer, matrix.data.byteOffset, matrix.data.byteLength));
}

export function readMatrix(file: string, dims: number): VectorMatrix {
  const bytes = readFileSync(file);
  const data = new Float32Array(new Uint8Array(bytes).buffer);
  return { dims, count: data.length / dims, data };
}

/** Builds the job's dataset and measures it (in whatever process calls it). */
export async function runScaleJob(job: ScaleJob): Promise<ScaleJobResult> {
  const base = readMatrix(job.baseVectorsFile, job.dims);
  const baseTexts = JSON.parse(readFileSync(job.baseTextsFile, 'utf8')) as string[];
  const queries = readMatrix(job.queriesFile, job.dims);
  let matrix: VectorMatrix;
  let texts: string[];
  if (job.datasetVectorsFile && job.datasetTextsFile) {
    matrix = readMatrix(job.datasetVectorsFile, job.dims);
    texts = JSON.parse(readFileSync(job.datasetTextsFile, 'utf8')) as string[];
  } else {
    const synthetic = synthesiseVectors(base, job.n, { seed: job.seed });
    matrix = synthetic.matrix;
    const random = seededRandom(job.seed + 1);
    texts = synthetic.origins.map((o) => synthesiseText(baseTexts, o, random));
  }
  const empty: ScalePointResult = { scale: [], baselines: [] };
  if (job.part === 'store') return { ...empty, fullIndex: await measureFullIndex(matrix, texts, job.options.workDir), peakRssMb: peakRssMb() };
  if (job.part === 'pgvector') {
    try {
      const { measurePgvector } = await import('./scale-pgvector.js');
      return { ...empty, pgvector: await measurePgvector(matrix, queries, job.options), peakRssMb: peakRssMb() };
    } catch (error) {
      return { ...empty, skipped: { [`pgvector n=${job.n}`]: (error as Error).message.split('\n')[0] }, peakRssMb: peakRssMb() };
    }
  }
  return { ...(await runScalePoint({ matrix, texts, origin: job.origin }, queries, job.options)), peakRssMb: peakRssMb() };
}

/** The real store at this size: the load time a restarted bot pays. */
async function measureFullIndex(matrix: VectorMatrix, texts: string[], workDir: string): Promise<NonNullable<ScaleJobResult['fullIndex']>> {
  const n = matrix.count;
  try {
    const { openIndexStore } = await import('../index/open.js');
    const { searchKey } = await import('../text/searchKey.js');
    const passages = texts.map((text, i) => ({
      id: `synthetic:${i}`,
      docId: `synthetic${Math.floor(i / 500)}`,
      kind: 'paragraph' as const,
      label: `synthetic ¶${i + 1}`,
      text,
      searchKey: searchKey(text),
      sectionPath: [],
      ordinal: i % 500,
      footnotes: [],
      citedBy: [],
    }));
    const documents = Array.from({ length: Math.ceil(n / 500) }, (_, d) => ({ id: `synthetic${d}`, title: `synthetic ${d}`, author: 'bench', lang: 'zh-Hans', file: `synthetic${d}.txt`, contentHash: String(d) }));
    const dir = path.join(workDir, `store-${n}`);
    const store = openIndexStore(dir);
    const t0 = performance.now();
    const written = await store.write({ documents, passages, vectors: rows(matrix), embedderModelId: 'bench', dims: matrix.dims, corpusFingerprint: 'bench', chunkerVersion: 'bench' });
    const writeSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const loaded = await store.load();
    const loadSeconds = (performance.now() - t1) / 1000;
    if (loaded.passageCount !== n) throw new Error(`loaded ${loaded.passageCount} passages, wrote ${n}`);
    rmSync(dir, { recursive: true, force: true });
    return { n, writeSeconds: round2(writeSeconds), loadSeconds: Math.round(loadSeconds * 1000) / 1000, diskMb: Math.round(written.bytes / 104857.6) / 10, peakRssMb: peakRssMb() };
  } catch (error) {
    return { n, skipped: (error as Error).message.split('\n')[0] };
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Runs the job in a fresh Node process (GC exposed for clean memory figures; from src/, TypeScript through tsx). */
export function runScaleJobInChild(job: ScaleJob, workDir: string): Promise<ScaleJobResult> {
  mkdirSync(workDir, { recursive: true });
  const jobFile = path.join(workDir, `job-${job.n}-${job.part}.json`);
  const resultFile = path.join(workDir, `result-${job.n}-${job.part}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  // built (dist/*.js) the child is plain JavaScript; run from src/ (tests, `npm run dev`) it goes through tsx
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSource ? './scale-child.ts' : './scale-child.js', import.meta.url));
  const loader = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return new Promise((resolve, reject) => {
    const child = fork(entry, [jobFile, resultFile], { execArgv: [...loader, '--expose-gc', '--max-old-space-size=8192'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`scale job n=${job.n} (${job.part}) exited with code ${code}`);
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as ScaleJobResult);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(jobFile, { force: true });
        rmSync(resultFile, { force: true });
      }
    });
  });
}
