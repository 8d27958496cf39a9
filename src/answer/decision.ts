/**
 * Answer or refuse: a logistic model over general features of the question, the retrieved passages and the
 * sentences the composer chose, fitted by `lodestone eval --fit` on the fitting parts of public
 * reading-comprehension sets and the project's own sets, and kept as reviewed data in
 * model/answer-decision.json (weights, the threshold per language read off the precision–recall curve, the
 * fit's command, inputs and figures). No feature names a phrasing, a fact or a collection: each is a share,
 * a rank, a normalised score or a yes/no about the kind of answer, so it means the same on any documents.
 */
import { LEAD_FEATURES } from './leadSpans.js';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.js';

/** The features, in the order the model file's weights follow (a test checks the file against this list). */
export const DECISION_FEATURES = [
  /** Weighted share of the question's items the supporting sentences hold (rarer in the pool ⇒ heavier). */
  'coverage',
  /** Share of the question's distinctive (rare) items the supporting sentences hold. */
  'distinctive',
  /** The same share within the sentence holding the figure or date asked for (1 when none is asked). */
  'typedDistinctive',
  /** The kind of answer asked for (figure, date, list, name, place) is in a chosen sentence. */
  'answerType',
  /** A name of the question (title, quoted term, acronym) is in no retrieved passage. */
  'missingName',
  /** The sentence ranker's score of the best sentence (its logit; 0 without a ranker). */
  'topRelevance',
  /** Best sentence's relevance minus the best of another passage. */
  'relevanceMargin',
  /** Share of the question's character pairs (and Latin words) in the first cited passage, weighted by rarity in the pool. */
  'pairCoverage',
  /** Share of the question's three rarest character pairs in the first cited passage. */
  'rarePairCoverage',
  /** Fused retrieval score of the first passage over the mean of the top ten. */
  'fusedRatio',
  /** (first − second) / first fused retrieval score. */
  'fusedMargin',
  /** Rank of the first cited passage in retrieval, 0 for the first (/ 8). */
  'citedRank',
  /** The question is in English (its words reach Chinese text only through the glossary and the lexicon). */
  'english',
  /** english × coverage. */
  'englishCoverage',
] as const;

/** The sentence ranker's features (src/answer/decisionFeatures.ts sentenceFeatures), in the model file's order. */
export const SENTENCE_FEATURES = [
  'itemCoverage',
  'passageCoverage',
  'windowCoverage',
  'sentencePairs',
  'sentenceRarePairs',
  'rankPrior',
  'scoreRatio',
  'holdsType',
  'footnote',
  'tableRow',
  'length',
  'opening',
  'novelty',
  'commonRun',
  'charOverlap',
] as const;

export type SentenceFeature = (typeof SENTENCE_FEATURES)[number];
export type SentenceFeatures = Record<SentenceFeature, number>;

export type DecisionFeature = (typeof DECISION_FEATURES)[number];
export type DecisionFeatures = Record<DecisionFeature, number>;

