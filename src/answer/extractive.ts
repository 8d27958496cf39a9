import type { Passage } from '../core/passage.js';
import { searchKey } from '../text/searchKey.js';
import { numbersIn } from '../text/segment.js';
import type { Answer, AnswerPart, Citation, QuestionLang, ScoredPassage } from '../core/answer.js';
import { answerText } from './plainText.js';
import { phrasesFor } from './messages.js';
import { nameMatch, profileQuestion, termMatch, type QuestionProfile } from './questionTerms.js';
import { splitSentences } from '../text/sentences.js';
import { clipChars } from '../text/clip.js';

/** Whole answer text (lead + quotes + source list), in characters: what tests and the bot check. */
export const ANSWER_MAX_CHARS = 1300;
/** Body (lead + quotes) caps: about 600 Han characters or 900 characters overall. */
export const ANSWER_BODY_MAX_CHARS = 900;
export const ANSWER_BODY_MAX_HAN = 600;

/**
 * supported ⇔ at least one sentence chosen
 *            AND no question name (《title》, “quoted term”, acronym, 'Chip 4') is missing from every retrieved passage
 *            AND the chosen sentences cover ≥ SUPPORT_MIN_COVERAGE of the question's weighted items
 *                (terms weighted by rarity in the candidate pool and length; numbers 3; names 4; partial bigram credit).
 * Calibration (scripts/eval-answers.ts, dev set): answerable Chinese questions 0.47–1.00, the out-of-corpus
 * Chinese question 0.34, invented ones (火星锂矿, 量子纠错) 0.22–0.27; the threshold sits between, leaning to answer.
 */
export const SUPPORT_MIN_COVERAGE = 0.42;

export interface ComposeInput {
  question: string;
  lang: QuestionLang;
  results: ScoredPassage[];
  passageById: (id: string) => Passage | undefined;
  titleOf: (docId: string) => string;
  /** Cosine similarity of the question to each sentence (same order), e.g. from the corpus embedder. */
  embedSimilarity?: (question: string, sentences: string[]) => Promise<number[]> | number[];
  /** Glossary expansion for English (or any) questions: English terms plus Chinese aliases. */
  expandedTerms?: string[];
  /** English words of the question with no Chinese counterpart in the corpus (see profileQuestion). */
  unbridgedTerms?: string[];
}

/** Everything but timings, which the caller (the service) measures. */
export type ComposedAnswer = Omit<Answer, 'timings'>;

interface Candidate {
  passage: Passage;
  score: number;
  /** Rank of the passage in retrieval (footnotes inherit the rank of the paragraph citing them). */
  rank: number;
  isLinkedFootnote: boolean;
  text: string;
  key: string;
  index: number;
  /** Sentence relevance, 0..~2. */
  relevance: number;
  /** Weighted question items this sentence covers (terms, numbers, names). */
  covers: Set<string>;
}

const MAX_PASSAGES = 8;
const MAX_SENTENCES = 6;
const MAX_CITED_PASSAGES = 4;

interface Item {
  id: string;
  weight: number;
  present: (key: string, numbers: string[]) => number;
}

/** Question items with weights: terms (rarer in the candidate pool ⇒ heavier), numbers, names, tables. */
function questionItems(profile: QuestionProfile, sentenceKeys: string[]): Item[] {
  const n = sentenceKeys.length || 1;
  const items: Item[] = [];
  for (const term of profile.terms) {
    const df = sentenceKeys.filter((k) => termMatch(term, k) >= 1).length;
    const idf = Math.log(1 + (n + 1) / (df + 0.5));
    const lengthFactor = 1 + 0.25 * Math.min(3, [...term].length - 1);
    items.push({ id: `t:${term}`, weight: Math.max(0.2, idf) * lengthFactor, present: (key) => termMatch(term, key) });
  }
  for (const num of profile.numbers) {
    items.push({ id: `n:${num}`, weight: 3, present: (_key, nums) => (nums.some((m) => sameNumber(m, num)) ? 1 : 0) });
  }
  for (const name of profile.names) {
    items.push({ id: `m:${name}`, weight: 4, present: (key) => (nameMatch(name, key) ? 1 : 0) });
  }
  return items;
}

function sameNumber(a: string, b: string): boolean {
  return a === b || a === `${b}%` || b === `${a}%`;
}

function bigrams(key: string): Set<string> {
  const s = new Set<string>();
  const compact = key.replace(/\s+/g, '');
  for (let i = 0; i + 1 < compact.length; i++) s.add(compact.slice(i, i + 2));
  return s;
}

