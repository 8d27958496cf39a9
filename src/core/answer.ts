import type { Passage } from './passage.js';

export type QuestionLang = 'zh-Hans' | 'zh-Hant' | 'en';

export interface Citation {
  /** The [n] marker used in `text`, from 1. */
  n: number;
  /** Passage id. */
  id: string;
  docId: string;
  /** Document title. */
  title: string;
  /** Passage label, e.g. `周亚敏 2024 · 四（三）¶5`. */
  label: string;
  /** The quoted span (verbatim from the passage). */
  text: string;
  /** Retrieval score of the passage (higher is better). */
  score: number;
}

/**
 * One line of an answer after its lead. A `quote` is verbatim text of citation `n`; a `heading` names one side
 * of a comparison; a `gloss` gives English names of terms in the quote above it; `prose` is a checked LLM
 * sentence with its own markers; `related` lists a passage near an unanswered question. Only quotes and prose
 * carry `[n]`.
 */
export type AnswerPart =
  | { kind: 'quote'; text: string; n: number }
  | { kind: 'heading'; text: string }
  | { kind: 'gloss'; text: string }
  | { kind: 'prose'; text: string }
  | { kind: 'related'; text: string };

/** An answer that knows nothing of Discord or the terminal: the bot, the CLI and the chat each render it. */
export interface Answer {
  question: string;
  /** The first line: states the answer (with its [n]) when one can be checked, else a short neutral phrase. */
  lead: string;
  /** The lines after the lead. */
  parts: AnswerPart[];
  /** Plain rendering: the lead, the parts (quotes as `- … [n]`), then the numbered source list. */
  text: string;
  citations: Citation[];
  /** False when the corpus has no passage that answers the question. */
  supported: boolean;
  lang: QuestionLang;
  /** Passages shown as related, not as an answer (when `supported` is false). */
  related: Citation[];
  /** Which composer produced it: 'extractive' or 'llm:<model>'. */
  composer: string;
  /** The extractive composer's support score (compared with its threshold), for calibration in `eval --answers`. */
  supportScore?: number;
  /**
   * The answer-or-refuse decision (src/answer/decision.ts): its features, the model's probability and the passage
   * the answer cites (or would cite) first — what `eval --fit` fits on.
   */
  decision?: {
    features: Record<string, number>;
    probability: number;
    firstPassageId?: string;
    /** Every candidate sentence with the ranker's features, only while `eval --fit` collects them. */
    sentences?: { passageId: string; text: string; x: number[] }[];
    /** While `eval --fit-lead` collects them: every candidate lead span and its features. */
    leads?: { text: string; x: number[] }[];
  };
  /** A short note for the reader, e.g. why the LLM answer fell back. */
  note?: string;
  timings: { embedMs: number; searchMs: number; composeMs: number; totalMs: number };
}

export interface ScoredPassage {
  passage: Passage;
  score: number;
  /** Ranks in the individual result lists, for diagnostics. */
  denseRank?: number;
  lexicalRank?: number;
  /** Cosine similarity of the dense match (absolute, unlike the fused score), when dense search found it. */
  denseScore?: number;
  /** BM25 score of the lexical match, when lexical search found it. */
  lexicalScore?: number;
}
