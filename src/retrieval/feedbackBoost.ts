/**
 * 👍 / 👎 votes as a small, bounded prior in the fused ranking. A vote is on an answer, so it counts for
 * every passage that answer cited, and only for questions like the one voted on: the same normalised
 * question (full weight), or a near one — same figures, most content terms shared and, with vectors,
 * embedding cosine ≥ NEAR_COSINE (half weight). No votes, or none near the question: the ranking is exactly
 * the fused one.
 *
 * The bound is what keeps votes from overruling the text: a passage's fused score is multiplied by at most
 * 1 ± FEEDBACK_MARGIN, so a passage can only overtake one whose score is within (1 − m)/(1 + m) of its own
 * (≈ 10 % for m = 0.05) — a near tie. A passage the query barely matches can never be lifted over one it
 * matches well, however many votes it has; nor is a passage added that retrieval did not find.
 */
import type { ScoredPassage } from '../core/answer.js';
import { contentTerms, numbersIn } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';

/** A 👍 (+1) or 👎 (−1) on an answer, for each passage it cited. */
export interface PassageVote {
  question: string;
  passageIds: string[];
  value: number;
  /** Who voted (e.g. a salted hash): one voter counts once per passage, whatever they asked how often. */
  voter?: string;
  /** ISO time; votes older than FEEDBACK_MAX_AGE_MS are left out. */
  createdAt?: string;
}

/** Where votes come from (the bot's feedback store; a list in `lodestone eval --feedback-from`). */
export interface VoteSource {
  votes(): Promise<readonly PassageVote[]>;
}

/**
 * Largest relative change of a fused score (see the header for what it guarantees). Measured with the corpus
 * model, hybrid, one simulated reader voting on each answer of a set and the set asked again
 * (`lodestone eval --set S --feedback-from S`): eval/en.jsonl R@1 0.625 → 0.708 / 0.750 / 0.792 for m = 0.02 /
 * 0.05 / 0.1, zh.jsonl 0.955 → 1.0 for all three, dev.jsonl unchanged (its two second-ranked answers were
 * cited with the passage above them, so a vote on the answer lifts both). 0.05 is the middle: a vote settles
 * near ties, never more. With no votes every figure is the same as without the prior.
 */
export const FEEDBACK_MARGIN = 0.05;

/**
 * A different question counts as "the same" only when its embedding is this close to the query's. Measured
 * with the corpus model on the 102 questions of eval/: paraphrases of one question in one script score 0.86–1.0;
 * different questions reach 0.90 (a03/a13, both about the MSP), and 0.85 with the same terms but another year
 * (d06 "2020 strategy" / n07 "2016 strategy", which the figures rule then separates).
 */
export const NEAR_COSINE = 0.85;
/** Share of content terms (glossary expansions included) a near question must have in common (Jaccard). */
export const NEAR_TERMS = 0.5;
/** Weight of a near question's vote, relative to the same question's. */
export const NEAR_WEIGHT = 0.5;
/** Votes considered: the newest this many, at most this old. */
export const FEEDBACK_MAX_VOTES = 5_000;
export const FEEDBACK_MAX_AGE_MS = 180 * 24 * 3600_000;

/** The question as compared across askers: search key (simplified, NFKC, lower case), punctuation and spacing dropped. */
export function questionKey(question: string): string {
  return searchKey(question)
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
}

/** What the prior needs to know about the question being searched. */
export interface FeedbackQuery {
  question: string;
  /** Content terms of the question and its glossary expansion. */
  terms: Set<string>;
  /** The dense query vector, when the index has a usable embedder. */
  vector?: Float32Array;
}

/** How a voted question is compared: its terms (with expansion) and, lazily, its vector. */
export interface FeedbackContext {
  termsOf(question: string): Set<string>;
  /** Undefined when there is no embedder (lexical-only index): terms alone decide. */
  vectorOf?(question: string): Promise<Float32Array>;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union ? shared / union : 0;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length && i < b.length; i++) s += a[i] * b[i];
  return s;
}

const sameNumbers = (a: string, b: string) => numbersIn(a).sort().join(' ') === numbersIn(b).sort().join(' ');

/** Content terms of a text plus its expansion forms (the terms a near question must share). */
export function questionTerms(question: string, expansion: string[] = []): Set<string> {
  const terms = contentTerms(question);
  for (const form of expansion) for (const t of contentTerms(form)) terms.add(t);
  return terms;
}

/**
 * Net feedback per passage for a query, each in (−1, 1); empty when no vote is on this or a near question.
 * Per voter and passage the vote on the nearest question counts (the newest among equals); voters add up
 * as S / (1 + |S|), so one voter moves a passage half of what many agreeing voters can.
 */
