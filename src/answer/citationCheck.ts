import { contentTerms, numbersIn } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';
import { splitSentences } from '../text/sentences.js';

/**
 * The measurable test behind every [n] an LLM writes. A sentence closed by [n] (or [n][m], [n, m]) is
 * SUPPORTED when, against the union of the cited passages' search keys (simplified, lower-case):
 *   1. every number in the sentence (41.6%, 2022, 30) occurs in one window of ≤ 2 consecutive sentences
 *      of a cited passage, AND
 *   2. either ≥ SUPPORT_MIN_TERM_SHARE of the sentence's content terms (contentTerms: segmented words,
 *      stopwords, numbers and single Han characters dropped) occur in that same window,
 *      or the sentence quotes (“…”, 「…」, "…") a span of ≥ 4 characters that occurs verbatim in a cited
 *      passage — the route for English sentences about Chinese passages, which share no words with them.
 * Markers whose n is not a passage number are fabricated: they are removed. A sentence left with no
 * valid marker is a claim without a source and is dropped. Short uncited sentences (≤ 3 content terms:
 * a lead-in such as “根据文献：”) are kept as connective text.
 */
export const SUPPORT_MIN_TERM_SHARE = 0.5;
const CONNECTIVE_MAX_TERMS = 3;

export interface CheckedSentence {
  /** The sentence as written, markers included (invalid ones removed). */
  text: string;
  /** Valid passage numbers it cites. */
  cites: number[];
  supported: boolean;
  /** Why it was dropped, or 'connective' for a kept uncited lead-in. */
  reason?: 'no-citation' | 'fabricated-citation' | 'numbers-not-in-passage' | 'terms-not-in-passage' | 'connective';
  /** Share of content terms found in the cited passages. */
  termShare: number;
}

export interface CitationCheckResult {
  /** Kept sentences, joined back together. */
  text: string;
  sentences: CheckedSentence[];
  /** Sentences removed because their citations do not support them (or they cite nothing). */
  dropped: number;
  /** Markers whose number is not a passage. */
  fabricated: number;
  /** Passage numbers cited by kept sentences, in order of first use. */
  cited: number[];
}

const MARKER = /\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]/g;
const QUOTED = /“([^”]{4,})”|「([^」]{4,})」|"([^"]{4,})"|『([^』]{4,})』/g;

/** 41.6 and 41.6% are the same figure in a claim and its passage. */
export function sameNumber(a: string, b: string): boolean {
  return a === b || a === `${b}%` || b === `${a}%`;
}

/** Source sentences a claim may rest on together: one, or up to this many consecutive ones of a passage. */
export const SUPPORT_WINDOW_SENTENCES = 2;

/** Consecutive runs of 1…SUPPORT_WINDOW_SENTENCES sentences of a passage (the whole passage when short). */
function supportWindows(text: string): string[] {
  const sentences = splitSentences(text).map((s) => s.text);
  if (sentences.length <= SUPPORT_WINDOW_SENTENCES) return [text];
  const windows: string[] = [];
  for (let i = 0; i < sentences.length; i++) {
    for (let size = 1; size <= SUPPORT_WINDOW_SENTENCES && i + size <= sentences.length; size++) windows.push(sentences.slice(i, i + size).join(''));
  }
  return windows;
}

/**
 * Is one sentence (markers removed) supported by the given passage texts? Pure; table-tested.
 * From each cited passage only its best window of at most SUPPORT_WINDOW_SENTENCES consecutive sentences
 * counts (a sentence citing [1][2] may combine one window of each): words and numbers gathered from all
 * over a passage do not support a claim the passage never makes.
 */
