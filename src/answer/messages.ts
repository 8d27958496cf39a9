import type { QuestionLang } from '../core/answer.js';
import { messageTemplates, questionErrorTemplates } from '../text/lang.js';

/** Fixed reader-facing phrases in the question's language (quotes stay in the source's script). */
export interface AnswerPhrases {
  lead: string;
  noAnswer: string;
  relatedHeading: string;
  sourcesHeading: string;
  /** A bare follow-up ("为什么？") with no conversation to take its subject from. */
  needsContext: string;
  llmFallback: (reason: string) => string;
  llmDropped: (n: number) => string;
  /** The lead when nothing checkable could be extracted: the quotes follow. */
  neutralLead: string;
  /** Under a comparison's side that no passage covers. */
  noSidePassage: string;
  /** Under a part of a question in several parts that no passage answers. */
  noPartPassage: string;
  /** The two documents give different figures (or dates) for what was asked: `a` and `b` list each side's. */
  differingFigures: (dates: boolean, a: string, b: string) => string;
  /** Under an English answer whose lead is still Chinese: the source's language, and how to get English answers. */
  chineseSourceNote?: string;
  /** A change a lead computed: `name` (may be empty) went from `from` to `to`, by `diff` (percentage points when `points`). */
  change: (name: string, from: string, to: string, falling: boolean, diff: string, points: boolean) => string;
}

/** Fills a template's {placeholders}. */
function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

const cache = new Map<QuestionLang, AnswerPhrases>();

/**
 * The phrases of one language, from its language file (lang/zh.json, lang/en.json: `messages`), built once. The
 * wording is data, like the rest of a language's words; this module only gives each phrase its shape.
 */
export function phrasesFor(lang: QuestionLang): AnswerPhrases {
  const known: QuestionLang = lang === 'en' || lang === 'zh-Hant' ? lang : 'zh-Hans';
  const cached = cache.get(known);
  if (cached) return cached;
  const t = messageTemplates(known);
  const phrases: AnswerPhrases = {
    lead: t.lead,
    noAnswer: t.noAnswer,
    relatedHeading: t.relatedHeading,
    sourcesHeading: t.sourcesHeading,
    needsContext: t.needsContext,
    llmFallback: (reason) => fill(t.llmFallback, { reason }),
    llmDropped: (n) => fill(t.llmDropped, { n }),
    neutralLead: t.neutralLead,
    noSidePassage: t.noSidePassage,
    noPartPassage: t.noPartPassage,
    differingFigures: (dates, a, b) => fill(dates ? t.differingDates : t.differingFigures, { a, b }),
    ...(t.chineseSourceNote ? { chineseSourceNote: t.chineseSourceNote } : {}),
    change: (name, from, to, falling, diff, points) =>
      fill(falling ? t.changeFalling : t.changeRising, { name, label: name ? `${name}: ` : '', from, to, diff, points: points ? t.percentagePoints : '' }),
  };
  cache.set(known, phrases);
  return phrases;
}

/** Name of the question's language for the LLM prompt. */
export function languageName(lang: QuestionLang): string {
  return messageTemplates(lang === 'en' || lang === 'zh-Hant' ? lang : 'zh-Hans').languageName;
}

/** Why a question cannot be asked (notText, empty, tooLong, onlyLink, noWords), in English and Chinese at once: it is shown before the question's language is known. */
export function questionError(name: 'notText' | 'empty' | 'tooLong' | 'onlyLink' | 'noWords', vars: Record<string, string | number> = {}): string {
  return `${fill(questionErrorTemplates('en')[name], vars)} / ${fill(questionErrorTemplates('zh')[name], vars)}`;
}
