import type { Passage } from '../core/passage.js';
import { searchKey } from '../text/searchKey.js';
import { splitSentences } from '../text/sentences.js';

/** A sentence of a passage, verbatim, with its search key. */
export interface Sentence {
  passage: Passage;
  text: string;
  key: string;
}

/** Splits a passage into sentences, keeping the source's own characters (quotable). */
export function sentencesOf(passage: Passage): Sentence[] {
  return splitSentences(passage.text)
    .filter((s) => s.text.length >= 2)
    .map((s) => ({ passage, text: s.text, key: searchKey(s.text) }));
}

// What follows a term in a sentence that says what the term is.
const STRONG_AFTER = /^[”》」]?\s*(?:[（(][^）)]{0,60}[）)])?\s*(?:战略|策略|理论|概念|条款|一词|这一概念)?\s*[，,]?\s*(?:具有[^，。]{0,4}含义|是指|指的是|就是指|即是|即|意为|意味着|是一种|是一个|是)/u;
const WEAK_AFTER = /^[”》」]?\s*(?:[（(][^）)]{0,60}[）)])?\s*[，,]?\s*(?:也是|作为|可以|旨在|代表|属于|主要|最初|的核心|的实质|的本质)/u;
const STRONG_BEFORE = /(?:所谓|被称为|又称|称为|简称|即)\s*[“《「]?$/u;

/**
 * How strongly a sentence defines one of `forms` (search keys of the term and its aliases); 0 when it
 * does not mention them. Patterns: “X是指…”, “X（…）是…”, “所谓X”, “X即…”, “被称为X”; a sentence opening
 * with the term, a gloss after it, a footnote (where the paper explains its terms) add to it.
 */
export function definitionScore(sentence: Sentence, forms: string[], anchorKey?: string): number {
  const s = sentence.key;
  let best = 0;
  for (const form of forms) {
    let at = s.indexOf(form);
    while (at >= 0) {
      let score = 1;
      const after = s.slice(at + form.length);
      const before = s.slice(0, at);
      if (STRONG_AFTER.test(after)) score += 5;
      else if (WEAK_AFTER.test(after)) score += 3;
      if (STRONG_BEFORE.test(before)) score += 4;
      if (/^[\s“《「(（]*$/u.test(before.slice(-8)) && before.replace(/[\s“《「(（]/gu, '').length <= 6) score += 2;
      if (/^[”》]?\s*[（(]/u.test(after)) score += 2;
      if (/\p{Script=Han}/u.test(form)) score += 1;
      if (score > best) best = score;
      at = s.indexOf(form, at + form.length);
    }
  }
  if (best === 0) return anchorKey && s.includes(anchorKey) ? 100 : 0;
  if (anchorKey && s.includes(anchorKey)) best += 100;
  if (sentence.passage.kind === 'footnote') best += 1;
  // Bibliographic references mention terms in titles; they never define them.
  if (/载《|访问时间|https?:|出版社|\bpp?\.\s*\d|第\d+(?:—\d+)?页/u.test(sentence.text)) best -= 5;
  const n = [...sentence.text].length;
  if (n < 8) best -= 3;
  else if (n > 250) best -= 2;
  else if (n > 150) best -= 1;
  return best;
}
