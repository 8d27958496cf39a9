/** `lodestone eval --squad FILE`: a reading-comprehension set as a temporary collection, every question asked and scored. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { createLibrarian } from '../service/librarian.js';
import { formatSquadTable, parseSquad, scoreSquadAnswer, selectSquad, squadThresholdCurve, summariseSquad, writeSquadCorpus, type SquadPart, type SquadScore, type SquadSelection } from '../service/squad.js';
import { progressReporter } from './progress.js';

export interface SquadOptions {
  squad: string;
  squadQuestions?: string;
  leaveOutEvery: number;
  part: SquadPart;
  json?: boolean;
  /** Keep the temporary collection in this folder (reused when it is there) instead of a fresh one removed at the end. */
  workDir?: string;
}

function readSet(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UserInputError(`cannot read the SQuAD file ${file}: ${why}`);
  }
}

export interface SquadRun {
  scores: SquadScore[];
  documents: number;
  ingestSeconds: number;
}

/** Builds the collection of the selected part and asks every question of it (near misses included). */
export async function runSquad(options: SquadOptions, onProgress?: (stage: string, done: number, total: number) => void, onWarning?: (m: string) => void): Promise<SquadRun> {
  const articles = parseSquad(readSet(options.squad), options.squad);
  const parallel = options.squadQuestions ? parseSquad(readSet(options.squadQuestions), options.squadQuestions) : undefined;
  const selection = selectSquad(articles, { part: options.part, leaveOutEvery: options.leaveOutEvery, parallel });
  if (selection.documents.length === 0) throw new UserInputError(`${options.squad}: no article falls in the ${options.part} part`);
  const root = options.workDir ?? mkdtempSync(join(tmpdir(), 'lodestone-squad-'));
  try {
    return await withFileStore(() => askSquad(root, selection, onProgress, onWarning));
  } finally {
    if (!options.workDir) rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Runs `work` with the file store: a collection built to measure is never a published generation, also when
 * DATABASE_URL (or VECTOR_STORE) is set for the rest of the process.
 */
export async function withFileStore<T>(work: () => Promise<T>): Promise<T> {
  const saved = { url: process.env.DATABASE_URL, vector: process.env.VECTOR_STORE };
  delete process.env.DATABASE_URL;
  delete process.env.VECTOR_STORE;
  try {
    return await work();
  } finally {
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    if (saved.vector !== undefined) process.env.VECTOR_STORE = saved.vector;
  }
}

async function askSquad(root: string, selection: SquadSelection, onProgress?: (stage: string, done: number, total: number) => void, onWarning?: (m: string) => void): Promise<SquadRun> {
  const corpusDir = join(root, 'corpus');
  rmSync(corpusDir, { recursive: true, force: true });
  writeSquadCorpus(corpusDir, selection.documents);
  const started = performance.now();
  const librarian = await createLibrarian({ corpusDir, indexDir: join(root, 'index'), composer: null, onProgress, onWarning });
  const ingestSeconds = (performance.now() - started) / 1000;
  try {
    const scores: SquadScore[] = [];
    for (const [i, q] of selection.questions.entries()) {
      const answer = await librarian.ask(q.question);
      scores.push(scoreSquadAnswer(q, answer, (id) => librarian.passage(id)?.text ?? ''));
      onProgress?.('asking', i + 1, selection.questions.length);
    }
    return { scores, documents: selection.documents.length, ingestSeconds };
  } finally {
    await librarian.close();
  }
}

export async function runSquadEval(options: SquadOptions): Promise<void> {
  const progress = progressReporter();
  let run: SquadRun;
  try {
    run = await runSquad(options, progress.onProgress, progress.warn);
  } finally {
    progress.stop();
  }
  const rows = summariseSquad(run.scores);
  const curve = squadThresholdCurve(run.scores.filter((s) => s.lang !== 'en'));
  const curveEn = squadThresholdCurve(run.scores.filter((s) => s.lang === 'en'));
  const what = { set: options.squad, questions: options.squadQuestions, part: options.part, leaveOutEvery: options.leaveOutEvery, documents: run.documents, ingestSeconds: Math.round(run.ingestSeconds * 10) / 10 };
  if (options.json) {
    console.log(JSON.stringify({ ...what, rows, perQuestion: run.scores }));
    return;
  }
  console.log(`${options.squad}${options.squadQuestions ? ` (questions from ${options.squadQuestions})` : ''} — ${options.part} part, ${run.documents} documents (built in ${what.ingestSeconds} s), every ${options.leaveOutEvery}th article left out`);
  console.log(formatSquadTable(rows));
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  for (const [name, points] of [['zh', curve], ['en', curveEn]] as const) {
    if (!points.some((p) => p.recall > 0)) continue;
    console.log(`support threshold ${name} (precision/recall of answering with the gold first): ${points.map((p) => `${p.threshold.toFixed(2)}:${pct(p.precision)}/${pct(p.recall)}`).join(' ')}`);
  }
}
