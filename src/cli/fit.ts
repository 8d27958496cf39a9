/**
 * `lodestone eval --fit`: fits the answer-or-refuse model on the fitting parts of the public sets and the
 * project's own sets (never the report parts, never the held-out seed set), writes model/answer-decision.json,
 * and with --report measures the report parts with it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { boostedProbability, DECISION_FEATURES, DECISION_MODEL_FILE, featureVector, leadTraces, parseDecisionModel, SENTENCE_FEATURES, sentenceTraces, useDecisionModel, type DecisionFeatures, type DecisionModel, type LeadModel, type LinearModel } from '../answer/decision.js';
import { sha256 } from '../core/hash.js';
import { LEAD_FEATURES } from '../answer/leadSpans.js';
import { searchKey } from '../text/searchKey.js';
import { UserInputError } from '../core/errors.js';
import { parseQuestionSet } from '../retrieval/evaluate.js';
import { containsEvidence, type EvalQuestion } from '../service/evaluate-answers.js';
import { chooseThreshold, curve, fitBoosted, fitSoftmaxRanker, type Example } from '../service/fitDecision.js';
import { createLibrarian, type LibrarianService } from '../service/librarian.js';
import { summariseSquad, type SquadPart, type SquadRow } from '../service/squad.js';
import { progressReporter } from './progress.js';
import { runSquad, withFileStore } from './squad.js';

/** The share of near misses the product means to refuse, per asker's language: where the threshold is read off the curve. */
export const REFUSE_TARGET = { zh: 0.9, en: 0.9 };

/** The seed set written last and unseen: read to report, never fitted on. */
export const HELD_OUT_SEED_SETS = ['fresh8.jsonl', 'fresh9.jsonl'];

interface ExternalRun {
  name: string;
  squad: string;
  questions?: string;
}

function externalRuns(dir: string): ExternalRun[] {
  const runs: ExternalRun[] = [
    { name: 'cmrc2018', squad: join(dir, 'cmrc2018-dev.json') },
    { name: 'drcd', squad: join(dir, 'drcd-dev.json') },
    { name: 'xquad-zh', squad: join(dir, 'xquad-dev.zh.json') },
    { name: 'xquad-en', squad: join(dir, 'xquad-dev.zh.json'), questions: join(dir, 'xquad-dev.en.json') },
  ];
  const missing = runs.flatMap((r) => [r.squad, r.questions ?? r.squad]).filter((f) => !existsSync(f));
  if (missing.length) throw new UserInputError(`--external ${dir}: missing ${[...new Set(missing)].join(', ')} (the public sets; see eval/README.md)`);
  return runs;
}

const PLACEHOLDER: DecisionModel = {
  version: 0,
  features: [...DECISION_FEATURES],
  base: 0,
  rate: 0,
  trees: [],
  threshold: { zh: 0.5, en: 0.5 },
};

/** The model in the file, or a placeholder when there is none or the code's features changed since it was fitted. */
function currentModel(file: string): DecisionModel {
  if (!existsSync(file)) return PLACEHOLDER;
  try {
    return parseDecisionModel(readFileSync(file, 'utf8'), file);
  } catch {
    return PLACEHOLDER;
  }
}

function toExample(features: Record<string, number> | undefined, y: boolean, english: boolean, nearMiss: boolean): Omit<Example, 'w'> | undefined {
  if (!features) return undefined;
  return { x: featureVector(features as DecisionFeatures), y: y ? 1 : 0, group: english ? 'en' : 'zh', nearMiss };
}

function sourceWeight(name: string, sources: number): number {
  return name === SEED_SOURCE ? sources - 1 : 1;
}

const SEED_SOURCE = 'seed sets';

interface Collected {
  name: string;
  examples: Omit<Example, 'w'>[];
  /** Per question: its candidate sentences' ranker features and labels (questions with an answering sentence only). */
  rankings: { x: number[]; y: boolean }[][];
}

/** Does this sentence hold the evidence (or is it part of an evidence string that spans sentences)? */
function holdsEvidence(sentence: string, evidence: string[]): boolean {
  const s = sentence.replace(/\s+/g, '');
  return s.length >= 4 && evidence.some((e) => {
    const k = e.replace(/\s+/g, '');
    return s.includes(k) || k.includes(s);
  });
}

/** The seed sets fitted on: eval/*.jsonl except the held-out ones, in name order. */
function fittingSeedFiles(evalDir: string): string[] {
  return readdirSync(evalDir)
    .filter((f) => f.endsWith('.jsonl') && !HELD_OUT_SEED_SETS.includes(f))
    .sort()
    .map((f) => join(evalDir, f));
}

