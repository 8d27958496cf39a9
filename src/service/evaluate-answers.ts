import { searchKey } from '../text/searchKey.js';
import type { Answer, QuestionLang } from '../core/answer.js';
import type { LibrarianService } from './librarian.js';

import { squashWhitespace as squash, type EvalQuestion as RetrievalQuestion } from '../retrieval/evaluate.js';

export type EvalQuestion = RetrievalQuestion & { answer_keywords?: string[]; /** The document the question is about. */ doc?: string };

/** A passage text "contains" an evidence string after whitespace normalisation. */
export function containsEvidence(text: string, evidence: string[]): boolean {
  const t = squash(text);
  return evidence.some((e) => t.includes(squash(e)));
}

export interface AnswerScore {
  id: string;
  kind: string;
  lang: QuestionLang;
  citesEvidence: boolean;
  allKeywords: boolean;
  supported: boolean;
  /** `none` questions: correct when supported is false; others: correct when supported is true. */
  supportCorrect: boolean;
  bodyChars: number;
  totalMs: number;
  /** The lead holds one of the answer keywords (`a|b` lists alternatives). */
  leadStatesAnswer: boolean;
  /** Quote lines of the answer. */
  quotes: number;
  /** The composer's support score, for the refusal threshold's precision–recall curve. */
  supportScore?: number;
  /** The reader's proxy: a `none` question refused; else supported, evidence first, keyword in the lead, no unrelated quote. */
  good: boolean;
}

/** Han character pairs of a text's search key: the cheapest sign two texts talk about the same thing. */
function hanBigrams(text: string): Set<string> {
  const han = [...searchKey(text)].filter((c) => /\p{Script=Han}/u.test(c));
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < han.length; i++) pairs.add(han[i] + han[i + 1]);
  return pairs;
}

/**
 * A cited passage is related to the question when it holds the evidence, comes from the document the question is
 * about, or shares a pair of Han characters with it (the question's own words, or the glossary's Chinese for an
 * English question's terms, `questionWords`).
 */
function relatedPassage(q: EvalQuestion, passage: CitedPassage, questionPairs: Set<string>): boolean {
  if (containsEvidence(passage.text, q.evidence)) return true;
  if (q.doc && passage.docId === q.doc) return true;
  for (const pair of hanBigrams(passage.text)) if (questionPairs.has(pair)) return true;
  return false;
}

export interface CitedPassage {
  text: string;
  docId: string;
}

/**
 * Scores one answer against its question: evidence in a cited passage, all keywords in the text, support flag, and
 * the reader's proxy `good` (eval/README.md). `cited` are the cited passages in citation order; `questionWords` the
 * question's words in the corpus's language (its glossary expansion), for English questions.
 */
export function scoreAnswer(q: EvalQuestion, answer: Answer, cited: CitedPassage[], questionWords: string[] = []): AnswerScore {
  const citedPassageTexts = cited.map((c) => c.text);
  const text = squash(answer.text);
  const lead = squash(answer.lead);
  const keywords = (q.answer_keywords ?? []).map((k) => k.split('|').map(squash));
  return {
    id: q.id,
    kind: q.kind,
    lang: q.lang as QuestionLang,
    citesEvidence: q.evidence.length > 0 && citedPassageTexts.some((t) => containsEvidence(t, q.evidence)),
    allKeywords: keywords.every((alts) => alts.some((k) => text.includes(k))),
    // script-insensitive: a traditional lead over a simplified passage states the same answer
    leadStatesAnswer: answer.supported && keywords.some((alts) => alts.some((k) => searchKey(lead).includes(searchKey(k)))),
    quotes: answer.parts.filter((p) => p.kind === 'quote').length,
    supportScore: answer.supportScore,
    supported: answer.supported,
    supportCorrect: q.kind === 'none' ? !answer.supported : answer.supported,
    bodyChars: [...answer.text].length,
    totalMs: answer.timings.totalMs,
    good: q.kind === 'none' ? !answer.supported : readerGood(q, answer, cited, keywords, questionWords),
  };
}

/**
 * A reader's proxy for a good answer to an answerable question: supported, the first citation holds the
 * evidence, the lead holds an answer keyword, and no cited passage is unrelated to the question.
 */
