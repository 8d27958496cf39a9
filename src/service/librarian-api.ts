import type { Answer, QuestionLang, ScoredPassage } from '../core/answer.js';
import type { DocumentInfo, Passage, PassageKind } from '../core/passage.js';
import type { GlossaryEntry } from '../glossary/entry.js';
import type { Choice } from '../text/choice.js';
import type { ClaimCheck } from './claim-check.js';
import type { VoteSource } from '../retrieval/feedbackBoost.js';
import type { QuestionGaps } from './corpusGaps.js';
import type { DocumentShelf } from './documents.js';

export type { Choice } from '../text/choice.js';
export type { ClaimCheck, ClaimEvidence, ClaimFinding, ClaimVerdict, FigureConflict } from './claim-check.js';
export type { PassageVote, VoteSource } from '../retrieval/feedbackBoost.js';
export type { QuestionGaps } from './corpusGaps.js';
export type { AddedDocument, DocumentShelf, DocumentUpload, RemovedDocument, ShelvedDocument } from './documents.js';

export interface TermResult {
  query: string;
  entries: GlossaryEntry[];
  /** When nothing matched: the closest terms. */
  suggestions: string[];
}

export interface CiteResult {
  passage: Passage;
  /** Ready-to-paste citation: “quote” — label, title, author, year. */
  citation: string;
  title: string;
}

export interface SourceSummary {
  doc: DocumentInfo;
  passages: number;
  byKind: Partial<Record<PassageKind, number>>;
}

export interface AskOptions {
  lang?: QuestionLang;
  /** Earlier questions in the same conversation (oldest first), for follow-ups. */
  history?: { question: string; answer?: string }[];
  k?: number;
}

/** The one service the bot and the CLI share. Throws `UserInputError` for bad input. */
export interface Librarian {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  search(query: string, k?: number): Promise<ScoredPassage[]>;
  term(query: string): TermResult;
  termChoices(prefix: string): Choice[];
  cite(idOrWords: string): Promise<CiteResult | null>;
  citeChoices(prefix: string): Choice[];
  /** The passages that support each sentence of a claim, those that give other figures, or the closest when none does. */
  findSources(claim: string, options?: { lang?: QuestionLang }): Promise<ClaimCheck>;
  sources(): SourceSummary[];
  passage(id: string): Passage | undefined;
  /** Model id and passage count, for footers and /help. */
  describe(): { model: string; passages: number; documents: number; llm?: string };
  /** Adding and removing documents at run time (src/service/documents.ts); absent where the corpus is read-only. */
  readonly documents?: DocumentShelf;
  /** 👍/👎 on earlier answers as a small, bounded retrieval prior (src/retrieval/feedbackBoost.ts); undefined turns it off. */
  useFeedback?(source: VoteSource | undefined): void;
  /** For each question: the corpus terms it is about and the terms no passage holds (what to add next). */
  questionGaps?(questions: string[]): Promise<QuestionGaps[]>;
}
