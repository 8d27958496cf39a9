import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LibrarianService } from '../service/librarian.js';
import { percentile, round, summarise, type LatencySummary } from './stats.js';

export interface QueryFigures {
  questions: number;
  /** Wall time of `librarian.ask` per question, warm. */
  warm: LatencySummary;
  /** A fresh `npx lodestone ask --json` process (the built CLI, as a user runs it) against the built index: start to answer (median of runs). */
  coldFirstAnswerMs: number;
  coldFirstAnswerP95Ms: number;
  coldRunsMs: number[];
  /** A fresh `npx lodestone --help` process: start-up alone, median and p95 of runs. */
  helpMs: number;
  helpP95Ms: number;
  helpRunsMs: number[];
  /**
   * The same two without npx: the bin alone (node dist/cli/main.js, what `npm link` or a global install runs).
   * In the package's own folder npx loads the whole installed tree before it starts the bin; the difference is that.
   */
  bin: { coldAsk: { medianMs: number; p95Ms: number }; help: { medianMs: number; p95Ms: number } };
  /** createLibrarian + first ask inside an already running process (index load + model load + first answer). */
  coldInProcessMs: number;
  /** Per stage. embed/compose/total from the answers' own timings; dense/lexical/fusion by replaying the retriever's steps. */
  stages: Record<string, LatencySummary>;
}

const DEPTH = 50;

export async function benchQueries(
  dirs: { corpusDir: string; indexDir: string },
  questions: string[],
  options: { model?: string; coldRuns?: number },
): Promise<QueryFigures> {
  const { createLibrarian } = await import('../service/librarian.js');
  const t0 = performance.now();
  const librarian = await createLibrarian({ ...dirs, model: options.model, autoIngest: false, onWarning: () => undefined });
  await librarian.ask(questions[0]);
  const coldInProcessMs = performance.now() - t0;
  try {
    for (const q of questions.slice(0, 20)) await librarian.ask(q); // warm-up: JIT, caches

    const wall: number[] = [];
    const stage: Record<string, number[]> = { embed: [], search: [], compose: [], total: [] };
    for (const q of questions) {
      const t1 = performance.now();
      const answer = await librarian.ask(q);
      wall.push(performance.now() - t1);
      stage.embed.push(answer.timings.embedMs);
      stage.search.push(answer.timings.searchMs);
      stage.compose.push(answer.timings.composeMs);
      stage.total.push(answer.timings.totalMs);
    }
    const replayed = await replayRetrieval(librarian, questions);
    const stages: Record<string, LatencySummary> = {};
    for (const [name, samples] of Object.entries({ ...stage, ...replayed })) stages[name] = summarise(samples);

    const runs = options.coldRuns ?? 10;
    const coldRunsMs: number[] = [];
    const coldBinMs: number[] = [];
    const helpRunsMs: number[] = [];
    const helpBinMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const question = questions[i % questions.length];
      coldRunsMs.push(round(await coldAsk(dirs, question, options.model, 'npx')));
      coldBinMs.push(round(await coldAsk(dirs, question, options.model, 'bin')));
      helpRunsMs.push(round(await timeProcess(NPX, ['--no-install', 'lodestone', '--help'])));
      helpBinMs.push(round(await timeProcess(process.execPath, [BUILT_CLI, '--help'])));
    }
    const medianP95 = (samples: number[]) => ({ medianMs: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)) });
    return {
      questions: questions.length,
      warm: summarise(wall),
      coldFirstAnswerMs: round(percentile(coldRunsMs, 50)),
      coldFirstAnswerP95Ms: round(percentile(coldRunsMs, 95)),
      coldRunsMs,
      helpMs: round(percentile(helpRunsMs, 50)),
      helpP95Ms: round(percentile(helpRunsMs, 95)),
      helpRunsMs,
      bin: { coldAsk: medianP95(coldBinMs), help: medianP95(helpBinMs) },
      coldInProcessMs: round(coldInProcessMs),
      stages,
    };
  } finally {
    await librarian.close();
  }
}

/** Dense search, lexical search and fusion timed one by one on the librarian's own index and embedder. */
async function replayRetrieval(librarian: LibrarianService, questions: string[]): Promise<Record<string, number[]>> {
  const { prepareQuery } = await import('../retrieval/query.js');
  const { reciprocalRankFusion, DEFAULT_FUSION } = await import('../retrieval/fusion.js');
  const { index, embedder } = librarian.searcher({ expand: true });
  const dense: number[] = [];
  const lexical: number[] = [];
  const fusion: number[] = [];
  for (const q of questions) {
    const prepared = prepareQuery(q);
    const vector = await embedder.embedQuery(prepared.embedText);
    const t0 = performance.now();
    const d = await index.dense.search(vector, DEPTH);
    const t1 = performance.now();
    const l = await index.lexical.search(prepared.lexicalTerms, DEPTH);
    const t2 = performance.now();
    reciprocalRankFusion(
      [
        { items: d.map((h) => h.passage), weight: DEFAULT_FUSION.denseWeight },
        { items: l.map((h) => h.passage), weight: 1 - DEFAULT_FUSION.denseWeight },
      ],
      (p) => p.id,
      DEFAULT_FUSION.k,
    );
    const t3 = performance.now();
    dense.push(t1 - t0);
    lexical.push(t2 - t1);
    fusion.push(t3 - t2);
  }
  return { denseSearch: dense, lexicalSearch: lexical, fusion };
}

/** The built CLI (`npm run build`); `npm run bench` builds it first. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT_CLI = path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');

const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Wall time of a fresh `npx lodestone ask --json` (or the bin alone) answering one question (Node start, index and model load included). */
function coldAsk(dirs: { corpusDir: string; indexDir: string }, question: string, model: string | undefined, via: 'npx' | 'bin'): Promise<number> {
  if (!existsSync(BUILT_CLI)) return Promise.reject(new Error('no built CLI: run `npm run build` first'));
  const args = ['--corpus', dirs.corpusDir, '--index', dirs.indexDir, 'ask', '--json', question];
  const [command, prefix] = via === 'npx' ? [NPX, ['--no-install', 'lodestone']] : [process.execPath, [BUILT_CLI]];
  return timeProcess(command, [...prefix, ...args], model, (out) => out.trim().startsWith('{'));
}

/** Wall time of one process from spawn to exit; rejects on a non-zero exit or output that `ok` refuses. */
function timeProcess(command: string, args: string[], model?: string, ok: (stdout: string) => boolean = () => true): Promise<number> {
  const env = { ...process.env, LOG_LEVEL: 'silent', ...(model ? { EMBEDDING_MODEL: model } : {}) };
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env, cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0 || !ok(out)) return reject(new Error(`${path.basename(command)} ${args.slice(0, 2).join(' ')} exited ${code}: ${err.trim().split('\n')[0] ?? ''}`));
      resolve(ms);
    });
  });
}
