/**
 * The shortest verbatim unit that answers: candidate spans of the quoted sentences (clauses, the part of a clause
 * the question does not already say, figures, dates, names, list runs, table cells), each cut at word boundaries
 * (the segmenter), described by general features; a linear ranker fitted by `lodestone eval --fit-lead` (the `lead`
 * of model/answer-decision.json) picks the one that leads. No phrasing, fact or collection is named here: what a
 * figure, a date or a name looks like is language data (lang/*.json).
 */
import { chineseWords, STOPWORDS, wordBoundaries } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';
import { cue, pattern } from '../text/lang.js';
import { placesIn } from '../text/gazetteer.js';
import type { QuestionIntent } from './intent.js';
import { holdsAnswerType } from './intent.js';

/** What the lead ranker sees of a candidate span. Changing this list means fitting again (`lodestone eval --fit-lead`). */
export const LEAD_FEATURES = [
  'figureAsked', 'dateAsked', 'listAsked', 'nameAsked', 'placeAsked', 'reasonAsked',
  'figureOther', 'dateOther', 'nameOther',
  'novelty', 'selfOverlap', 'clauseOverlap', 'nearQuestion', 'followsQuestion', 'precedesQuestion',
  'logChars', 'over40',
  'kindClause', 'kindSlot', 'kindTyped', 'kindPair', 'kindSentence', 'kindCell',
  'sourceRank', 'relevance', 'position', 'restates', 'leftContext', 'rightContext',
] as const;
export type LeadFeature = (typeof LEAD_FEATURES)[number];

/** A quoted sentence the lead may draw on: its text, the [n] of its passage and how the sentence ranker rated it (0–1, best 1). */
export interface SpanSource {
  text: string;
  n: number;
  relevance: number;
}

export interface SpanCandidate {
  text: string;
  n: number;
  kind: 'clause' | 'slot' | 'typed' | 'pair' | 'sentence' | 'cell';
  x: number[];
}

/** Longer units are not leads: a reader wants the answer, then the quote. */
const MAX_SPAN = 80;
const CLAUSE_MARK = /[，,；;：:]/u;

/** Widens [start, end) to the nearest word boundaries: a span never holds half a word. */
function snap(start: number, end: number, cuts: Set<number>, length: number): [number, number] {
  let s = start;
  while (s > 0 && !cuts.has(s)) s--;
  let e = end;
  while (e < length && !cuts.has(e)) e++;
  return [s, e];
}

/** Which characters of the sentence belong to a question term (search-key positions equal text positions for Han). */
function questionMask(key: string, terms: string[]): boolean[] {
  const mask = new Array<boolean>(key.length).fill(false);
  for (const t of terms) {
    if (!t || t.length < 1) continue;
    let at = key.indexOf(t);
    while (at >= 0) {
      for (let k = at; k < at + t.length && k < mask.length; k++) mask[k] = true;
      at = key.indexOf(t, at + t.length);
    }
  }
  return mask;
}

const trimEdges = (s: string) => s.replace(/^[\s，,；;：:、。.!?！？“”"「」（）()]+|[\s，,；;：:、。.!?！？“”"「」（）()]+$/gu, '');

/** The candidate spans of the sources, with their features (in LEAD_FEATURES order). */
/**
 * `runs`: where a sentence's list runs lie (the items a list reader finds, from its first item to its last), offered
 * as typed spans.
 */
