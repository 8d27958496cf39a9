import { cue, ordinalFamilies } from '../text/lang.js';
import type { Sentence } from '../text/sentences.js';

/**
 * Ordinal marker families of Chinese enumerations. An answer that quotes one item of an enumeration quotes
 * the others too (and the sentence that introduces them): a list cut after its first item misleads.
 */
const FAMILIES: string[][] = ordinalFamilies();

/** A sentence that announces what follows ("主要表现为两方面：", "…包括以下…"): it needs the next sentence. */
const INTRODUCES = cue('introducesList');

/** The family and position of the first ordinal marker a sentence carries (at its start or after a colon/comma). */
export function ordinalIn(text: string): { family: number; position: number } | undefined {
  let best: { family: number; position: number; at: number } | undefined;
  FAMILIES.forEach((markers, family) => {
    markers.forEach((marker, position) => {
      const at = text.indexOf(marker);
      if (at < 0) return;
      // 第一 inside 第一大 / 其次数 is not an ordinal: it must start the sentence or follow punctuation
      const before = at === 0 ? '' : text[at - 1];
      if (at > 0 && !/[，,：:；;。\s（(“"]/u.test(before)) return;
      if (!best || at < best.at) best = { family, position, at };
    });
  });
  return best && { family: best.family, position: best.position };
}

/** A sentence that starts with the first item of an enumeration (其壹,… 一是…): the one before introduces it. */
export function opensEnumeration(text: string): boolean {
  const o = ordinalIn(text);
  return o !== undefined && o.position === 0 && cue('firstOrdinal').test(text);
}

/** How many ordinal items of one family a single sentence holds (一是…二是…三是… in one sentence). */
function itemsInSentence(text: string, family: number): number {
  return FAMILIES[family].filter((m) => text.includes(m)).length;
}

/**
 * Indices (document order) of the sentences that make the answer unit around `index`: the enumeration it
 * belongs to, items and their introduction; or the sentence it introduces. Just `[index]` otherwise.
 * Sentences between two items that carry no marker (an example for item one) are left out: each item is
 * quoted, the elaborations are not.
 */
export function answerUnit(sentences: Sentence[], index: number): number[] {
  const at = sentences.findIndex((s) => s.index === index);
  if (at < 0) return [index];
  const unit = new Set<number>([at]);
  const own = ordinalIn(sentences[at].text);
  if (own) {
    // backwards to item one, then its introduction
    let position = own.position;
    let cursor = at;
    while (position > 0) {
      const prev = findMarker(sentences, cursor - 1, -1, own.family, position - 1);
      if (prev < 0) break;
      unit.add(prev);
      cursor = prev;
      position--;
    }
    if (position === 0 && cursor > 0 && INTRODUCES.test(sentences[cursor - 1].text)) unit.add(cursor - 1);
    // forwards to the last item
    position = own.position + itemsInSentence(sentences[at].text, own.family) - 1;
    cursor = at;
    for (;;) {
      const next = findMarker(sentences, cursor + 1, 1, own.family, position + 1);
      if (next < 0) break;
      unit.add(next);
      cursor = next;
      position++;
    }
  } else if (at + 1 < sentences.length && (INTRODUCES.test(sentences[at].text) || opensEnumeration(sentences[at + 1].text))) {
    // an introduction: the sentence it announces, and that sentence's enumeration
    for (const i of answerUnit(sentences, sentences[at + 1].index)) unit.add(sentences.findIndex((s) => s.index === i));
  } else {
    // one item of an enumeration held in the sentence before (…一是 A。二是 B) is handled above; a sentence
    // that an introduction announces brings its introduction
    if (at > 0 && INTRODUCES.test(sentences[at - 1].text)) unit.add(at - 1);
  }
  // an item that only names itself (其壹,界定范圍與動員基礎。) is completed by the sentence after it
  if (own) {
    for (const i of [...unit]) {
      const o = ordinalIn(sentences[i].text);
      if (o && [...sentences[i].text].length < 24 && i + 1 < sentences.length && !ordinalIn(sentences[i + 1].text)) unit.add(i + 1);
    }
  }
  return [...unit].filter((i) => i >= 0).sort((a, b) => a - b).map((i) => sentences[i].index);
}

/** The nearest sentence from `start` in `direction` (within 5 sentences) carrying marker `position` of `family`. */
function findMarker(sentences: Sentence[], start: number, direction: 1 | -1, family: number, position: number): number {
  if (!FAMILIES[family][position]) return -1;
  // families that share their first marker (其壹 … 其贰 / 其貳) are one family written in two scripts
  const siblings = FAMILIES.map((f, i) => (f[0] === FAMILIES[family][0] ? i : -1)).filter((i) => i >= 0);
  for (let i = start, steps = 0; i >= 0 && i < sentences.length && steps < 5; i += direction, steps++) {
    const o = ordinalIn(sentences[i].text);
    if (o && siblings.includes(o.family) && o.position === position) return i;
    if (o && siblings.includes(o.family) && siblings.some((f) => FAMILIES[f][position] && sentences[i].text.includes(FAMILIES[f][position]))) return i;
  }
  return -1;
}