/** Near-duplicate: most of the shorter sentence's bigrams occur in the other (the web article repeats itself). */
function nearDuplicate(a: string, b: string): boolean {
  const ba = bigrams(a);
  const bb = bigrams(b);
  const [small, large] = ba.size <= bb.size ? [ba, bb] : [bb, ba];
  if (small.size === 0) return true;
  let shared = 0;
  for (const g of small) if (large.has(g)) shared++;
  return shared / small.size >= 0.7;
}

function hanCount(text: string): number {
  return text.match(/\p{Script=Han}/gu)?.length ?? 0;
}

/** Gather passages to quote from: the top results plus the footnotes the top paragraphs link to. */
function gatherPassages(input: ComposeInput): { passage: Passage; score: number; rank: number; linked: boolean }[] {
  const seen = new Set<string>();
  const out: { passage: Passage; score: number; rank: number; linked: boolean }[] = [];
  const top = [...input.results].sort((a, b) => b.score - a.score).slice(0, MAX_PASSAGES);
  top.forEach((r, rank) => {
    if (seen.has(r.passage.id)) return;
    seen.add(r.passage.id);
    out.push({ passage: r.passage, score: r.score, rank, linked: false });
  });
  top.slice(0, 4).forEach((r, rank) => {
    for (const fid of r.passage.footnotes ?? []) {
      if (seen.has(fid)) continue;
      const fn = input.passageById(fid);
      if (!fn) continue;
      seen.add(fid);
      out.push({ passage: fn, score: r.score, rank, linked: true });
    }
  });
  return out;
}

/** Score every sentence of the gathered passages against the question. */
async function scoreSentences(input: ComposeInput, profile: QuestionProfile): Promise<{ candidates: Candidate[]; items: Item[] }> {
  const gathered = gatherPassages(input);
  const raw: Omit<Candidate, 'relevance' | 'covers'>[] = [];
  for (const g of gathered) {
    for (const s of splitSentences(g.passage.text)) {
      raw.push({ passage: g.passage, score: g.score, rank: g.rank, isLinkedFootnote: g.linked, text: s.text, key: searchKey(s.text), index: s.index });
    }
  }
  const items = questionItems(profile, raw.map((r) => r.key));
  const totalWeight = items.reduce((sum, it) => sum + it.weight, 0) || 1;
  let similarities: number[] | undefined;
  if (input.embedSimilarity && raw.length) {
    try {
      similarities = await input.embedSimilarity(input.question, raw.map((r) => r.text));
    } catch {
      similarities = undefined; // similarity is a bonus; lexical scoring stands on its own
    }
  }
  const candidates = raw.map((r, i) => {
    const nums = numbersIn(r.text);
    const covers = new Set<string>();
    let matched = 0;
    for (const it of items) {
      const m = it.present(r.key, nums);
      if (m > 0) {
        matched += m * it.weight;
        if (m >= 1) covers.add(it.id);
      }
    }
    // Table rows carry their table name in the passage, not in each sentence.
    const tableBonus = profile.tables.some((t) => r.passage.table === t || r.passage.label.includes(t) || r.key.includes(t)) ? 0.15 : 0;
    const provenanceBonus = profile.asksProvenance && r.passage.kind === 'footnote' ? 0.25 : 0;
    const rankPrior = 0.1 * (1 - r.rank / MAX_PASSAGES);
    const sim = similarities?.[i] ?? 0;
    const relevance = matched / totalWeight + tableBonus + provenanceBonus + rankPrior + 0.2 * Math.max(0, sim);
    return { ...r, relevance, covers };
  });
  return { candidates, items };
}

/**
 * Greedy selection: the most relevant sentence first, then whichever adds the most question items not yet
 * covered (so multi-part questions get each part), skipping near-duplicates, within the length budget.
 */