export function leadCandidates(sources: SpanSource[], intent: QuestionIntent, questionTerms: string[], questionKey = '', runs: (text: string) => [number, number][] = () => []): SpanCandidate[] {
  const out: SpanCandidate[] = [];
  // the words around the question word (X的首都是哪里 → 的首都是 | ''): the answer sits where the sentence has them
  const wh = questionKey.match(cue('questionWord'));
  const left = wh ? bigramsOf(questionKey.slice(Math.max(0, wh.index! - 8), wh.index!)) : new Set<string>();
  const right = wh ? bigramsOf(questionKey.slice(wh.index! + wh[0].length, wh.index! + wh[0].length + 8)) : new Set<string>();
  const types = intent.types;
  const asks = {
    figure: types.has('quantity') || types.has('change'),
    date: types.has('date'),
    list: types.has('list'),
    name: types.has('who') || intent.asksName === true,
    place: types.has('where'),
    reason: types.has('why'),
  };
  const terms = [...new Set(questionTerms.map((t) => searchKey(t)).filter((t) => t.length > 0))];
  sources.slice(0, 3).forEach((source, rank) => {
    const text = source.text;
    const key = searchKey(text);
    // positions of the key are positions of the text only when folding kept the length (it does for Han)
    const aligned = key.length === text.length;
    const mask = aligned ? questionMask(key, terms) : new Array<boolean>(text.length).fill(false);
    const cuts = wordBoundaries(text);
    const seen = new Set<string>();
    // clauses with their offsets
    const clauses: [number, number][] = [];
    let from = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i === text.length || CLAUSE_MARK.test(text[i])) {
        if (i > from) clauses.push([from, i]);
        from = i + 1;
      }
    }
    const clauseOf = (at: number) => clauses.find(([s, e]) => at >= s && at < e) ?? [0, text.length];
    // (on search-key slices: folding every span again would cost more than the rest of the answer)
    const keyOf = (start: number, end: number) => (aligned ? key.slice(start, end) : searchKey(text.slice(start, end)));
    const overlapOf = (k: string) => (terms.length ? terms.filter((t) => k.includes(t)).length / terms.length : 0);
    const clauseOverlaps = new Map<number, number>();
    const clauseOverlap = (cs: number, ce: number) => {
      let v = clauseOverlaps.get(cs);
      if (v === undefined) clauseOverlaps.set(cs, (v = overlapOf(keyOf(cs, ce))));
      return v;
    };
    // where the sentence names a place (once per sentence, not per span)
    const placeSpans: [number, number][] = aligned
      ? placesIn(key).flatMap((p) => [...key.matchAll(new RegExp(p.inKey.source, 'gu'))].map((m) => [m.index!, m.index! + m[0].length] as [number, number]))
      : [];
    const reasonClause = new Map<number, number>();
    const add = (start: number, end: number, kind: SpanCandidate['kind']) => {
      let span = text.slice(start, end);
      const trimmed = trimEdges(span);
      if (!trimmed) return;
      start += span.indexOf(trimmed);
      end = start + trimmed.length;
      span = trimmed;
      const chars = [...span].length;
      if (chars > MAX_SPAN || chars < 1 || seen.has(`${start}:${end}`)) return;
      if (!/[\p{L}\p{N}]/u.test(span) || onlyFunctionWords(span)) return;
      seen.add(`${start}:${end}`);
      out.push({ text: span, n: source.n, kind, x: features(start, end, kind, rank, source.relevance) });
    };
    const features = (start: number, end: number, kind: SpanCandidate['kind'], sourceRank: number, relevance: number): number[] => {
      const span = text.slice(start, end);
      const content = [...span].map((ch, i) => (/[\p{L}\p{N}]/u.test(ch) ? (mask[start + i] ? 1 : 0) : -1)).filter((v) => v >= 0);
      const novelty = content.length ? content.filter((v) => v === 0).length / content.length : 0;
      const [cs, ce] = clauseOf(start);
      let nearest = Infinity;
      for (let k = 0; k < mask.length; k++) if (mask[k] && (k < start || k >= end)) nearest = Math.min(nearest, k < start ? start - k : k - end + 1);
      const isFigure = holdsAnswerType('quantity', span) ? 1 : 0;
      const isDate = holdsAnswerType('date', span) ? 1 : 0;
      const isName = NAME.test(span) ? 1 : 0;
      const isList = holdsAnswerType('list', span) && /、/u.test(span) ? 1 : 0;
      const isPlace = placeSpans.some(([ps, pe]) => ps >= start && pe <= end) || (asks.place && holdsAnswerType('where', span)) ? 1 : 0;
      let isReason = reasonClause.get(cs);
      if (isReason === undefined) reasonClause.set(cs, (isReason = asks.reason && holdsAnswerType('why', text.slice(cs, ce)) ? 1 : 0));
      const selfOverlap = overlapOf(keyOf(start, end));
      const f: Record<LeadFeature, number> = {
        figureAsked: asks.figure ? isFigure : 0,
        dateAsked: asks.date ? isDate : 0,
        listAsked: asks.list ? isList : 0,
        nameAsked: asks.name ? isName : 0,
        placeAsked: asks.place ? isPlace : 0,
        reasonAsked: asks.reason ? isReason : 0,
        figureOther: asks.figure ? 0 : isFigure,
        dateOther: asks.date ? 0 : isDate,
        nameOther: asks.name ? 0 : isName,
        novelty,
        selfOverlap,
        clauseOverlap: clauseOverlap(cs, ce),
        nearQuestion: Number.isFinite(nearest) ? 1 / (1 + nearest / 4) : 0,
        followsQuestion: start > 0 && mask.slice(Math.max(0, start - 2), start).some(Boolean) ? 1 : 0,
        precedesQuestion: mask.slice(end, end + 2).some(Boolean) ? 1 : 0,
        logChars: Math.log(1 + [...span].length),
        over40: Math.max(0, [...span].length - 40) / 40,
        kindClause: kind === 'clause' ? 1 : 0,
        kindSlot: kind === 'slot' ? 1 : 0,
        kindTyped: kind === 'typed' ? 1 : 0,
        kindPair: kind === 'pair' ? 1 : 0,
        kindSentence: kind === 'sentence' ? 1 : 0,
        kindCell: kind === 'cell' ? 1 : 0,
        sourceRank,
        relevance,
        position: text.length ? start / text.length : 0,
        // it holds most of what the question says and little else: a restatement, not an answer
        restates: selfOverlap >= 0.6 && novelty < 0.3 ? 1 : 0,
        leftContext: shared(bigramsOf(key.slice(Math.max(0, start - 8), start)), left),
        rightContext: shared(bigramsOf(key.slice(end, end + 8)), right),
      };
      return LEAD_FEATURES.map((name) => f[name]);
    };
    // a table row's cells (header：value｜…): each value is a candidate
    if (text.includes('｜')) {
      let at = 0;
      for (const cell of text.split('｜')) {
        const colon = cell.indexOf('：');
        if (colon > 0 && colon < cell.length - 1) add(at + colon + 1, at + cell.length, 'cell');
        at += cell.length + 1;
      }
    }
    for (const [s, e] of clauses) add(s, e, 'clause');
    for (let i = 0; i + 1 < clauses.length; i++) add(clauses[i][0], clauses[i + 1][1], 'pair');
    add(0, text.length, 'sentence');
    // the part of each clause the question does not already say, in whole words
    for (const [s, e] of clauses) {
      let runStart = -1;
      const sorted = [...cuts].filter((c) => c >= s && c <= e).sort((a, b) => a - b);
      for (let k = 0; k + 1 < sorted.length; k++) {
        const [ws, we] = [sorted[k], sorted[k + 1]];
        const word = text.slice(ws, we);
        const covered = mask.slice(ws, we).some(Boolean);
        if (!covered && runStart < 0 && !STOPWORDS.has(word) && /[\p{L}\p{N}]/u.test(word)) runStart = ws;
        if (covered && runStart >= 0) {
          add(runStart, ws, 'slot');
          runStart = -1;
        }
      }
      if (runStart >= 0) add(runStart, e, 'slot');
    }
    // figures, dates, names, places and list runs, widened to whole words
    for (const re of [FIGURE, DATE, NAME_GLOBAL, LIST_RUN]) {
      for (const m of text.matchAll(re)) {
        const [s, e] = snap(m.index!, m.index! + m[0].length, cuts, text.length);
        add(s, e, 'typed');
      }
    }
    for (const [s, e] of runs(text)) add(s, e, 'typed');
    for (const place of placesIn(key)) {
      for (const form of place.chineseForms) {
        const at = aligned ? key.indexOf(form) : -1;
        if (at >= 0 && [...form].length > 1) add(at, at + form.length, 'typed');
      }
    }
  });
  return out;
}

