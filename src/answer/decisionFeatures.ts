/** The answer-or-refuse decision's features (src/answer/decision.ts), from what the composer already computed. */
import type { Passage } from '../core/passage.js';
import type { ScoredPassage } from '../core/answer.js';
import { searchKey } from '../text/searchKey.js';
import { COMMON_ENGLISH } from '../text/segment.js';
import type { DecisionFeatures, SentenceFeatures } from './decision.js';

export interface FeatureInputs {
  coverage: number;
  distinctive: number;
  typedDistinctive: number;
  answerType: boolean;
  missingName: boolean;
  /** Every candidate sentence's relevance and passage, any order. */
  sentences: { relevance: number; passageId: string }[];
  /** The ranker's score of the best sentence (-Infinity without a ranker). */
  bestLogit: number;
  /** The passage the answer would cite first, and its rank among the gathered passages. */
  first: Passage | undefined;
  firstRank: number;
  /** Retrieval results, best first. */
  results: ScoredPassage[];
  /** The passages the composer gathered (the pool rarity is measured in). */
  pool: Passage[];
  /** The question's content terms (search-key form), the glossary's Chinese for an English question's words included. */
  terms: string[];
  english: boolean;
}

const UNIT = /\p{Script=Han}|[a-z0-9]+(?:\.\d+)?/gu;

/**
 * The units texts are compared in, for any script: each Han character, and each Latin word or number (search-key
 * form, words every English text uses left out), so an English question meets an English passage as a Chinese
 * one meets a Chinese passage.
 */
export function textUnits(key: string): string[] {
  const units = key.match(UNIT) ?? [];
  const han = units.filter(isHan);
  // Chinese text by its characters alone (the numbers and acronyms in it are items of the question already);
  // English text (more Latin letters than Han characters) by its words too
  const latinLetters = units.filter((u) => !isHan(u)).reduce((n, u) => n + u.length, 0);
  if (latinLetters <= han.length) return han;
  return units.filter((u) => isHan(u) || (!COMMON_ENGLISH.has(u) && !/^\d/.test(u)));
}

function isHan(unit: string): boolean {
  return /\p{Script=Han}/u.test(unit);
}

/** The question's content terms as units: a Han term's character pairs (a one-character term stands for itself), a Latin word itself. */
function termPairs(terms: string[]): string[] {
  const pairs = new Set<string>();
  for (const term of terms) {
    const units = textUnits(term);
    // a Han term by its character pairs (one character stands for itself); a Latin word is a unit of its own
    for (const u of units) if (!isHan(u)) pairs.add(u);
    const han = units.filter(isHan);
    if (han.length === 1) pairs.add(han[0]);
    for (let i = 0; i + 1 < han.length; i++) pairs.add(han[i] + han[i + 1]);
  }
  return [...pairs];
}

/** The question's character pairs with their rarity in the gathered passages, measured once per question. */
export interface PairStats {
  pairs: string[];
  weightOf: Map<string, number>;
  /** The three rarest pairs. */
  rare: string[];
}

export function pairStats(terms: string[], pool: Passage[]): PairStats {
  const pairs = termPairs(terms);
  const keys = pool.map((p) => passageKey(p));
  // rarity in the pool: a pair every gathered passage holds tells little; one only the cited passage holds, much
  const weightOf = new Map(pairs.map((pair) => [pair, Math.log((keys.length + 1) / (keys.filter((k) => k.includes(pair)).length + 0.5))]));
  const rare = [...pairs].sort((a, b) => weightOf.get(b)! - weightOf.get(a)!).slice(0, 3);
  return { pairs, weightOf, rare };
}

/** Rarity-weighted share of the question's pairs a text holds, and the share of its three rarest. */
export function pairCoverage(stats: PairStats, key: string): { weighted: number; rare: number } {
  let got = 0;
  let total = 0;
  for (const pair of stats.pairs) {
    const w = stats.weightOf.get(pair)!;
    total += w;
    if (key.includes(pair)) got += w;
  }
  return { weighted: total > 0 ? got / total : 0, rare: stats.rare.length ? stats.rare.filter((p) => key.includes(p)).length / stats.rare.length : 0 };
}

function passageKey(p: Passage): string {
  return (p.searchKey || searchKey(p.text)).replace(/\s+/g, '');
}