function readerGood(q: EvalQuestion, answer: Answer, cited: CitedPassage[], keywords: string[][], questionWords: string[]): boolean {
  if (!answer.supported || q.evidence.length === 0 || !cited[0] || !containsEvidence(cited[0].text, q.evidence)) return false;
  const lead = searchKey(squash(answer.lead));
  if (keywords.length && !keywords.some((alts) => alts.some((k) => lead.includes(searchKey(k))))) return false;
  const pairs = hanBigrams([q.question, ...questionWords].join(' '));
  return cited.every((c) => relatedPassage(q, c, pairs));
}

export interface AnswerReportRow {
  group: string;
  questions: number;
  citesEvidence: number;
  allKeywords: number;
  supportCorrect: number;
  /** Share of answered questions whose lead holds an answer keyword. */
  leadStatesAnswer: number;
  medianQuotes: number;
  /** Answerable questions refused. */
  wronglyRefused: number;
  /** `none` (unanswerable, near-miss) questions answered. */
  wronglyAnswered: number;
  /** The reader's proxy (AnswerScore.good). */
  good: number;
}

export function summariseAnswers(scores: AnswerScore[]): AnswerReportRow[] {
  const groups: [string, (s: AnswerScore) => boolean][] = [
    ['ask zh-Hans', (s) => s.kind === 'ask' && s.lang === 'zh-Hans'],
    ['ask zh-Hant', (s) => s.kind === 'ask' && s.lang === 'zh-Hant'],
    ['ask en', (s) => s.kind === 'ask' && s.lang === 'en'],
    ['term', (s) => s.kind === 'term'],
    ['none zh', (s) => s.kind === 'none' && s.lang !== 'en'],
    ['none en', (s) => s.kind === 'none' && s.lang === 'en'],
  ];
  return groups.map(([group, test]) => {
    const rows = scores.filter(test);
    const rate = (list: AnswerScore[], f: (s: AnswerScore) => boolean) => (list.length ? list.filter(f).length / list.length : 0);
    const answered = rows.filter((s) => s.supported);
    const quotes = answered.map((s) => s.quotes).sort((a, b) => a - b);
    return {
      group,
      questions: rows.length,
      citesEvidence: rate(rows, (s) => s.citesEvidence),
      allKeywords: rate(rows, (s) => s.allKeywords),
      supportCorrect: rate(rows, (s) => s.supportCorrect),
      leadStatesAnswer: rate(answered, (s) => s.leadStatesAnswer),
      medianQuotes: quotes.length ? quotes[Math.floor((quotes.length - 1) / 2)] : 0,
      wronglyRefused: rate(rows, (s) => s.kind !== 'none' && !s.supported),
      wronglyAnswered: rate(rows, (s) => s.kind === 'none' && s.supported),
      good: rate(rows, (s) => s.good),
    };
  });
}

export interface ThresholdPoint {
  threshold: number;
  /** Of the questions a threshold would answer, the share that are answerable. */
  precision: number;
  /** Of the answerable questions, the share a threshold would answer. */
  recall: number;
}

/**
 * The refusal threshold's precision–recall curve over the support scores of `ask` (answerable) and `none`
 * (unanswerable, near-miss) questions of one language group; `chosen` is the lowest threshold that answers
 * no `none` question (precision 1), the way the threshold in src/answer/extractive.ts is set.
 */
export function thresholdCurve(scores: AnswerScore[]): { points: ThresholdPoint[]; chosen?: ThresholdPoint } {
  const labelled = scores.filter((s) => (s.kind === 'ask' || s.kind === 'none') && s.supportScore !== undefined);
  const positives = labelled.filter((s) => s.kind === 'ask').length;
  const points: ThresholdPoint[] = [];
  for (let t = 0.2; t <= 0.801; t += 0.05) {
    const answered = labelled.filter((s) => (s.supportScore ?? 0) >= t);
    const right = answered.filter((s) => s.kind === 'ask').length;
    points.push({ threshold: Math.round(t * 100) / 100, precision: answered.length ? right / answered.length : 1, recall: positives ? right / positives : 0 });
  }
  return { points, chosen: points.find((p) => p.precision === 1) };
}

/** Asks every question of a set and scores its answer (`eval --answers`, and the tests' unchosen collections). */
export async function askAndScore(librarian: LibrarianService, questions: EvalQuestion[]): Promise<AnswerScore[]> {
  const scores: AnswerScore[] = [];
  for (const q of questions) {
    const answer = await librarian.ask(q.question);
    const cited = answer.citations.map((c) => ({ text: librarian.passage(c.id)?.text ?? c.text, docId: c.docId }));
    scores.push(scoreAnswer(q, answer, cited, q.lang === 'en' ? librarian.searcher().expansion(q.question) : []));
  }
  return scores;
}