/** A span of nothing but function words ("The", 的, 了) answers nothing. */
function onlyFunctionWords(span: string): boolean {
  // (a span of more than a few words holds content: only short ones are segmented to check)
  if ([...span].length > 12) return false;
  const latin = span.toLowerCase().match(/[a-z]+/g) ?? [];
  const han = (span.match(/\p{Script=Han}+/gu) ?? []).flatMap((run) => chineseWords(run));
  const digits = /\d/.test(span);
  return !digits && [...latin, ...han].every((w) => STOPWORDS.has(w));
}

function bigramsOf(text: string): Set<string> {
  const t = text.replace(/[\s，,。；;：:、？?！!]/gu, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}

/** Share of the question side's bigrams the sentence side holds (0 when the question has none there). */
function shared(side: Set<string>, question: Set<string>): number {
  if (question.size === 0) return 0;
  let n = 0;
  for (const g of question) if (side.has(g)) n++;
  return n / question.size;
}

const FIGURE = pattern('zh', 'figureInText', 'gu');
const DATE = pattern('zh', 'dateInText', 'gu');
/** A title, a quoted term, a Latin name or acronym, or the name of a body (…部, …委员会). */
const NAME_SOURCE = `《[^》]{2,40}》|“[^”]{2,20}”|「[^」]{2,20}」|\\b[A-Z][A-Za-z0-9-]{1,}(?:\\s+[A-Z][A-Za-z0-9-]+)*\\b|${cue('organisationName').source}`;
const NAME = new RegExp(NAME_SOURCE, 'u');
const NAME_GLOBAL = new RegExp(NAME_SOURCE, 'gu');
/** A run of list items (X、Y、Z和W). */
const LIST_RUN = new RegExp(`[^、，,。；;：:（）()“”"《》\\s]{1,14}(?:、[^、，,。；;：:（）()“”"《》\\s]{1,14})+`, 'gu');
