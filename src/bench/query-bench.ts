import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LibrarianService } from '../service/librarian.js';
import { percentile, round, summarise, type LatencySummary } from './stats.js';

export interface QueryFigures {
  questions: number;
  /** Wall time of `librarian.ask` per question, warm. */
  warm: LatencySummary;
  /** A fresh `node bin/lodestone.js ask --json` process against the built index: start to answer (median of runs). */
  coldFirstAnswerMs: number;
  coldRunsMs: number[];
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

    const coldRunsMs: number[] = [];
    for (let i = 0; i < (options.coldRuns ?? 3); i++) coldRunsMs.push(round(await coldAsk(dirs, questions[i % questions.length], options.model)));
    return {
      questions: questions.length,
      warm: summarise(wall),
      coldFirstAnswerMs: round(percentile(coldRunsMs, 50)),
      coldRunsMs,
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

/** Wall time of a fresh CLI process answering one question (Node start, tsx, index and model load included). */
function coldAsk(dirs: { corpusDir: string; indexDir: string }, question: string, model: string | undefined): Promise<number> {
  const bin = fileURLToPath(new URL('../../bin/lodestone.js', import.meta.url));
  const env = { ...process.env, LOG_LEVEL: 'silent', ...(model ? { EMBEDDING_MODEL: model } : {}) };
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, '--corpus', dirs.corpusDir, '--index', dirs.indexDir, 'ask', '--json', question], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0 || !out.trim().startsWith('{')) return reject(new Error(`cold ask exited ${code}: ${err.trim().split('\n')[0] ?? ''}`));
      resolve(ms);
    });
  });
}