export function decisionFeatures(x: FeatureInputs): DecisionFeatures {
  const sorted = [...x.sentences].sort((a, b) => b.relevance - a.relevance);
  const top = sorted[0];
  const other = top ? sorted.find((s) => s.passageId !== top.passageId) : undefined;
  const stats = pairStats(x.terms, x.pool);
  const firstKey = x.first ? passageKey(x.first) : '';
  const pairs = pairCoverage(stats, firstKey);
  const scores = x.results.map((r) => r.score);
  const top10 = scores.slice(0, 10);
  const mean = top10.length ? top10.reduce((s, v) => s + v, 0) / top10.length : 0;
  const firstScore = x.first ? (x.results.find((r) => r.passage.id === x.first!.id)?.score ?? 0) : 0;
  const second = x.results.find((r) => r.passage.id !== x.first?.id)?.score ?? 0;
  return {
    coverage: x.coverage,
    distinctive: x.distinctive,
    typedDistinctive: x.typedDistinctive,
    answerType: x.answerType ? 1 : 0,
    missingName: x.missingName ? 1 : 0,
    topRelevance: Number.isFinite(x.bestLogit) ? x.bestLogit : 0,
    relevanceMargin: top ? top.relevance - (other?.relevance ?? 0) : 0,
    pairCoverage: pairs.weighted,
    rarePairCoverage: pairs.rare,
    fusedRatio: mean > 0 ? firstScore / mean : 0,
    fusedMargin: firstScore > 0 ? Math.max(-1, (firstScore - second) / firstScore) : -1,
    citedRank: Math.min(1, x.firstRank / 8),
    english: x.english ? 1 : 0,
    englishCoverage: x.english ? x.coverage : 0,
  };
}

export interface SentenceInputs {
  text: string;
  /** The sentence's search key, and its passage's. */
  key: string;
  passage: Passage;
  /** Weighted share of the question's items the sentence, its passage, and it with its neighbours hold. */
  itemCoverage: number;
  passageCoverage: number;
  windowCoverage: number;
  /** Rank of its passage among the gathered ones (footnotes take the citing paragraph's). */
  rank: number;
  /** Its passage's fused score over the best passage's. */
  scoreRatio: number;
  /** It holds the kind of answer asked for (a figure, a date, …); undefined when the question asks for none. */
  holdsType: boolean | undefined;
  /** Position in its passage. */
  index: number;
  questionKey: string;
  stats: PairStats;
  /** questionChars(): the question's units and their rarity. */
  questionUnits: string[];
  charWeight: (c: string) => number;
}

/** One candidate sentence's features for the sentence ranker (which sentence answers, and so leads). */
export function sentenceFeatures(x: SentenceInputs): SentenceFeatures {
  const key = x.key.replace(/\s+/g, '');
  const pairs = pairCoverage(x.stats, key);
  const han = textUnits(x.key);
  // what the sentence says beyond the question: an answer adds something, a restatement adds nothing
  const asked = new Set(x.questionUnits);
  const novel = han.length ? han.filter((u) => !asked.has(u)).length / han.length : 0;
  return {
    itemCoverage: x.itemCoverage,
    passageCoverage: x.passageCoverage,
    windowCoverage: x.windowCoverage,
    sentencePairs: pairs.weighted,
    sentenceRarePairs: pairs.rare,
    rankPrior: 1 - Math.min(1, x.rank / 8),
    scoreRatio: x.scoreRatio,
    holdsType: x.holdsType === undefined ? 0 : x.holdsType ? 1 : -1,
    footnote: x.passage.kind === 'footnote' ? 1 : 0,
    tableRow: x.passage.kind === 'table-row' ? 1 : 0,
    length: Math.log1p([...x.text].length) / 5,
    opening: x.index === 0 ? 1 : 0,
    novelty: novel,
    commonRun: x.questionUnits.length ? longestCommonRun(x.questionUnits, han) / x.questionUnits.length : 0,
    charOverlap: charOverlap(x.questionUnits, han, x.charWeight),
  };
}

/** Longest run of characters the question and the sentence share, in order (the question's phrase as the text writes it). */
function longestCommonRun(a: string[], b: string[]): number {
  let best = 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        row[j] = prev[j - 1] + 1;
        if (row[j] > best) best = row[j];
      }
    }
    prev = row;
  }
  return best;
}

/** Rarity-weighted share of the question's distinct units (Han characters, Latin words) the sentence holds. */
function charOverlap(question: string[], sentence: string[], weight: (c: string) => number): number {
  const inSentence = new Set(sentence);
  let got = 0;
  let total = 0;
  for (const c of new Set(question)) {
    const w = weight(c);
    total += w;
    if (inSentence.has(c)) got += w;
  }
  return total > 0 ? got / total : 0;
}

/** The question's units, and each one's rarity among the candidate sentences (shared by every candidate). */
export function questionChars(questionKey: string, sentenceKeys: string[]): { questionUnits: string[]; charWeight: (c: string) => number } {
  const questionUnits = textUnits(questionKey);
  const df = new Map<string, number>();
  const sentenceUnits = sentenceKeys.map((k) => new Set(textUnits(k)));
  for (const c of new Set(questionUnits)) df.set(c, sentenceUnits.filter((units) => units.has(c)).length);
  const n = sentenceKeys.length;
  return { questionUnits, charWeight: (c) => Math.log((n + 1) / ((df.get(c) ?? 0) + 0.5)) };
}