function selectSentences(candidates: Candidate[], items: Item[], lead: string): Candidate[] {
  const weightOf = new Map(items.map((it) => [it.id, it.weight]));
  const totalWeight = items.reduce((s, it) => s + it.weight, 0) || 1;
  const chosen: Candidate[] = [];
  const covered = new Set<string>();
  let bodyChars = [...lead].length;
  let bodyHan = hanCount(lead);
  const pool = candidates.filter((c) => c.relevance > 0.12).sort((a, b) => b.relevance - a.relevance);
  const best = pool[0]?.relevance ?? 0;
  const fits = (c: Candidate): boolean => {
    const line = quoteLine(c.text, 9);
    return bodyChars + [...line].length + 1 <= ANSWER_BODY_MAX_CHARS && bodyHan + hanCount(line) <= ANSWER_BODY_MAX_HAN;
  };
  const take = (c: Candidate) => {
    const line = quoteLine(c.text, 9);
    chosen.push(c);
    bodyChars += [...line].length + 1;
    bodyHan += hanCount(line);
    for (const id of c.covers) covered.add(id);
  };
  const allowed = (c: Candidate): boolean => {
    if (chosen.includes(c) || !fits(c)) return false;
    const citedPassages = new Set(chosen.map((d) => d.passage.id));
    if (!citedPassages.has(c.passage.id) && citedPassages.size >= MAX_CITED_PASSAGES) return false;
    return !chosen.some((d) => nearDuplicate(c.key, d.key));
  };
  // Pass 1: cover the question — best sentence first, then the one adding the most uncovered items.
  while (chosen.length < MAX_SENTENCES) {
    let pick: Candidate | undefined;
    let pickValue = 0;
    for (const c of pool) {
      if (!allowed(c)) continue;
      let gain = 0;
      for (const id of c.covers) if (!covered.has(id)) gain += weightOf.get(id) ?? 0;
      const value = chosen.length === 0 ? c.relevance : 0.6 * c.relevance + gain / totalWeight;
      if (value > pickValue) {
        pickValue = value;
        pick = c;
      }
    }
    if (!pick) break;
    // Later sentences must add something or be nearly as relevant as the best one.
    if (chosen.length > 0 && pickValue < Math.max(0.2, 0.5 * best)) break;
    take(pick);
  }
  // Pass 2: context — the sentence right after (or before) a chosen one often finishes its thought
  // (a list continued, the reason given); add it when it is itself somewhat relevant.
  for (const c of [...chosen]) {
    if (chosen.length >= MAX_SENTENCES + 1) break;
    for (const offset of [1, -1]) {
      const neighbour = pool.find((d) => d.passage.id === c.passage.id && d.index === c.index + offset);
      if (neighbour && neighbour.relevance >= 0.3 * best && allowed(neighbour)) take(neighbour);
    }
  }
  return chosen;
}

function quoteLine(sentence: string, n: number): string {
  return `- ${sentence} [${n}]`;
}

/** Weighted share of question items covered by the chosen sentences (partial term matches count). */
function coverage(chosen: Candidate[], items: Item[]): number {
  const total = items.reduce((s, it) => s + it.weight, 0);
  if (total === 0) return 0;
  let got = 0;
  for (const it of items) {
    let m = 0;
    for (const c of chosen) m = Math.max(m, it.present(c.key, numbersIn(c.text)));
    got += m * it.weight;
  }
  return got / total;
}

const MARKERS_IN = /<sup>([^<]{1,6})<\/sup>|([\u2460-\u2473\u2776-\u277F])/g;

/**
 * Provenance: for "where does this figure come from?" questions, the footnotes that the chosen sentences
 * point to (their ③ markers, or the passage's only footnote) are quoted as well — the paper's own sources.
 */
function addSourceFootnotes(chosen: Candidate[], candidates: Candidate[], input: ComposeInput, lead: string): void {
  const additions: Candidate[] = [];
  for (const c of chosen) {
    const ids = c.passage.footnotes ?? [];
    if (ids.length === 0) continue;
    const footnotes = ids.map((id) => input.passageById(id)).filter((p): p is Passage => Boolean(p));
    const marks = [...c.text.matchAll(MARKERS_IN)].map((m) => m[1] ?? m[2]);
    let linked = footnotes.filter((f) => marks.some((m) => f.label.includes(m) || f.text.trimStart().startsWith(m) || f.id.endsWith(m)));
    if (linked.length === 0 && footnotes.length === 1) linked = footnotes;
    for (const f of linked) {
      if (chosen.some((d) => d.passage.id === f.id) || additions.some((d) => d.passage.id === f.id)) continue;
      const first = splitSentences(f.text)[0];
      if (!first) continue;
      const existing = candidates.find((d) => d.passage.id === f.id && d.index === first.index);
      additions.push(existing ?? { ...c, passage: f, isLinkedFootnote: true, text: first.text, key: searchKey(first.text), index: first.index, covers: new Set() });
    }
  }
  let chars = [...lead].length + chosen.reduce((s, c) => s + [...quoteLine(c.text, 9)].length + 1, 0);
  let han = hanCount(lead) + chosen.reduce((s, c) => s + hanCount(c.text), 0);
  for (const a of additions.slice(0, 2)) {
    const line = quoteLine(a.text, 9);
    if (chars + [...line].length + 1 > ANSWER_BODY_MAX_CHARS || han + hanCount(line) > ANSWER_BODY_MAX_HAN) continue;
    // ranked just below the sentence that cites it
    chosen.push({ ...a, relevance: Math.max(0, ...chosen.map((c) => c.relevance)) - 0.001 });
    chars += [...line].length + 1;
    han += hanCount(line);
  }
}