export async function passageFeedback(query: FeedbackQuery, votes: readonly PassageVote[], context: FeedbackContext, now = Date.now()): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  if (votes.length === 0) return scores;
  const key = questionKey(query.question);
  const recent = votes
    .filter((v) => v.value !== 0 && v.passageIds.length > 0 && !(v.createdAt && now - Date.parse(v.createdAt) > FEEDBACK_MAX_AGE_MS))
    .slice(-FEEDBACK_MAX_VOTES);
  // per (voter, passage): the weight of the nearest question voted on, and that vote's sign
  const best = new Map<string, { weight: number; value: number }>();
  const weights = new Map<string, number>();
  for (const [i, vote] of recent.entries()) {
    const voteKey = questionKey(vote.question);
    let weight = weights.get(voteKey);
    if (weight === undefined) {
      weight = await nearness(query, key, vote.question, voteKey, context);
      weights.set(voteKey, weight);
    }
    if (weight === 0) continue;
    const voter = vote.voter ?? `#${i}`;
    for (const id of new Set(vote.passageIds)) {
      const slot = `${voter}\u0000${id}`;
      const held = best.get(slot);
      if (!held || weight >= held.weight) best.set(slot, { weight, value: Math.sign(vote.value) });
    }
  }
  const sums = new Map<string, number>();
  for (const [slot, { weight, value }] of best) {
    const id = slot.slice(slot.indexOf('\u0000') + 1);
    sums.set(id, (sums.get(id) ?? 0) + weight * value);
  }
  for (const [id, sum] of sums) if (sum !== 0) scores.set(id, sum / (1 + Math.abs(sum)));
  return scores;
}

/** 1 for the same question, NEAR_WEIGHT for a near one, else 0. */
async function nearness(query: FeedbackQuery, key: string, other: string, otherKey: string, context: FeedbackContext): Promise<number> {
  if (otherKey === key) return 1;
  // another year or figure is another question (2016 vs 2020 strategy), however alike the words
  if (!sameNumbers(query.question, other)) return 0;
  if (jaccard(query.terms, context.termsOf(other)) < NEAR_TERMS) return 0;
  if (query.vector && context.vectorOf) {
    if (cosine(query.vector, await context.vectorOf(other)) < NEAR_COSINE) return 0;
  }
  return NEAR_WEIGHT;
}

/**
 * The results with each voted passage's score scaled by 1 + margin × feedback, re-sorted (stable). Unchanged
 * (the same array) when there is no feedback.
 */
export function applyFeedback(results: ScoredPassage[], feedback: ReadonlyMap<string, number> | undefined, margin = FEEDBACK_MARGIN): ScoredPassage[] {
  if (!feedback || feedback.size === 0 || !results.some((r) => feedback.has(r.passage.id))) return results;
  const bounded = Math.min(Math.abs(margin), 0.5);
  return results
    .map((r, i) => {
      const f = Math.max(-1, Math.min(1, feedback.get(r.passage.id) ?? 0));
      return { r: f ? { ...r, score: r.score * (1 + bounded * f) } : r, i };
    })
    .sort((a, b) => b.r.score - a.r.score || a.i - b.i)
    .map(({ r }) => r);
}

/** Remembered per voted question across searches (its expansion terms, its vector), bounded. */
const CACHE_MAX = 4_096;

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  } else cache.delete(key);
  cache.set(key, value);
  return value;
}

/**
 * The votes a service uses as a prior, shared by every retriever of every index generation: the source can
 * be switched on (the bot's feedback store) or off at any time, and a voted question's terms and vector are
 * worked out once (per generation / model).
 */
export class FeedbackPrior {
  private readonly terms = new Map<string, Set<string>>();
  private readonly vectors = new Map<string, Promise<Float32Array>>();

  constructor(private source?: VoteSource) {}

  use(source: VoteSource | undefined): void {
    this.source = source;
  }

  get active(): boolean {
    return this.source !== undefined;
  }

  /**
   * Feedback per passage for a query (see passageFeedback); undefined when there are no votes. `scope` names
   * what terms depend on (the index generation); `embed` is the generation's query embedder, when usable.
   */
  async scores(
    query: { question: string; vector?: Float32Array },
    how: { scope: string; expand: (question: string) => string[]; embed?: { modelId: string; text: (question: string) => string; vector: (text: string) => Promise<Float32Array> } },
  ): Promise<Map<string, number> | undefined> {
    const votes = await this.source?.votes();
    if (!votes?.length) return undefined;
    const termsOf = (q: string) => remember(this.terms, `${how.scope}\u0000${q}`, () => questionTerms(q, how.expand(q)));
    const embed = how.embed;
    const context: FeedbackContext = {
      termsOf,
      ...(embed && query.vector
        ? {
            vectorOf: (q: string) => {
              const text = embed.text(q);
              const key = `${embed.modelId}\u0000${text}`;
              const made = remember(this.vectors, key, () => embed.vector(text));
              // a failed embedding is not remembered
              void made.catch(() => this.vectors.delete(key));
              return made;
            },
          }
        : {}),
    };
    const scores = await passageFeedback({ question: query.question, terms: termsOf(query.question), vector: query.vector }, votes, context);
    return scores.size ? scores : undefined;
  }
}
