/**
 * "Find sources for this": the passages that support a claim someone wrote, checked with the very test the
 * citation checker applies to an LLM's sentence (sentenceSupport: the claim's figures in one window of a
 * passage, and at least half of its content words there). A passage that says the same thing with other
 * figures or dates (the claim says 2019, the passage 2021) is reported as such, not as support.
 */
import { sameNumber, sentenceSupport } from '../answer/citationCheck.js';
import type { QuestionLang, ScoredPassage } from '../core/answer.js';
import type { Passage } from '../core/passage.js';
import type { ExpansionGroup } from '../glossary/glossary.js';
import { clipChars } from '../text/clip.js';
import { detectLang } from '../text/language.js';
import { searchKey } from '../text/searchKey.js';
import { COMMON_ENGLISH, contentTerms, numbersIn, stemEnglish } from '../text/segment.js';
import { splitSentences } from '../text/sentences.js';
import { validateQuestion } from '../answer/validateQuestion.js';

export type ClaimVerdict = 'supported' | 'different-figures' | 'unsupported';

export interface ClaimEvidence {
  passage: Passage;
  title: string;
  /** The passage's sentence the claim meets best, verbatim (clipped). */
  quote: string;
}

export interface FigureConflict extends ClaimEvidence {
  /** The claim's figures this passage does not give. */
  claimFigures: string[];
  /** The figures of the same kind (years, shares, other numbers) it gives instead where it says the same thing. */
  passageFigures: string[];
}

export interface ClaimFinding {
  /** One sentence of the checked text. */
  claim: string;
  verdict: ClaimVerdict;
  supporting: ClaimEvidence[];
  /** Passages that say the same thing with other figures or dates. */
  conflicting: FigureConflict[];
  /** When nothing supports the claim: the passages closest to it. */
  closest: ClaimEvidence[];
}

export interface ClaimCheck {
  text: string;
  lang: QuestionLang;
  /** 'different-figures' when any sentence meets other figures, else 'unsupported' when any lacks support. */
  verdict: ClaimVerdict;
  findings: ClaimFinding[];
  /** Sentences past MAX_CLAIMS, not checked. */
  unchecked: number;
}

/** What the check needs from an index generation. */
export interface ClaimCheckDeps {
  search(query: string, k: number): Promise<ScoredPassage[]>;
  /** Glossary.expandQueryGroups: the named things and English words of a text with their names in the corpus. */
  bridges(text: string): ExpansionGroup[];
  titleOf(docId: string): string;
}

export const MAX_CLAIMS = 5;
const CANDIDATES = 8;
const SHOWN = 3;
/**
 * A passage "says the same thing" with other figures when, figures left out, it passes the checker's word
 * test, meets at least this share of the claim's words, and about as many (NEAR_BEST) as the best passage.
 * Measured on the corpus: the passage a claim with a wrong year or figure was copied from meets 1.0 in
 * Chinese, 0.6–0.83 written in English (words such as "signed" or "share of" are not bridged); other
 * passages on the same subject meet 0.6–0.8 (the 2017 Trump order and the 2021 Biden order are both
 * "美国总统…签署…行政令") and stay out by NEAR_BEST.
 */
export const SAME_STATEMENT_TERM_SHARE = 0.6;
const NEAR_BEST = 0.1;

const NUMBER = /\d+(?:[.,]\d+)*%?/g;
const withoutNumbers = (text: string) => text.normalize('NFKC').replace(NUMBER, ' ');

const MIN_CLAIM_TERMS = 2;

/** Sentences worth checking: they say something (content words or figures), not "谢谢" or "see above". */
function claimSentences(text: string): string[] {
  const sentences = splitSentences(text).map((s) => s.text);
  const worth = sentences.filter((s) => numbersIn(s).length > 0 || [...contentTerms(s)].filter((t) => !/^\p{Script=Han}$/u.test(t)).length >= MIN_CLAIM_TERMS);
  return worth.length ? worth : [text];
}