/** A librarian over the repository's corpus, indexed in a temporary folder removed afterwards (extractive only). */
async function withSeedLibrarian<T>(corpusDir: string, use: (librarian: LibrarianService) => Promise<T>): Promise<T> {
  const root = mkdtempSync(join(tmpdir(), 'lodestone-fit-'));
  try {
    const librarian = await createLibrarian({ corpusDir, indexDir: join(root, 'index'), composer: null });
    try {
      return await use(librarian);
    } finally {
      await librarian.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The seed sets' questions asked of the repository's corpus, with the decision's and the ranker's labels. */
async function seedCollected(corpusDir: string, files: string[]): Promise<Collected> {
  const collected: Collected = { name: SEED_SOURCE, examples: [], rankings: [] };
  return withSeedLibrarian(corpusDir, async (librarian) => {
    for (const file of files) {
      for (const q of parseQuestionSet(readFileSync(file, 'utf8')) as EvalQuestion[]) {
        if (q.kind !== 'ask' && q.kind !== 'none') continue;
        if (q.kind === 'ask' && q.evidence.length === 0) continue;
        const answer = await librarian.ask(q.question);
        const firstId = answer.decision?.firstPassageId;
        const right = q.kind === 'ask' && firstId !== undefined && containsEvidence(librarian.passage(firstId)?.text ?? '', q.evidence);
        const example = toExample(answer.decision?.features, right, q.lang === 'en', q.kind === 'none');
        if (example) collected.examples.push(example);
        if (q.kind === 'ask' && answer.decision?.sentences) collected.rankings.push(answer.decision.sentences.map((c) => ({ x: c.x, y: holdsEvidence(c.text, q.evidence) })));
      }
    }
    return collected;
  });
}

/** Asks every fitting question once with the model in use; returns what each source gives to fit on. */
async function collect(runs: ExternalRun[], corpusDir: string, seedFiles: string[], onProgress: (stage: string, done: number, total: number) => void): Promise<Collected[]> {
  const sources: Collected[] = [];
  for (const run of runs) {
    const result = await runSquad({ squad: run.squad, squadQuestions: run.questions, part: 'fit', leaveOutEvery: 6 }, onProgress);
    sources.push({
      name: run.name,
      examples: result.scores.map((s) => toExample(s.features, s.firstHolds && !s.nearMiss, s.lang === 'en', s.nearMiss)).filter((e): e is Omit<Example, 'w'> => e !== undefined),
      rankings: result.scores.flatMap((s) => (s.sentences ? [s.sentences] : [])),
    });
  }
  // what is fitted on is built in temporary folders with the file store, never published (also with DATABASE_URL)
  sources.push(await withFileStore(() => seedCollected(corpusDir, seedFiles)));
  return sources;
}

/** The ranker's questions: each source weighs the same; a question no candidate answers (or every one does) teaches nothing. */
function rankerQuestions(sources: Collected[]): { x: number[][]; y: boolean[]; w: number }[] {
  return sources.flatMap((source) => {
    const useful = source.rankings.filter((list) => list.some((c) => c.y) && list.some((c) => !c.y));
    return useful.map((list) => ({ x: list.map((c) => c.x), y: list.map((c) => c.y), w: 1 / useful.length }));
  });
}

/** The report parts measured with a model not yet written (it is checked as the file would be). */
async function reportWith(model: DecisionModel, runs: ExternalRun[]): Promise<Record<string, SquadRow>> {
  useDecisionModel(parseDecisionModel(JSON.stringify(model)));
  const reporter = progressReporter();
  try {
    return await reportParts(runs, 'report', reporter.onProgress);
  } finally {
    reporter.stop();
  }
}

async function reportParts(runs: ExternalRun[], part: SquadPart, onProgress: (stage: string, done: number, total: number) => void): Promise<Record<string, SquadRow>> {
  const rows: Record<string, SquadRow> = {};
  for (const run of runs) {
    const result = await runSquad({ squad: run.squad, squadQuestions: run.questions, part, leaveOutEvery: 6 }, onProgress);
    rows[run.name] = summariseSquad(result.scores)[0];
  }
  return rows;
}

export async function runFit(options: { external: string; corpusDir: string; evalDir: string; report: boolean; out?: string; dump?: string }): Promise<void> {
  const runs = externalRuns(options.external);
  const seedFiles = fittingSeedFiles(options.evalDir);
  const out = options.out ?? DECISION_MODEL_FILE;
  const current = currentModel(out);
  const progress = progressReporter();
  let sources: Collected[];
  let ranker: LinearModel;
  try {
    // pass 1: every candidate sentence, to fit which one answers (the candidates do not depend on the model)
    sentenceTraces.on = true;
    useDecisionModel({ ...current, ranker: undefined });
    const first = await collect(runs, options.corpusDir, seedFiles, progress.onProgress);
    sentenceTraces.on = false;
    if (options.dump) writeFileSync(`${options.dump}.rankings.json`, `${JSON.stringify({ features: SENTENCE_FEATURES, sources: first.map((s) => ({ name: s.name, rankings: s.rankings })) })}\n`);
    const rankerFit = fitSoftmaxRanker(rankerQuestions(first), SENTENCE_FEATURES.length);
    ranker = { features: [...SENTENCE_FEATURES], mean: rankerFit.mean.map(round), scale: rankerFit.scale.map(round), weights: rankerFit.weights.map(round), bias: round(rankerFit.bias) };
    // pass 2: with that ranker choosing the sentences, the decision's features and labels
    useDecisionModel({ ...current, ranker });
    sources = await collect(runs, options.corpusDir, seedFiles, progress.onProgress);
  } finally {
    sentenceTraces.on = false;
    progress.stop();
  }
  if (options.dump) writeFileSync(options.dump, `${JSON.stringify({ features: DECISION_FEATURES, sources: sources.map((s) => ({ name: s.name, examples: s.examples })) })}\n`);
  // every source weighs the same in all, whatever its size — the project's own sets (questions as people here ask
  // them, about a small collection) as much as the public sets together
  const examples: Example[] = sources.flatMap((s) => s.examples.map((e) => ({ ...e, w: sourceWeight(s.name, sources.length) / Math.max(1, s.examples.length) })));
  const fitted = fitBoosted(examples, DECISION_FEATURES.length);
  const p = examples.map((e) => boostedProbability(fitted, e.x));
  const thresholds = { zh: 0.5, en: 0.5 };
  const chosen: Record<string, unknown> = {};
  for (const group of ['zh', 'en'] as const) {
    const idx = examples.map((e, i) => (e.group === group ? i : -1)).filter((i) => i >= 0);
    const point = chooseThreshold(curve(idx.map((i) => examples[i]), idx.map((i) => p[i])), REFUSE_TARGET[group]);
    thresholds[group] = point.threshold;
    chosen[group] = { ...point, examples: idx.length };
  }
  const model: DecisionModel = {
    version: 1,
    about: 'The answer-or-refuse model of src/answer/decision.ts. Written by `lodestone eval --fit`; review the figures before committing it.',
    features: [...DECISION_FEATURES],
    ...fitted,
    threshold: thresholds,
    ranker,
    fit: {
      command: `lodestone eval --fit --external ${options.external}${options.report ? ' --report' : ''}`,
      split: 'external sets: the fitting part (odd articles in file order), every 6th article of it left out as near misses; seed sets: eval/*.jsonl except the held-out ones',
      heldOut: HELD_OUT_SEED_SETS,
      refuseTarget: REFUSE_TARGET,
      inputs: [...runs.flatMap((r) => [r.squad, ...(r.questions ? [r.questions] : [])]), ...seedFiles].filter((f, i, all) => all.indexOf(f) === i).map((f) => ({ file: `${basename(dirname(f))}/${basename(f)}`, sha256: sha256(readFileSync(f)) })),
      examples: Object.fromEntries(sources.map((s) => [s.name, s.examples.length])),
      rankedQuestions: Object.fromEntries(sources.map((s) => [s.name, s.rankings.length])),
      operatingPoint: chosen,
    },
  };
  if (options.report) model.report = await reportWith(model, runs);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`);
  console.log(`wrote ${out}: ${examples.length} examples (${sources.map((s) => `${s.name} ${s.examples.length}`).join(', ')})`);
  console.log(`thresholds: zh ${thresholds.zh}, en ${thresholds.en}`);
  console.log(JSON.stringify(chosen));
  if (model.report) for (const [name, row] of Object.entries(model.report as Record<string, SquadRow>)) console.log(`report ${name}: first citation ${pct(row.firstCitation)}, lead ${pct(row.lead)}, near misses refused ${pct(row.nearMissesRefused)}, answered ${pct(row.answered)}`);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The lead ranker's trees, and how far below the best a shorter span may be rated and still lead (fitted in two folds). */
const LEAD_TREES = { rounds: 150, depth: 3, minLeaf: 10 };
const LEAD_SLACK = 0.03;

/** One question's candidate lead spans: features, whether each holds the answer, and how long it is. */
type LeadRanking = { x: number[]; y: boolean; chars: number }[];

/** A keyword (alternatives joined by |) of a seed question is in the span. */
function holdsKeyword(text: string, keywords: string[]): boolean {
  const key = searchKey(text).replace(/\s+/g, '');
  return keywords.some((k) => k.split('|').some((alt) => alt.trim() && key.includes(searchKey(alt).replace(/\s+/g, ''))));
}

/** The seed sets' answered questions, each with its candidate lead spans labelled by its answer keywords. */
async function seedLeadRankings(corpusDir: string, files: string[]): Promise<LeadRanking[]> {
  const rankings: LeadRanking[] = [];
  return withSeedLibrarian(corpusDir, async (librarian) => {
    for (const file of files) {
      for (const q of parseQuestionSet(readFileSync(file, 'utf8')) as EvalQuestion[]) {
        if (q.kind !== 'ask' || !q.answer_keywords?.length || q.answer_keywords.includes('+')) continue;
        const answer = await librarian.ask(q.question);
        const leads = answer.decision?.leads;
        if (answer.supported && leads) rankings.push(leads.map((c) => ({ x: c.x, y: holdsKeyword(c.text, q.answer_keywords!), chars: [...c.text].length })));
      }
    }
    return rankings;
  });
}

/**
 * `lodestone eval --fit-lead`: fits which span of the quoted sentences leads (src/answer/leadSpans.ts) on the fitting
 * parts and the seed sets, with the answer-or-refuse model in the file unchanged, and writes it as the file's `lead`.
 * A span that holds the answer is a positive; the shortest span rated within LEAD_SLACK of the best leads (the
 * reader wants the answer, not the sentence). With --report, the report parts are measured with it and recorded.
 */
export async function runFitLead(options: { external: string; corpusDir: string; evalDir: string; report: boolean; out?: string; dump?: string }): Promise<void> {
  const runs = externalRuns(options.external);
  const seedFiles = fittingSeedFiles(options.evalDir);
  const out = options.out ?? DECISION_MODEL_FILE;
  const current = parseDecisionModel(readFileSync(out, 'utf8'), out);
  const progress = progressReporter();
  const sources: { name: string; rankings: LeadRanking[] }[] = [];
  try {
    leadTraces.on = true;
    useDecisionModel({ ...current, lead: undefined });
    for (const run of runs) {
      const result = await runSquad({ squad: run.squad, squadQuestions: run.questions, part: 'fit', leaveOutEvery: 6 }, progress.onProgress);
      sources.push({ name: run.name, rankings: result.scores.flatMap((s) => (s.supported && s.leads ? [s.leads] : [])) });
    }
    sources.push({ name: SEED_SOURCE, rankings: await withFileStore(() => seedLeadRankings(options.corpusDir, seedFiles)) });
  } finally {
    leadTraces.on = false;
    progress.stop();
  }
  if (options.dump) writeFileSync(options.dump, `${JSON.stringify({ features: LEAD_FEATURES, sources })}\n`);
  // pointwise: the probability that a span holds the answer (boosted trees: a figure matters when a figure is asked,
  // nearness to the question's words when the span says something new); every source weighs the same, each question
  // as much as another of its source. Measured in two folds of the fitting data, against a listwise linear ranker:
  // 75% against 51% of answered questions led by a span holding the answer.
  const examples: Example[] = sources.flatMap((source) =>
    source.rankings.flatMap((list) => list.map((c) => ({ x: c.x, y: c.y ? 1 : 0, w: 1 / Math.max(1, source.rankings.length) / list.length, group: 'zh' as const, nearMiss: false }))),
  );
  const fit = fitBoosted(examples, LEAD_FEATURES.length, LEAD_TREES);
  const lead: LeadModel = { features: [...LEAD_FEATURES], base: round(fit.base), rate: fit.rate, slack: LEAD_SLACK, trees: fit.trees };
  const model: DecisionModel = {
    ...current,
    lead,
    leadFit: {
      command: `lodestone eval --fit-lead --external ${options.external}${options.report ? ' --report' : ''}`,
      split: 'the same fitting parts and seed sets as the decision; answered questions only; positives: spans holding a gold answer (seed: an answer keyword)',
      trees: LEAD_TREES,
      questions: Object.fromEntries(sources.map((s) => [s.name, s.rankings.length])),
    },
  };
  if (options.report) model.leadReport = await reportWith(model, runs);
  writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`);
  console.log(`wrote the lead ranker into ${out}: ${examples.length} spans (${sources.map((s) => `${s.name} ${s.rankings.length}`).join(', ')})`);
  if (model.leadReport) for (const [name, row] of Object.entries(model.leadReport as Record<string, SquadRow>)) console.log(`report ${name}: lead ${pct(row.lead)}, lead chars ${row.leadMedianChars}/${row.leadP90Chars}, first citation ${pct(row.firstCitation)}`);
}
