import type { Answer, QuestionLang } from '../core/answer.js';

import { squashWhitespace as squash, type EvalQuestion as RetrievalQuestion } from '../retrieval/evaluate.js';

export type EvalQuestion = RetrievalQuestion & { answer_keywords?: string[] };

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
}

/** Scores one answer against its question: evidence in a cited passage, all keywords in the text, support flag. */
export function scoreAnswer(q: EvalQuestion, answer: Answer, citedPassageTexts: string[]): AnswerScore {
  const text = squash(answer.text);
  return {
    id: q.id,
    kind: q.kind,
    lang: q.lang as QuestionLang,
    citesEvidence: q.evidence.length > 0 && citedPassageTexts.some((t) => containsEvidence(t, q.evidence)),
    allKeywords: (q.answer_keywords ?? []).every((k) => text.includes(squash(k))),
    supported: answer.supported,
    supportCorrect: q.kind === 'none' ? !answer.supported : answer.supported,
    bodyChars: [...answer.text].length,
    totalMs: answer.timings.totalMs,
  };
}

export interface AnswerReportRow {
  group: string;
  questions: number;
  citesEvidence: number;
  allKeywords: number;
  supportCorrect: number;
}

export function summariseAnswers(scores: AnswerScore[]): AnswerReportRow[] {
  const groups: [string, (s: AnswerScore) => boolean][] = [
    ['ask zh (both scripts)', (s) => s.kind === 'ask' && s.lang !== 'en'],
    ['ask en', (s) => s.kind === 'ask' && s.lang === 'en'],
    ['term', (s) => s.kind === 'term'],
    ['none', (s) => s.kind === 'none'],
  ];
  return groups.map(([group, test]) => {
    const rows = scores.filter(test);
    const rate = (f: (s: AnswerScore) => boolean) => (rows.length ? rows.filter(f).length / rows.length : 0);
    return { group, questions: rows.length, citesEvidence: rate((s) => s.citesEvidence), allKeywords: rate((s) => s.allKeywords), supportCorrect: rate((s) => s.supportCorrect) };
  });
}

