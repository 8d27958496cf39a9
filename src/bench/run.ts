import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { LibrarianService } from '../service/librarian.js';
import { benchBot } from './bot-bench.js';
import { benchFormats, benchIngest } from './ingest-bench.js';
import { loadQuestions, variedQuestions } from './questions.js';
import { benchQueries } from './query-bench.js';
import { baselineRatios, checkTargets, describeMachine, renderReport, type BenchResult } from './report.js';
import { runScaleJobInChild, writeMatrix, type ScaleJob } from './scale-job.js';
import { embeddedDataset, loadScaleBase, scaleQueries } from './scale-data.js';

export interface BenchOptions {
  json?: boolean;
  /** Comma-separated synthetic corpus sizes, e.g. "10000,100000". */
  scale: string;
  /** How many questions for the latency part. */
  queries: string;
  bot: boolean;
  /** JSONL question set the latency questions come from (the CLI passes its default); built-in ones without. */
  evalSet?: string;
  /** Where the report goes (`--write bench/RESULTS.md` refreshes the tracked one); default: the ignored bench/out/. */
  write?: string;
  /** `pgvector`: also the same vectors searched inside PostgreSQL (DATABASE_URL with pgvector, else PGlite). */
  backend?: string;
}

/** The report's default place: ignored by git, so a bench run leaves `git status` clean. */
export const DEFAULT_RESULTS_FILE = path.join('bench', 'out', 'RESULTS.md');

/** Sizes up to this are embedded by the real embedder from synthetic texts; larger ones are perturbed vectors. */
const EMBED_UP_TO = 20_000;
/** Baselines (LangChain HNSWLib, brute force) run beside the sizes up to this. */
const BASELINES_UP_TO = 100_000;
const EFS = [32, 64, 128, 256, 512];
const BOT_LEVELS = [1, 10, 50];

/** Vector backends the scale part can measure beside the in-process HNSW graph (which always runs). */
export function parseBackend(value: string | undefined): 'hnswlib' | 'pgvector' {
  const backend = (value ?? 'hnswlib').trim().toLowerCase();
  if (backend !== 'hnswlib' && backend !== 'pgvector') throw new UserInputError(`--backend expects hnswlib or pgvector, got "${value}"`);
  return backend;
}

export function parseSizes(value: string): number[] {
  const sizes = value.split(',').map((s) => s.trim()).filter(Boolean).map((s) => Number(s.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000')));
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 100 || n > 10_000_000)) {
    throw new UserInputError(`--scale expects comma-separated sizes from 100 to 10000000, got "${value}"`);
  }
  return sizes;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new UserInputError(`--queries expects a whole number ≥ 1, got "${value}"`);
  return n;
}

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];