/** A logistic model over named features. */
export interface LinearModel {
  features: string[];
  /** Standardisation: (x − mean) / scale before the weights. */
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/** A regression tree of the boosted decision: a leaf's value, or a split on feature `f` at `t` (≤ goes left). */
export type TreeNode = { v: number } | { f: number; t: number; l: TreeNode; r: TreeNode };

/** Gradient-boosted trees: probability = sigmoid(base + rate × Σ tree(x)). */
export interface BoostedModel {
  base: number;
  rate: number;
  trees: TreeNode[];
}

export interface LeadModel extends BoostedModel {
  features: string[];
  slack: number;
}

export interface DecisionModel extends BoostedModel {
  version: number;
  features: string[];
  /** Answer when the probability is at least this, per asker's language group. */
  threshold: { zh: number; en: number };
  /** Which sentence answers (and leads): the probability that a candidate sentence holds the answer. */
  ranker?: LinearModel;
  /**
   * Which span of the quoted sentences leads (src/answer/leadSpans.ts): boosted trees giving the probability that a
   * span holds the answer, fitted by `lodestone eval --fit-lead`; among the spans within `slack` of the best, the
   * shortest leads.
   */
  lead?: LeadModel;
  [key: string]: unknown;
}

export const DECISION_MODEL_FILE = fileURLToPath(new URL('../../model/answer-decision.json', import.meta.url));

let loaded: DecisionModel | undefined;

/** Checks a model file's shape and its feature list against the code's. */
export function parseDecisionModel(text: string, file = DECISION_MODEL_FILE): DecisionModel {
  let model: DecisionModel;
  try {
    model = JSON.parse(text) as DecisionModel;
  } catch (error) {
    throw new ConfigError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(model.features) || model.features.join(',') !== DECISION_FEATURES.join(',')) throw new ConfigError(`${file}: the decision was fitted on other features than the code computes: run \`lodestone eval --fit\` again`);
  if (typeof model.base !== 'number' || typeof model.rate !== 'number' || !Array.isArray(model.trees) || !model.trees.every((t) => validTree(t, DECISION_FEATURES.length))) throw new ConfigError(`${file}: base, rate and trees must describe boosted trees over the ${DECISION_FEATURES.length} features`);
  if (model.ranker) checkLinear(model.ranker, SENTENCE_FEATURES, file, 'the sentence ranker');
  if (model.lead) checkLead(model.lead, file);
  if (typeof model.threshold?.zh !== 'number' || typeof model.threshold?.en !== 'number') throw new ConfigError(`${file}: threshold.zh/en must be numbers`);
  return model;
}

function validTree(node: unknown, n: number): boolean {
  if (typeof node !== 'object' || node === null) return false;
  if ('v' in node) return typeof node.v === 'number' && Number.isFinite(node.v);
  const split = node as { f?: unknown; t?: unknown; l?: unknown; r?: unknown };
  return Number.isInteger(split.f) && (split.f as number) >= 0 && (split.f as number) < n && typeof split.t === 'number' && validTree(split.l, n) && validTree(split.r, n);
}

function checkLead(model: LeadModel, file: string): void {
  if (!Array.isArray(model.features) || model.features.join(',') !== LEAD_FEATURES.join(',')) throw new ConfigError(`${file}: the lead ranker was fitted on other features than the code computes: run \`lodestone eval --fit-lead\` again`);
  if (typeof model.base !== 'number' || typeof model.rate !== 'number' || typeof model.slack !== 'number' || !Array.isArray(model.trees) || !model.trees.every((t) => validTree(t, LEAD_FEATURES.length))) throw new ConfigError(`${file}: the lead ranker's base, rate, slack and trees must describe boosted trees over the ${LEAD_FEATURES.length} lead features`);
}

function checkLinear(model: LinearModel, features: readonly string[], file: string, what: string): void {
  const n = features.length;
  const sameFeatures = Array.isArray(model.features) && model.features.join(',') === features.join(',');
  if (!sameFeatures) throw new ConfigError(`${file}: ${what} was fitted on other features than the code computes: run \`lodestone eval --fit\` again`);
  for (const key of ['mean', 'scale', 'weights'] as const) {
    if (!Array.isArray(model[key]) || model[key].length !== n || model[key].some((x) => typeof x !== 'number' || !Number.isFinite(x))) throw new ConfigError(`${file}: ${what}'s ${key} must be ${n} numbers`);
  }
  if (typeof model.bias !== 'number' || !Number.isFinite(model.bias)) throw new ConfigError(`${file}: ${what}'s bias must be a number`);
}

/** The model the composer uses: model/answer-decision.json (read once), or one set by `eval --fit` while it measures. */
export function decisionModel(): DecisionModel {
  if (loaded) return loaded;
  if (!existsSync(DECISION_MODEL_FILE)) throw new ConfigError(`${DECISION_MODEL_FILE} is missing: it ships with the repository (re-create it with \`lodestone eval --fit\`)`);
  loaded = parseDecisionModel(readFileSync(DECISION_MODEL_FILE, 'utf8'));
  return loaded;
}

/** For `eval --fit`: measure a model before it is written. */
export function useDecisionModel(model: DecisionModel | undefined): void {
  loaded = model;
}

export function featureVector(features: DecisionFeatures): number[] {
  return DECISION_FEATURES.map((f) => features[f]);
}

export function linearLogit(model: LinearModel, x: number[]): number {
  let z = model.bias;
  for (let i = 0; i < x.length; i++) z += model.weights[i] * ((x[i] - model.mean[i]) / (model.scale[i] || 1));
  return z;
}

function treeValue(node: TreeNode, x: number[]): number {
  let n = node;
  while (!('v' in n)) n = x[n.f] <= n.t ? n.l : n.r;
  return n.v;
}

export function boostedProbability(model: BoostedModel, x: number[]): number {
  let z = model.base;
  for (const tree of model.trees) z += model.rate * treeValue(tree, x);
  return 1 / (1 + Math.exp(-z));
}

/** Probability that an answer from these sentences is right (its first citation holds the answer). */
export function answerProbability(model: DecisionModel, features: DecisionFeatures): number {
  return boostedProbability(model, featureVector(features));
}

export function sentenceVector(features: SentenceFeatures): number[] {
  return SENTENCE_FEATURES.map((f) => features[f]);
}

/**
 * `eval --fit` collects every candidate sentence's features to fit the ranker; the bot and the CLI never do
 * (the trace is large), so it is a switch, off unless the fit turns it on.
 */
export const sentenceTraces = { on: false };

/** While `eval --fit-lead` collects them: answers carry every candidate lead span and its features. */
export const leadTraces = { on: false };