/** Names of the question that no retrieved passage holds: the question is about something the corpus lacks. */
export function missingNames(profile: QuestionProfile, passages: Passage[]): string[] {
  const keys = passages.map((p) => p.searchKey || searchKey(p.text));
  return profile.names.filter((name) => !keys.some((k) => nameMatch(name, k)));
}



function citationFor(n: number, passage: Passage, text: string, score: number, titleOf: (docId: string) => string): Citation {
  return { n, id: passage.id, docId: passage.docId, title: titleOf(passage.docId), label: passage.label, text, score };
}

/** Diagnostics for calibration scripts: why an answer was (not) supported. */
export interface SupportSignals {
  coverage: number;
  missingNames: string[];
  bestRelevance: number;
}

export let lastSupportSignals: SupportSignals | undefined;

/**
 * The default composer: quotes the sentences that answer the question, verbatim and in the source's script,
 * each followed by its passage's [n]; or, when the corpus cannot answer, says so and lists related passages.
 * Returns everything but `timings` (the caller measures them).
 */
export async function composeExtractive(input: ComposeInput): Promise<ComposedAnswer> {
  const phrases = phrasesFor(input.lang);
  const profile = profileQuestion(input.question, input.expandedTerms, input.unbridgedTerms);
  const { candidates, items } = await scoreSentences(input, profile);
  const chosen = selectSentences(candidates, items, phrases.lead);
  const cover = coverage(chosen, items);
  const missing = missingNames(profile, [...new Set(candidates.map((c) => c.passage))]);
  const bestRelevance = Math.max(0, ...candidates.map((c) => c.relevance));
  lastSupportSignals = { coverage: cover, missingNames: missing, bestRelevance };
  const supported = chosen.length > 0 && missing.length === 0 && cover >= SUPPORT_MIN_COVERAGE;

  if (!supported) return noAnswer(input, candidates);
  if (profile.asksProvenance) addSourceFootnotes(chosen, candidates, input, phrases.lead);

  // Order: passages by their best sentence's relevance, sentences by document order within a passage.
  const byPassage = new Map<string, Candidate[]>();
  for (const c of chosen) {
    const list = byPassage.get(c.passage.id) ?? [];
    list.push(c);
    byPassage.set(c.passage.id, list);
  }
  const groups = [...byPassage.values()]
    .map((list) => list.sort((a, b) => a.index - b.index))
    .sort((a, b) => Math.max(...b.map((c) => c.relevance)) - Math.max(...a.map((c) => c.relevance)));
  const citations: Citation[] = [];
  const parts: AnswerPart[] = [];
  groups.forEach((group, i) => {
    const n = i + 1;
    for (const c of group) parts.push({ kind: 'quote', text: c.text, n });
    citations.push(citationFor(n, group[0].passage, group.map((c) => c.text).join(''), group[0].score, input.titleOf));
  });
  const lead = phrases.lead;
  const text = answerText(lead, parts, citations, input.lang);
  return { question: input.question, lead, parts, text, citations, supported: true, lang: input.lang, related: [], composer: 'extractive' };
}

/** "The corpus has no passage that answers this", plus the closest passages marked as related. */
function noAnswer(input: ComposeInput, candidates: Candidate[]): ComposedAnswer {
  const phrases = phrasesFor(input.lang);
  const related: Citation[] = [];
  const seen = new Set<string>();
  for (const c of [...candidates].sort((a, b) => b.relevance - a.relevance)) {
    if (seen.has(c.passage.id) || related.length >= 3) continue;
    seen.add(c.passage.id);
    related.push(citationFor(related.length + 1, c.passage, c.text, c.score, input.titleOf));
  }
  const parts: AnswerPart[] = [];
  if (related.length) {
    parts.push({ kind: 'heading', text: phrases.relatedHeading });
    for (const r of related) parts.push({ kind: 'related', text: `· ${r.label} — ${r.title}: ${clipChars(r.text, 120)}` });
  }
  return {
    question: input.question,
    lead: phrases.noAnswer,
    parts,
    text: answerText(phrases.noAnswer, parts, [], input.lang),
    citations: [],
    supported: false,
    lang: input.lang,
    related,
    composer: 'extractive',
  };
}