/** `lodestone bench`: every part in turn, each one skipped (with the reason) rather than failing the run. */
export async function runBench(dirs: { corpusDir: string; indexDir: string }, options: BenchOptions): Promise<BenchResult> {
  const sizes = parseSizes(options.scale);
  const queryCount = parseCount(options.queries);
  const backend = parseBackend(options.backend);
  const model = process.env.EMBEDDING_MODEL;
  const work = mkdtempSync(path.join(tmpdir(), 'lodestone-bench-'));
  const result: BenchResult = {
    machine: describeMachine(),
    command: ['npx lodestone bench', options.json ? '--json' : '', backend === 'hnswlib' ? '' : `--backend ${backend}`, `--scale ${sizes.join(',')}`, `--queries ${queryCount}`, options.bot ? '' : '--no-bot'].filter(Boolean).join(' '),
    startedAt: new Date().toISOString(),
    scale: [],
    fullIndex: [],
    baselines: [],
    ratios: [],
    bot: [],
    targets: [],
    skipped: {},
  };
  const questions = variedQuestions(loadQuestions(options.evalSet), Math.max(queryCount, 500));
  let librarian: LibrarianService | undefined;
  try {
    // 1. ingest first, so the process's peak RSS is ingest's
    let indexDir = dirs.indexDir;
    const hasCorpus = existsSync(dirs.corpusDir) && readdirSync(dirs.corpusDir).some((f) => /\.(md|txt|markdown|pdf|html?|docx)$/i.test(f));
    if (!hasCorpus) result.skipped.ingest = `no documents (.md, .txt, .pdf, .html, .docx) in ${dirs.corpusDir}`;
    else {
      progress(`ingest of ${dirs.corpusDir} (forced, into a temp index)`);
      try {
        result.ingest = await benchIngest(dirs.corpusDir, path.join(work, 'index'), model);
        indexDir = path.join(work, 'index');
        progress('ingest time per MB of each format (.md, .txt, .pdf, .html, .docx)');
        result.ingest.formats = await benchFormats(dirs.corpusDir, work);
      } catch (error) {
        result.skipped.ingest = firstLine(error);
      }
    }

    // 2. query latency, warm and cold
    progress(`query latency over ${queryCount} questions`);
    try {
      result.query = await benchQueries({ corpusDir: dirs.corpusDir, indexDir }, questions.slice(0, queryCount), { model });
    } catch (error) {
      result.skipped.query = firstLine(error);
    }

    let why: string | undefined;
    try {
      const { createLibrarian } = await import('../service/librarian.js');
      librarian = await createLibrarian({ corpusDir: dirs.corpusDir, indexDir, model, autoIngest: false, onWarning: () => undefined });
    } catch (error) {
      why = firstLine(error);
    }

    // 3 + 4. scale and baselines, one child process per size
    try {
      const scaleBase = await loadScaleBase(librarian, why);
      result.vectorSource = scaleBase.source;
      const baseVectorsFile = path.join(work, 'base.f32');
      const baseTextsFile = path.join(work, 'base-texts.json');
      const queriesFile = path.join(work, 'queries.f32');
      writeMatrix(baseVectorsFile, scaleBase.base);
      writeFileSync(baseTextsFile, JSON.stringify(scaleBase.texts));
      const queries = await scaleQueries(scaleBase, questions, 500);
      writeMatrix(queriesFile, queries);
      for (const n of sizes) {
        progress(`scale n=${n}`);
        const job: ScaleJob = {
          n,
          seed: 1000 + n,
          baseVectorsFile,
          baseTextsFile,
          queriesFile,
          dims: scaleBase.base.dims,
          origin: 'perturbed',
          part: 'dense',
          options: { efs: EFS, timedQueries: 500, recallQueries: n > 200_000 ? 100 : 200, baselines: n <= BASELINES_UP_TO, workDir: path.join(work, `scale-${n}`) },
        };
        if (scaleBase.embedder && n <= EMBED_UP_TO) {
          const dataset = await embeddedDataset(scaleBase, n, job.seed);
          job.datasetVectorsFile = path.join(work, `dataset-${n}.f32`);
          job.datasetTextsFile = path.join(work, `dataset-${n}.json`);
          writeMatrix(job.datasetVectorsFile, dataset.matrix);
          writeFileSync(job.datasetTextsFile, JSON.stringify(dataset.texts));
          job.origin = 'embedded';
        }
        // each part in a process of its own: the store's peak RSS is the store's, not the graph bench's as well
        for (const part of ['dense', 'store', ...(backend === 'pgvector' ? ['pgvector' as const] : [])] as const) {
          if (part !== 'dense') progress(`scale n=${n}: ${part === 'store' ? 'whole index through the store' : 'pgvector'}`);
          try {
            const point = await runScaleJobInChild({ ...job, part }, work);
            result.scale.push(...point.scale);
            result.baselines.push(...point.baselines);
            if (point.fullIndex) result.fullIndex.push(point.fullIndex);
            if (point.pgvector) (result.pgvector ??= []).push(...point.pgvector);
            for (const [name, why] of Object.entries(point.skipped ?? {})) result.skipped[name] = why;
          } catch (error) {
            result.skipped[part === 'dense' ? `scale n=${n}` : `${part} n=${n}`] = firstLine(error);
          }
        }
      }
      result.ratios = baselineRatios(result.baselines);
    } catch (error) {
      result.skipped.scale = firstLine(error);
    }
    if (!result.baselines.length && !result.skipped.scale) result.skipped.baselines = `baselines run at sizes ≤ ${BASELINES_UP_TO}`;

    // 5. the bot through the local Discord-compatible server
    if (!options.bot) result.skipped.bot = '--no-bot';
    else if (!librarian) result.skipped.bot = `no librarian: ${why}`;
    else {
      progress(`bot, ${BOT_LEVELS.join('/')} concurrent /ask`);
      try {
        result.bot = await benchBot(librarian, questions, BOT_LEVELS);
      } catch (error) {
        result.skipped.bot = firstLine(error);
      }
    }
  } finally {
    await librarian?.close().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }

  result.targets = checkTargets(result);
  const report = renderReport(result);
  const resultsFile = path.resolve(options.write ?? process.env.LODESTONE_BENCH_RESULTS ?? DEFAULT_RESULTS_FILE);
  try {
    mkdirSync(path.dirname(resultsFile), { recursive: true });
    writeFileSync(resultsFile, report);
    progress(`wrote ${resultsFile}`);
  } catch (error) {
    progress(`could not write ${resultsFile}: ${firstLine(error)}`);
  }
  process.stdout.write(options.json ? JSON.stringify(result, null, 2) + '\n' : report);
  return result;
}
