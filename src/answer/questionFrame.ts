/**
 * The question frame: a question (and, for a follow-up, the conversation) read once into one typed object that
 * retrieval, composition, the LLM path and the evaluation read — never the raw string again. What it reads is
 * language data (lang/*.json through src/text/lang.ts and the gazetteer); what a collection names comes from the
 * collection (its glossary, its documents' metadata) where the frame is used.
 */
import type { QuestionLang } from '../core/answer.js';
import { detectLang } from '../text/language.js';
import { searchKey } from '../text/searchKey.js';
import { numbersIn } from '../text/segment.js';
import { anchoredCue, cue, value } from '../text/lang.js';
import { followUpQuestion, type ConversationTurn } from './followUp.js';
import { questionIntent, type QuestionIntent } from './intent.js';

export interface QuestionFrame {
  /** The question as asked (validated). */
  asked: string;
  /** What is searched and composed with: a follow-up joined with the context it leaves implicit. */
  standalone: string;
  lang: QuestionLang;
  /** Search-key form of `standalone` (simplified, lower-case, NFKC). */
  key: string;
  /** Answer types, the asked noun and what it belongs to, a share, money or a name asked for, comparison sides. */
  intent: QuestionIntent;
  /** Numbers the question states (Arabic as written; Chinese numerals are matched in passages by value), not the digits of a mention or a link. */
  numbers: string[];
  /** Years the question states (2019): the figure must be of that year. */
  years: string[];
  /** Tables the question names, as the passages caption them (表3 from "Table 3"). */
  tables: string[];
  /** The question asks where a claim or figure comes from (a footnote or reference answers it). */
  asksProvenance: boolean;
  /** A question in several parts (…？…？): each part may be answered from another passage. */
  multiPart: boolean;
  /** A follow-up's own words (那锗呢 → 锗): what is new in it, which a quote must hold. */
  focus: string[];
  /** A bare follow-up ("为什么？") with no conversation to take its subject from. */
  needsContext: boolean;
}

/** Discord mentions, channel links and web addresses carry digits that are no number the question states. */
export const NOT_QUESTION_TEXT = /<[@#][!&]?\d+>|<a?:\w+:\d+>|https?:\/\/\S+/gu;

const YEAR = /(?:1[89]|20)\d{2}/g;

export interface FrameOptions {
  lang?: QuestionLang;
  history?: ConversationTurn[];
  /** A standalone question an LLM condensed from the conversation: it replaces the carried-over context. */
  condensed?: string;
}

/**
 * The frame as the collection words it: the composer may rewrite the question's regional words into the ones its
 * passages use (矽锭 → 硅锭); the asked noun and what it belongs to are then read off that wording.
 */
export function inCollectionWords(frame: QuestionFrame, text: string): QuestionFrame {
  if (text === frame.standalone) return frame;
  return { ...frame, standalone: text, key: searchKey(text), intent: questionIntent(text) };
}

/** Tables a question names (表3, "Table 3"), as the passages caption them (表3). */
export function tablesNamed(key: string): string[] {
  const table = value('zh', 'table');
  return [...new Set([...key.matchAll(anchoredCue('table', '(?:', ')(\\d{1,2})', 'giu'))].map((m) => `${table}${m[1]}`))];
}

/** Reads a question once. */
export function parseQuestion(asked: string, options: FrameOptions = {}): QuestionFrame {
  const followUp = options.condensed ? { standalone: options.condensed, focus: [], needsContext: false } : followUpQuestion(asked, options.history);
  const standalone = followUp.standalone;
  const key = searchKey(standalone);
  const stated = standalone.replace(NOT_QUESTION_TEXT, ' ');
  return {
    asked,
    standalone,
    lang: options.lang ?? detectLang(asked),
    key,
    intent: questionIntent(standalone),
    numbers: numbersIn(stated),
    years: [...new Set(stated.normalize('NFKC').match(YEAR) ?? [])],
    tables: tablesNamed(key),
    asksProvenance: cue('provenance').test(standalone),
    multiPart: (standalone.match(/[？?]/g)?.length ?? 0) > 1,
    focus: followUp.focus,
    needsContext: followUp.needsContext,
  };
}