// "February 2019" is 2019年2月 in the corpus: the month becomes a figure to compare, not a word nothing bridges
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = /\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?:\s+(?:\d{1,2},?\s+)?(\d{4}))?\b/g;

/**
 * An English (or mixed) claim read in the corpus's words: each English word or name the glossary bridges is
 * replaced by its Chinese form that this passage uses, and English words that only frame a claim ("year",
 * "report") are left out — so "Biden signed Executive Order 14017" is checked against 拜登…签署…行政令 with the
 * same word-share test. Words nothing bridges stay English and count as not found. Chinese claims pass unchanged.
 */
export function inCorpusWords(claim: string, passageKey: string, groups: ExpansionGroup[]): string {
  if (!/[A-Za-z]{2}/.test(claim)) return claim;
  let key = searchKey(claim).replace(/['’]s\b/g, '');
  for (const group of [...groups].sort((a, b) => b.source.length - a.source.length)) {
    const form = group.forms.find((f) => passageKey.includes(searchKey(f)));
    if (form && key.includes(group.source)) key = key.replace(group.source, ` ${searchKey(form)} `);
  }
  key = key.replace(MONTH, (all, month: string, year?: string) => (month === 'may' && !year ? all : `${year ? `${year}年` : ''}${MONTHS.indexOf(month.slice(0, 3)) + 1}月`));
  return key.replace(/[a-z]+/g, (word) => (COMMON_ENGLISH.has(stemEnglish(word)) ? ' ' : word));
}


/**
 * The passage's sentence a claim meets best (figures aside), or two consecutive ones when together they meet
 * more of it (the checker's window): what is quoted, and where the passage's own figures are read.
 */
function bestWindow(claimWithoutFigures: string, text: string): string {
  const sentences = splitSentences(text).map((s) => s.text);
  let best = { text, score: -1 };
  for (let i = 0; i < sentences.length; i++) {
    for (const window of [sentences[i], i + 1 < sentences.length ? sentences[i] + sentences[i + 1] : '']) {
      if (!window) continue;
      // a pair must meet more than its better half; among equals, the one holding figures
      const score = sentenceSupport(claimWithoutFigures, [window]).termShare + (numbersIn(window).length ? 0.001 : 0) - (window === sentences[i] ? 0 : 0.01);
      if (score > best.score) best = { text: window, score };
    }
  }
  return best.text;
}

/**
 * The claim's one-character names with their other names: 镓 in "中国限制镓的出口", [gallium, 镓] in "the US may
 * restrict exports of gallium". The checker leaves single characters out of its word test (已, 年, 对 say too
 * little), and lets half a sentence's words go missing, which suits an LLM quoting the passages it was given;
 * in a claim such a character is often its very subject, so the window quoted must hold each of them
 * (a sentence on 出口限制 with 镓 only in the next one does not support "China restricts gallium exports").
 */
function oneCharacterNames(claim: string, groups: ExpansionGroup[]): string[][] {
  const names = groups.filter((g) => g.forms.some((f) => SINGLE_HAN.test(f))).map((g) => [g.source, ...g.forms]);
  // units of figures (2019年, 第14017号, 49.8亿) are not names
  const words = claim.normalize('NFKC').replace(FIGURE_WITH_UNIT, ' ');
  for (const term of contentTerms(words)) if (SINGLE_HAN.test(term) && !names.some((n) => n.includes(term))) names.push([term]);
  return names;
}

const SINGLE_HAN = /^\p{Script=Han}$/u;
const FIGURE_WITH_UNIT = /第?\s*\d+(?:[.,]\d+)*\s*(?:[年月日号亿万千百种个次项倍届期]|%)?/g;

const QUOTE_MAX = 300;

const figureKind = (n: string) => (/%$/.test(n) ? 'share' : /^(?:1[5-9]|20)\d\d$/.test(n) ? 'year' : 'number');

async function checkOne(claim: string, deps: ClaimCheckDeps): Promise<ClaimFinding> {
  const results = await deps.search(claim, CANDIDATES);
  const groups = deps.bridges(claim);
  const names = oneCharacterNames(claim, groups);
  const claimFigures = numbersIn(claim);
  const supporting: (ClaimEvidence & { termShare: number })[] = [];
  const shownQuotes = new Set<string>();
  const sameWords: { evidence: ClaimEvidence; termShare: number; missing: string[]; given: string[] }[] = [];
  const closest: ClaimEvidence[] = [];
  for (const { passage } of results) {
    const text = passage.text;
    const readable = inCorpusWords(claim, passage.searchKey || searchKey(text), groups);
    const bare = withoutNumbers(readable);
    const sentence = bestWindow(bare, text);
    const evidence = { passage, title: deps.titleOf(passage.docId), quote: clipChars(sentence, QUOTE_MAX) };
    // overlapping passages can hold the same sentence: it is shown once
    if (shownQuotes.has(evidence.quote)) continue;
    shownQuotes.add(evidence.quote);
    if (closest.length < SHOWN) closest.push(evidence);
    const windowKey = searchKey(sentence);
    if (!names.every((forms) => forms.some((form) => windowKey.includes(searchKey(form))))) continue;
    const check = sentenceSupport(readable, [text]);
    if (check.supported) {
      supporting.push({ ...evidence, termShare: check.termShare });
      continue;
    }
    // a footnote's years are when a source was published or read, not the claim's facts
    if (check.reason !== 'numbers-not-in-passage' || claimFigures.length === 0 || passage.kind === 'footnote') continue;
    // the same statement with the figures left out: does the passage say it, with other figures?
    const words = sentenceSupport(bare, [text]);
    if (!words.supported) continue;
    const inPassage = numbersIn(text);
    const missing = claimFigures.filter((n) => !inPassage.some((m) => sameNumber(m, n)));
    // a passage that gives none of a claim's several figures speaks of something else
    if (claimFigures.length > 1 && missing.length === claimFigures.length) continue;
    // what it gives instead: figures of the kinds the claim's missing ones are (a year for a year, a share for a share)
    const kinds = new Set(missing.map(figureKind));
    const given = numbersIn(sentence).filter((n) => kinds.has(figureKind(n)) && !claimFigures.some((m) => sameNumber(m, n)));
    sameWords.push({ evidence, termShare: words.termShare, missing, given });
  }
  const best = Math.max(0, ...supporting.map((s) => s.termShare), ...sameWords.map((s) => s.termShare));
  const conflicting = sameWords
    .filter((s) => s.given.length > 0 && s.termShare >= SAME_STATEMENT_TERM_SHARE && s.termShare >= best - NEAR_BEST)
    .map((s) => ({ ...s.evidence, claimFigures: s.missing, passageFigures: [...new Set(s.given)].slice(0, 6) }))
    .slice(0, SHOWN);
  const verdict: ClaimVerdict = supporting.length ? 'supported' : conflicting.length ? 'different-figures' : 'unsupported';
  // the passages that meet most of the claim first (a stable sort keeps retrieval's order among equals)
  const shown = supporting.sort((a, b) => b.termShare - a.termShare).slice(0, SHOWN).map(({ termShare: _share, ...evidence }) => evidence);
  return { claim, verdict, supporting: shown, conflicting, closest: verdict === 'unsupported' ? closest : [] };
}

/** Checks each sentence of `text` (up to MAX_CLAIMS) against the passages retrieval finds for it. */
export async function findSources(rawText: string, deps: ClaimCheckDeps, options: { lang?: QuestionLang } = {}): Promise<ClaimCheck> {
  const text = validateQuestion(rawText);
  const sentences = claimSentences(text);
  const findings: ClaimFinding[] = [];
  for (const claim of sentences.slice(0, MAX_CLAIMS)) findings.push(await checkOne(claim, deps));
  const verdicts = new Set(findings.map((f) => f.verdict));
  const verdict: ClaimVerdict = verdicts.has('different-figures') ? 'different-figures' : verdicts.has('unsupported') ? 'unsupported' : 'supported';
  return { text, lang: options.lang ?? detectLang(text), verdict, findings, unchecked: Math.max(0, sentences.length - MAX_CLAIMS) };
}