export function sentenceSupport(sentence: string, passageTexts: string[]): { supported: boolean; termShare: number; reason?: CheckedSentence['reason'] } {
  const bare = sentence.replace(MARKER, '');
  const keys = passageTexts.map((t) => searchKey(t));
  // Numbers that are only the citation markers or list ordinals (1.) are not claims.
  const numbers = numbersIn(bare.replace(/^\s*\d+[.)、]\s*/, ''));
  // Numbers are checked on their own; single Han characters (已, 年, 对) say too little to support anything.
  const terms = [...contentTerms(bare)].filter((t) => !/^\d/.test(t) && !/^\p{Script=Han}$/u.test(t));
  const evidence = passageTexts.map((text) => {
    let best = { key: '', numbers: [] as string[], score: -1 };
    for (const window of supportWindows(text)) {
      const key = searchKey(window);
      const windowNumbers = numbersIn(window);
      // numbers weigh more than words: a window holding the claim's figures is the one it must rest on
      const score = 2 * numbers.filter((n) => windowNumbers.some((m) => sameNumber(m, n))).length + terms.filter((t) => key.includes(t)).length;
      if (score > best.score) best = { key, numbers: windowNumbers, score };
    }
    return best;
  });
  const numbersMet = numbers.every((n) => evidence.some((e) => e.numbers.some((m) => sameNumber(m, n))));
  const joined = evidence.map((e) => e.key).join('\n');
  const termShare = terms.length ? terms.filter((t) => joined.includes(t)).length / terms.length : 0;
  if (!numbersMet) return { supported: false, termShare, reason: 'numbers-not-in-passage' };
  if (terms.length > 0 && termShare >= SUPPORT_MIN_TERM_SHARE) return { supported: true, termShare };
  for (const m of bare.matchAll(QUOTED)) {
    const quote = searchKey(m[1] ?? m[2] ?? m[3] ?? m[4]).replace(/\s+/g, '');
    if (quote.length >= 4 && keys.some((k) => k.replace(/\s+/g, '').includes(quote))) return { supported: true, termShare };
  }
  return { supported: false, termShare, reason: 'terms-not-in-passage' };
}

/**
 * Check every sentence of a composed answer against the numbered passages it cites.
 * `passages` maps the [n] numbers shown to the model to passage texts.
 */
export function checkCitations(answerText: string, passages: Map<number, string>): CitationCheckResult {
  const sentences: CheckedSentence[] = [];
  let fabricated = 0;
  let dropped = 0;
  const cited: number[] = [];
  for (const s of splitSentences(answerText)) {
    const numbers: number[] = [];
    let invalid = 0;
    const text = s.text
      .replace(MARKER, (_all, list: string) => {
        const valid: number[] = [];
        for (const part of list.split(/\s*[,，、]\s*/)) {
          const n = Number(part);
          if (passages.has(n)) valid.push(n);
          else invalid++;
        }
        numbers.push(...valid);
        return valid.map((n) => `[${n}]`).join('');
      })
      .replace(/\s+([。！？；.!?;])/g, '$1')
      .trim();
    fabricated += invalid;
    const cites = [...new Set(numbers)];
    if (cites.length === 0) {
      const termCount = contentTerms(text).size;
      if (invalid === 0 && termCount <= CONNECTIVE_MAX_TERMS && numbersIn(text).length === 0) {
        sentences.push({ text, cites, supported: true, reason: 'connective', termShare: 0 });
      } else {
        sentences.push({ text, cites, supported: false, reason: invalid ? 'fabricated-citation' : 'no-citation', termShare: 0 });
        dropped++;
      }
      continue;
    }
    const check = sentenceSupport(text, cites.map((n) => passages.get(n) ?? ''));
    sentences.push({ text, cites, supported: check.supported, reason: check.reason, termShare: check.termShare });
    if (!check.supported) {
      dropped++;
      continue;
    }
    for (const n of cites) if (!cited.includes(n)) cited.push(n);
  }
  const kept = sentences.filter((s) => s.supported).map((s) => s.text);
  return { text: joinSentences(kept), sentences, dropped, fabricated, cited };
}

/** Chinese sentences join without spaces; Latin ones with a space. */
function joinSentences(parts: string[]): string {
  let out = '';
  for (const p of parts) {
    if (!out) out = p;
    else out += /[\p{Script=Han}。！？；）」”\]]$/u.test(out) && /^[\p{Script=Han}“「（]/u.test(p) ? p : ` ${p}`;
  }
  return out;
}
