import type { QuestionLang } from '../core/answer.js';
import { searchKey, toSimplified, toTraditional } from '../text/searchKey.js';
import { numbersIn } from '../text/segment.js';
import { holdsAnswerType, MONEY_FIGURE, SHARE_FIGURE, type QuestionIntent } from './intent.js';
import { ordinalIn } from './answerUnit.js';
import { phrasesFor } from './messages.js';
import { boostedProbability, decisionModel, type LeadModel } from './decision.js';
import { leadCandidates, type SpanCandidate } from './leadSpans.js';
import { anchoredCue, cue, forms, pattern, patternTemplate, value } from '../text/lang.js';

/** A quoted sentence the lead may draw on, with the [n] of its passage and the passage's whole text. */
export interface LeadSource {
  text: string;
  n: number;
  passageText: string;
  /** How the sentence ranker rated it, relative to the best quote (0–1). */
  relevance?: number;
  /** The sentence is a footnote or reference note (it names where a claim comes from). */
  footnote?: boolean;
}

export interface LeadContext {
  intent: QuestionIntent;
  question: string;
  lang: QuestionLang;
  /** English name of a Chinese term (curated glossary first), for English leads. */
  englishName?: (zh: string) => string | undefined;
  /** The question asks where a claim or figure comes from: the lead names the source a quoted note gives. */
  asksProvenance?: boolean;
}

/** A lead that states the answer: the reader-facing line and the numbers it computed (not in any passage). */
export interface Lead {
  text: string;
  n: number;
  /** Verbatim fragments of the cited passage the lead repeats (checked). */
  fragments: string[];
  /** Numbers the lead computed from the passage's numbers (e.g. a difference). */
  computed: string[];
}

const LEAD_MAX_CHARS = 160;
const NUMBER = String.raw`\d+(?:\.\d+)?\s*%?`;
const NUMBER_LIST = String.raw`${NUMBER}(?:\s*(?:${cue('numberJoiner').source})\s*${NUMBER})*`;
/** "从 A 降至 B" (…分别从 a、b 下降至 c、d): the figures before and after, and the verb between. */
const CHANGE = new RegExp(patternTemplate('zh', 'changeFigures').replaceAll('{NUMBERS}', NUMBER_LIST), 'u');
/** A run of list items: X、Y、Z和W (items of 1–14 characters without punctuation). */
const ITEM = String.raw`[^、，,。；;：:（）()“”"《》\s]{1,14}`;
const ITEM_RUN = new RegExp(String.raw`(${ITEM}(?:、${ITEM})+(?:(?:${cue('listConjunction').source})${ITEM})?)`, 'gu');
/** A title, or the name of a body (…部, …委员会, …联盟). */
const NAMED = new RegExp(`《[^》]{2,40}》|${cue('organisationName').source}`, 'gu');
const YEAR = pattern('zh', 'dateInText', 'gu');
const QUANTITY = pattern('zh', 'figureInText', 'gu');
const QUANTITY_ONE = pattern('zh', 'figureInText');
const YEAR_ONE = pattern('zh', 'dateInText');
/** Spaces and possessives between a figure and the noun it is of (4% 的锂). */
const LEADING_POSSESSIVE = new RegExp(`^[\\s${value('zh', 'possessive')}]+`, 'u');
/** Where a list starts: after a verb or preposition that introduces it. */
const LIST_START = pattern('zh', 'listStart');

/** An ordinal marker and the item it introduces, up to the first comma or stop. */
const ORDINAL_ITEM = pattern('zh', 'ordinalItem', 'gu');

function clauses(sentence: string): string[] {
  return sentence
    .split(/(?<=[，,；;：:])/u)
    .map((c) => c.trim())
    .filter(Boolean);
}

function trimClause(c: string): string {
  return c.replace(/^[，,；;：:、\s]+|[，,；;：:、。\s]+$/gu, '').replace(/<sup>[^<]*<\/sup>|[\u2460-\u2473]/gu, '');
}

function splitItems(run: string): string[] {
  const parts = run.split('、').map((p) => p.trim());
  // only the last item carries the conjunction (… 柔性制造和先进材料); 信息与通信 inside a list stays whole
  const last = parts.pop() ?? '';
  const m = last.match(anchoredCue('listConjunction', '^(.+?)(?:', ')(.+)$', 'u'));
  const tail = m ? [m[1], m[2]] : [last];
  return [...parts, ...tail].filter(Boolean);
}

/** The list items a sentence enumerates: 一是 A，二是 B … or A、B、C 和 D (its longest run). */
export function listItems(sentence: string): string[] {
  const o = ordinalIn(sentence);
  if (o) {
    const items = [...sentence.matchAll(ORDINAL_ITEM)].map((m) => trimClause(m[1]));
    if (items.length >= 2) return items;
  }
  let best: string[] = [];
  for (const clause of clauses(sentence)) {
    for (const m of clause.matchAll(ITEM_RUN)) {
      let run = m[1];
      // drop the words before the list (美国宣布与澳大利亚 → 澳大利亚)
      const head = run.split('、')[0];
      const start = head.match(LIST_START)?.[0] ?? '';
      if (start && start.length < head.length) run = run.slice(start.length);
      const items = splitItems(run);
      // the last item often runs into the rest of the clause (欧盟建立“… → 欧盟): cut at a verb
      const last = items[items.length - 1];
      if (last) items[items.length - 1] = last.replace(pattern('zh', 'listItemTail'), '') || last;
      if (items.length > best.length && items.every((i) => [...i].length <= 14)) best = items.filter(Boolean);
    }
  }
  return best.length >= 2 ? best : [];
}

/** Where a sentence's list lies, verbatim: from its first item to its last (listItems' reading). */
function listRuns(text: string): [number, number][] {
  const items = listItems(text);
  if (items.length < 2) return [];
  const start = text.indexOf(items[0]);
  const lastAt = start < 0 ? -1 : text.indexOf(items[items.length - 1], start);
  return start >= 0 && lastAt >= 0 ? [[start, lastAt + items[items.length - 1].length]] : [];
}

function parseNumber(s: string): { value: number; percent: boolean } {
  const t = s.replace(/\s+/g, '');
  return { value: Number.parseFloat(t), percent: t.endsWith('%') };
}

function formatNumber(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** "从 A 降至 B": the change a sentence reports, aligned with the items it names (…分别从 a、b 下降至 c、d). */
function changeLead(source: LeadSource, ctx: LeadContext): Lead | undefined {
  const m = source.text.match(CHANGE);
  if (!m) return undefined;
  const from = numbersIn(m[1]);
  const to = numbersIn(m[3]);
  if (from.length === 0 || from.length !== to.length) return undefined;
  const falling = cue('falling').test(m[2]);
  const items = listItems(source.text.slice(0, m.index));
  const qKey = searchKey(ctx.question);
  let picks = from.map((_, i) => i);
  if (items.length === from.length) {
    const asked = items.map((item, i) => (qKey.includes(searchKey(item)) ? i : -1)).filter((i) => i >= 0);
    if (asked.length) picks = asked;
  }
  const computed: string[] = [];
  const phrases = picks.slice(0, 3).map((i) => {
    const a = parseNumber(from[i]);
    const b = parseNumber(to[i]);
    const unitA = a.percent ? '%' : '';
    const diff = formatNumber(Math.abs(a.value - b.value));
    computed.push(diff);
    const name = items.length === from.length ? items[i] : '';
    const label = ctx.lang === 'en' && name ? (ctx.englishName?.(name) ?? name) : name;
    return phrasesFor(ctx.lang).change(label, `${formatNumber(a.value)}${unitA}`, `${formatNumber(b.value)}${unitA}`, falling, diff, a.percent);
  });
  const fragments = picks.slice(0, 3).flatMap((i) => [from[i], to[i], ...(items.length === from.length ? [items[i]] : [])]);
  let text = phrases.join(ctx.lang === 'en' ? '; ' : '；');
  if (ctx.intent.types.has('list') && items.length >= 2) {
    const names = ctx.lang === 'en' ? items.map((i) => ctx.englishName?.(i) ?? i).join(', ') : items.join('、');
    text = `${names}${ctx.lang === 'en' ? '. ' : '；'}${text}`;
    fragments.push(...items);
  }
  return { text, n: source.n, fragments, computed };
}

/** 49.8 亿美元 → 4.98 billion US dollars; 数百亿美元 → tens of billions of US dollars. Never guessed: undefined when unsure. */
export function englishAmount(raw: string): string | undefined {
  const t = toSimplified(raw.replace(/\s+/g, ''));
  const vague = t.match(pattern('zh', 'vagueAmount'));
  if (vague) {
    // 数十亿 = several billion; 数百亿 = tens of billions; 数千亿 = hundreds of billions
    const scale = forms('zh', 'vagueAmounts')[vague[1]]?.[0];
    if (!scale) return undefined;
    return vague[2] ? `${scale} US dollars` : scale.replace(/ of$/, '');
  }
  const m = t.match(pattern('zh', 'amount'));
  if (!m) return undefined;
  if (m[2] === undefined) return m[1];
  if (m[2] === '%' || m[2] === '％') return `${m[1]}%`;
  const unit = forms('zh', 'amountUnits')[m[2]];
  if (!unit) return undefined;
  // a unit without a scale (倍 → times, 个百分点 → percentage points) is a word after the figure
  if (unit.length === 1) return `${m[1]} ${unit[0]}`;
  const [scale, noun] = unit;
  const n = Number.parseFloat(m[1]) * Number(scale);
  const words: [number, string][] = [[1e12, 'trillion'], [1e9, 'billion'], [1e6, 'million'], [1e3, 'thousand']];
  const [size, word] = words.find(([size]) => n >= size && Number(scale) >= 1e4) ?? [1, ''];
  const figure = size === 1 ? m[1] : formatNumber(n / size);
  return [figure, word, noun].filter(Boolean).join(' ');
}

/** Position of the question's asked noun (or its first content word) in a sentence, for choosing the nearest figure. */
function anchorIn(sentence: string, ctx: LeadContext): number {
  const key = searchKey(sentence);
  const noun = ctx.intent.askedNoun;
  if (noun && key.includes(noun)) return key.indexOf(noun);
  return -1;
}

function nearest(matches: RegExpMatchArray[], anchor: number): RegExpMatchArray | undefined {
  if (anchor < 0) return matches[0];
  return [...matches].sort((a, b) => Math.abs(a.index! - anchor) - Math.abs(b.index! - anchor))[0];
}

function clauseAround(sentence: string, at: number): string {
  let start = 0;
  for (const c of clauses(sentence)) {
    const end = start + c.length;
    if (at < end + 1) return trimClause(c);
    start = sentence.indexOf(c, start) + c.length;
  }
  return trimClause(sentence);
}

function enList(items: string[], ctx: LeadContext): string {
  return items.map((i) => ctx.englishName?.(i) ?? i).join(', ');
}

function prefix(ctx: LeadContext): string {
  return ctx.lang === 'en' ? 'In short: ' : '';
}

/** The clause of the question that holds its question word (多少, 几, how many …), in search-key form. */
function askingClause(question: string): string {
  const key = searchKey(question);
  const parts = key.split(/[，,；;。？?！!]/u).filter((p) => p.trim());
  return parts.find((p) => cue('questionWord').test(p)) ?? key;
}

/**
 * The match whose clause holds most of the question's terms (锂和石墨…40倍 over 4—6倍 for "lithium and graphite"),
 * the one nearest the asked noun among equals.
 */
function bestMatch(sentence: string, matches: RegExpMatchArray[], ctx: LeadContext, questionTerms: string[]): RegExpMatchArray | undefined {
  // a figure the question itself states (超过50%的关键矿物里，有几种…) is its premise, not its answer
  const given = numbersIn(ctx.question);
  const prefer = (keep: (m: RegExpMatchArray) => boolean) => {
    const kept = matches.filter(keep);
    if (kept.length > 0) matches = kept;
  };
  prefer((m) => !numbersIn(m[0]).some((n) => given.includes(n)));
  if (matches.length <= 1 || questionTerms.length === 0) return nearest(matches, anchorIn(sentence, ctx));
  // the terms next to the question word (有几种是来自中国的) say which of the sentence's figures is asked for
  const asking = askingClause(ctx.question);
  const focus = new Set(questionTerms.filter((t) => asking.includes(t)));
  const score = (m: RegExpMatchArray) => {
    const key = searchKey(clauseAround(sentence, m.index!));
    const held = questionTerms.filter((t) => key.includes(t));
    // the noun a figure is of follows it (4%的锂和13%的钴, 88% 的太阳能级多晶硅)
    const after = searchKey(sentence.slice(m.index! + m[0].length, m.index! + m[0].length + 16)).replace(LEADING_POSSESSIVE, '');
    const follows = questionTerms.some((t) => /\p{Script=Han}/u.test(t) && after.startsWith(t)) ? 1 : 0;
    // first the terms of the asking clause, then the noun after the figure, then all
    return held.filter((t) => focus.has(t)).length * 100 + follows * 10 + held.length;
  };
  const top = Math.max(...matches.map(score));
  return nearest(matches.filter((m) => score(m) === top), anchorIn(sentence, ctx));
}

function quantityLead(source: LeadSource, ctx: LeadContext, questionTerms: string[] = []): Lead | undefined {
  let matches = [...source.text.matchAll(QUANTITY)].filter((m) => !/^\d{4}$/.test(m[0].trim()));
  // a sentence without the kind of figure asked for (a sum of money, a share) leaves the lead to the next quote
  // (the figure with what follows it: QUANTITY stops at 亿 in 5 亿元)
  const figureAt = (m: RegExpMatchArray) => source.text.slice(m.index!, m.index! + m[0].length + 3).normalize('NFKC');
  if (ctx.intent.asksMoney) matches = matches.filter((m) => MONEY_FIGURE.test(figureAt(m)));
  else if (ctx.intent.asksShare) matches = matches.filter((m) => SHARE_FIGURE.test(figureAt(m)));
  const pick = bestMatch(source.text, matches, ctx, questionTerms);
  if (!pick) return undefined;
  const figure = pick[0].trim();
  const clause = clauseAround(source.text, pick.index!);
  if (ctx.lang === 'en') {
    const amount = englishAmount(figure);
    if (!amount) return { text: `${prefix(ctx)}${clause}`, n: source.n, fragments: [clause], computed: [] };
    const computed = amount === figure ? [] : numbersIn(amount);
    return { text: `${prefix(ctx)}${amount}`, n: source.n, fragments: [], computed: [...computed, ...numbersIn(figure)] };
  }
  return { text: clause, n: source.n, fragments: [clause], computed: [] };
}

function dateLead(source: LeadSource, ctx: LeadContext): Lead | undefined {
  const matches = [...source.text.matchAll(YEAR)];
  const pick = nearest(matches, anchorIn(source.text, ctx));
  if (!pick) return undefined;
  const clause = clauseAround(source.text, pick.index!);
  if (ctx.lang === 'en') return { text: `${prefix(ctx)}${pick[0].replace(pattern('zh', 'yearSuffix'), '')} — ${clause}`, n: source.n, fragments: [clause], computed: [] };
  return { text: clause, n: source.n, fragments: [clause], computed: [] };
}

function listLead(source: LeadSource, ctx: LeadContext): Lead | undefined {
  const items = listItems(source.text);
  if (items.length < 2) return undefined;
  const text = ctx.lang === 'en' ? `${prefix(ctx)}${enList(items, ctx)}` : items.join('、');
  return { text, n: source.n, fragments: items, computed: [] };
}

/** Where: the clause that says where (镍主要分布在印度尼西亚、菲律宾和俄罗斯), the one holding most of the question. */
function whereLead(source: LeadSource, ctx: LeadContext, questionTerms: string[]): Lead | undefined {
  const places = clauses(source.text).filter((c) => holdsAnswerType('where', c) && !c.includes('｜'));
  const held = (c: string) => questionTerms.filter((t) => searchKey(c).includes(t)).length;
  const best = places.sort((a, b) => held(b) - held(a))[0];
  if (!best || held(best) === 0) return undefined;
  const clause = trimClause(best);
  return { text: `${prefix(ctx)}${clause}`, n: source.n, fragments: [clause], computed: [] };
}

function whoLead(source: LeadSource, ctx: LeadContext): Lead | undefined {
  const names = [...new Set([...source.text.matchAll(NAMED)].map((m) => m[0]))].slice(0, 3);
  if (names.length === 0) return undefined;
  const text = ctx.lang === 'en' ? `${prefix(ctx)}${enList(names, ctx)}` : names.join('、');
  return { text, n: source.n, fragments: names, computed: [] };
}

/**
 * An enumeration quoted as separate sentences (其壹,… 其貳,… / 一是… 二是…): its items in order, from the
 * passage most of them are in.
 */
function enumerationLead(sources: LeadSource[], ctx: LeadContext): Lead | undefined {
  const items = new Map<string, { n: number; family: number; position: number; head: string }[]>();
  for (const s of sources) {
    const o = ordinalIn(s.text);
    const m = o && [...s.text.matchAll(ORDINAL_ITEM)][0];
    if (!o || !m) continue;
    const key = `${s.n}:${o.family}`;
    const list = items.get(key) ?? [];
    if (!list.some((i) => i.position === o.position)) list.push({ n: s.n, family: o.family, position: o.position, head: trimClause(m[1]) });
    items.set(key, list);
  }
  const best = [...items.values()].sort((a, b) => b.length - a.length)[0];
  if (!best || best.length < 2) return undefined;
  const heads = best.sort((a, b) => a.position - b.position).map((i) => i.head);
  const text = ctx.lang === 'en' ? `${prefix(ctx)}${heads.join('; ')}` : heads.join('；');
  return { text, n: best[0].n, fragments: heads, computed: [] };
}

/**
 * A table row (表3 …｜关键矿物：钴｜回收比例：24%｜…): the row's name and the cells the question asks about
 * (a header sharing a word with the question), else all its cells — not the table's caption.
 */
function tableLead(source: LeadSource, ctx: LeadContext): Lead | undefined {
  if (!source.text.includes('｜')) return undefined;
  const cells = source.text
    .split('｜')
    .map((c) => c.trim())
    .map((c) => {
      const at = c.indexOf('：');
      return at > 0 && at < c.length - 1 ? { header: c.slice(0, at), value: c.slice(at + 1) } : undefined;
    })
    .filter((c): c is { header: string; value: string } => c !== undefined);
  if (cells.length < 2) return undefined;
  const [row, ...rest] = cells;
  const question = searchKey(ctx.question);
  // how many of a header's character bigrams the question holds
  const overlap = (header: string) => {
    const h = searchKey(header).replace(/[·\s]/g, '');
    let n = 0;
    for (let i = 0; i + 1 < h.length; i++) if (question.includes(h.slice(i, i + 2))) n++;
    return n;
  };
  const best = Math.max(0, ...rest.map((c) => overlap(c.header)));
  const asked = best === 0 ? [] : rest.filter((c) => overlap(c.header) >= Math.min(best, 2));
  const chosen = asked.length ? asked : rest;
  const fragments = [row.value, ...chosen.flatMap((c) => [c.header, c.value])];
  if (ctx.lang === 'en') {
    const name = ctx.englishName?.(row.value) ?? row.value;
    return { text: `${prefix(ctx)}${name} — ${chosen.map((c) => `${c.header}: ${c.value}`).join('; ')}`, n: source.n, fragments, computed: [] };
  }
  return { text: `${row.value}：${chosen.map((c) => `${c.header} ${c.value}`).join('；')}`, n: source.n, fragments, computed: [] };
}

/** The clause of the best sentence that holds most of the question (for why/what questions). */
function clauseLead(source: LeadSource, ctx: LeadContext, questionTerms: string[]): Lead | undefined {
  const cs = clauses(source.text).map(trimClause).filter((c) => [...c].length >= 4);
  if (cs.length === 0) return undefined;
  const score = (c: string) => {
    const key = searchKey(c);
    let s = questionTerms.filter((t) => key.includes(t)).length;
    if (ctx.intent.type === 'why' && cue('reasonMarker').test(c)) s += 2;
    return s;
  };
  let best = cs[0];
  for (const c of cs) if (score(c) > score(best)) best = c;
  // a clause that only repeats the question adds nothing: take the one after it when there is one
  const i = cs.indexOf(best);
  const key = searchKey(best);
  // (a clause that holds most of the question terms the sentence has restates the question; the answer follows it)
  const sentenceKey = searchKey(source.text);
  const inSentence = questionTerms.filter((t) => sentenceKey.includes(t));
  const restates = inSentence.length > 0 && inSentence.filter((t) => key.includes(t)).length / inSentence.length >= 0.6;
  // a why-question's restating clause at the end of its sentence has its reason before it (作为未签署公约的国家，
  // 美国能在多大程度上执行…存在不确定性; …认定为“国内供给”的供应方，这反映出…)
  if (restates && ctx.intent.type === 'why' && !cs[i + 1] && cs[i - 1] && [...best].length + [...cs[i - 1]].length < LEAD_MAX_CHARS - 20) {
    const from = source.text.indexOf(cs[i - 1]);
    const to = source.text.indexOf(best, from);
    if (from >= 0 && to > from) best = trimClause(source.text.slice(from, to + best.length));
  } else if (restates && cs[i + 1] && score(best) > 0 && [...best].length + [...cs[i + 1]].length < LEAD_MAX_CHARS - 20) {
    const from = source.text.indexOf(best);
    const to = source.text.indexOf(cs[i + 1], from);
    if (from >= 0 && to > from) best = trimClause(source.text.slice(from, to + cs[i + 1].length));
  }
  if ([...best].length > LEAD_MAX_CHARS - 20) best = [...best].slice(0, LEAD_MAX_CHARS - 21).join('') + '…';
  return { text: `${prefix(ctx)}${best}`, n: source.n, fragments: [best.replace(/…$/u, '')], computed: [] };
}

/**
 * Every figure and name in a lead must be in its cited passage or computed from figures there.
 * `fragments` (verbatim pieces) must occur in the passage; numbers must occur there or be computed.
 */
export function leadIsSupported(lead: Lead, passageText: string): boolean {
  const key = searchKey(passageText).replace(/\s+/g, '');
  const passageNumbers = new Set(numbersIn(passageText).map((n) => n.replace(/%$/, '')));
  for (const f of lead.fragments) {
    const fk = searchKey(f).replace(/\s+/g, '');
    if (fk && !key.includes(fk)) return false;
  }
  const computed = new Set(lead.computed.map((n) => n.replace(/%$/, '')));
  for (const n of numbersIn(lead.text.replace(/\[\d+\]/g, ''))) {
    const bare = n.replace(/%$/, '');
    if (!passageNumbers.has(bare) && !computed.has(bare)) return false;
  }
  return true;
}

/** Clipped, in the asker's script (the lead is Lodestone's own line; quotes stay in their source's), with its [n]. */
function finish(lead: Lead, ctx: LeadContext): Lead {
  // a clause lifted from its sentence loses the conjunction that tied it to the one before (但中国产量占…)
  let text = lead.text.replace(anchoredCue('leadingConjunction', '^(?:', ')(?=\\p{Script=Han})', 'u'), '');
  if ([...text].length > LEAD_MAX_CHARS) text = [...text].slice(0, LEAD_MAX_CHARS - 1).join('') + '…';
  if (ctx.lang === 'zh-Hant') text = toTraditional(text);
  else if (ctx.lang === 'zh-Hans') text = toSimplified(text);
  return { ...lead, text: `${text} [${lead.n}]` };
}

/** A note's reference: its text up to and including the first title (《…》 or “…”), else its first 80 characters at a clause mark. */
function referenceOf(text: string): string | undefined {
  const t = text.trim();
  const title = t.match(/^.{0,60}?(?:《[^》]{2,60}》|“[^”]{2,80}”)/su)?.[0];
  if (title) return title.trim();
  if ([...t].length <= 80) return t.replace(/[。.]\s*$/u, '');
  const cut = [...t].slice(0, 80).join('');
  const at = Math.max(cut.lastIndexOf('，'), cut.lastIndexOf(','), cut.lastIndexOf('；'));
  return at > 10 ? cut.slice(0, at) : undefined;
}

function firstSupported(sources: LeadSource[], attempt: (s: LeadSource) => Lead | undefined): Lead | undefined {
  for (const s of sources) {
    const lead = attempt(s);
    if (lead && lead.text.trim() && leadIsSupported(lead, s.passageText)) return lead;
  }
  return undefined;
}

/** The candidate spans of the top quotes, each with the fitted lead ranker's probability that it holds the answer. */
export function scoredSpans(sources: LeadSource[], ctx: LeadContext, questionTerms: string[], model: LeadModel | undefined): (SpanCandidate & { score: number })[] {
  const spans = leadCandidates(sources.slice(0, 3).map((s) => ({ text: s.text, n: s.n, relevance: s.relevance ?? 1 })), ctx.intent, questionTerms, searchKey(ctx.question), listRuns);
  return spans.map((c) => ({ ...c, score: model ? boostedProbability(model, c.x) : 0 }));
}

/**
 * The lead from the spans: the shortest of those the ranker rates within its slack of the best (the reader wants the
 * answer, not the sentence around it); an English reader gets the figure's or the term's English form beside it.
 */
function rankedSpanLead(sources: LeadSource[], ctx: LeadContext, questionTerms: string[], model: LeadModel): Lead | undefined {
  const spans = scoredSpans(sources, ctx, questionTerms, model);
  const best = Math.max(...spans.map((c) => c.score));
  const order = spans.filter((c) => c.score >= best - model.slack).sort((a, b) => [...a.text].length - [...b.text].length);
  for (const span of [...order, ...spans.sort((a, b) => b.score - a.score)].slice(0, 8)) {
    const source = sources.find((s) => s.n === span.n && s.text.includes(span.text));
    if (!source) continue;
    const lead: Lead = { text: `${prefix(ctx)}${span.text}`, n: span.n, fragments: [span.text], computed: [] };
    if (ctx.lang === 'en') {
      // an English reader reads the figure or the year first, in English, then the span it comes from
      const asksFigure = ctx.intent.types.has('quantity') || ctx.intent.types.has('change');
      const figure = asksFigure ? span.text.match(QUANTITY_ONE)?.[0]?.trim() : undefined;
      const amount = figure ? englishAmount(figure) : undefined;
      const year = ctx.intent.types.has('date') ? span.text.match(YEAR_ONE)?.[0].replace(pattern('zh', 'yearSuffix'), '') : undefined;
      const head = amount ?? figure ?? year;
      if (head) {
        lead.text = head === span.text.trim() ? `${prefix(ctx)}${head}` : `${prefix(ctx)}${head} — ${span.text}`;
        if (amount) lead.computed.push(...numbersIn(amount));
      } else {
        // a span that is one term gets its English name (the glossary first, then the dictionary); the quote's
        // gloss line explains the terms of a longer span
        // (only a term-sized span: the lookup is fuzzy and costs more than the rest of the answer on a long one)
        const name = [...span.text].length <= 8 ? ctx.englishName?.(span.text) : undefined;
        if (name) lead.text += ` (${name})`;
      }
    }
    if (leadIsSupported(lead, source.passageText)) return lead;
  }
  return undefined;
}

/**
 * The lead: the extracted answer (figure, date, list, name, change) with its [n], in the asker's language;
 * undefined when nothing checkable can be extracted (the caller then uses a short neutral lead).
 */
export function buildLead(sources: LeadSource[], ctx: LeadContext, questionTerms: string[]): Lead | undefined {
  const top = sources.slice(0, 3);
  const t0 = ctx.intent.types;
  // where a claim comes from: the reference the quoted note gives (its opening, up to the title)
  const note = ctx.asksProvenance ? sources.find((s) => s.footnote) : undefined;
  if (note) {
    const reference = referenceOf(note.text);
    if (reference) return finish({ text: `${prefix(ctx)}${reference}`, n: note.n, fragments: [reference], computed: [] }, ctx);
  }
  // a change is computed from the figures (a difference no passage writes); otherwise the fitted span ranker leads
  const computedChange = t0.has('change') || t0.has('quantity') ? firstSupported(top, (s) => changeLead(s, ctx)) : undefined;
  if (computedChange) return finish(computedChange, ctx);
  // answer units with a shape of their own: a table row's cells, an enumeration quoted item by item
  const unitAsked = t0.has('quantity') || t0.has('list') || t0.has('where') || ctx.intent.type === 'what';
  const row = unitAsked ? firstSupported(top.filter((s) => s.text.includes('｜')), (s) => tableLead(s, ctx)) : undefined;
  if (row) return finish(row, ctx);
  const items = t0.has('list') || ctx.intent.type === 'what' ? enumerationLead(sources, ctx) : undefined;
  const itemsSource = items && sources.find((s) => s.n === items.n);
  if (items && itemsSource && leadIsSupported(items, itemsSource.passageText)) return finish(items, ctx);
  const model = decisionModel().lead;
  // a reason is a clause, not the shortest span (clauseLead keeps the reason beside a restatement)
  if (model && ctx.intent.type !== 'why') {
    const spanLead = rankedSpanLead(top, ctx, questionTerms, model);
    if (spanLead) return finish(spanLead, ctx);
  }
  const tries: ((s: LeadSource) => Lead | undefined)[] = [];
  const t = ctx.intent.types;
  // a table row answers with its cells; an enumeration quoted item by item, with its items
  if (t.has('quantity') || t.has('list') || t.has('where') || ctx.intent.type === 'what') tries.push((s) => tableLead(s, ctx));
  if (t.has('where')) tries.push((s) => whereLead(s, ctx, questionTerms));
  // an enumeration the answer quotes item by item is the list asked for, wherever its passage ranks
  const enumeration = t.has('list') || ctx.intent.type === 'what' ? enumerationLead(sources, ctx) : undefined;
  const enumerationSource = enumeration && sources.find((s) => s.n === enumeration.n);
  if (enumeration && enumerationSource && leadIsSupported(enumeration, enumerationSource.passageText)) return finish(enumeration, ctx);
  if (t.has('change')) tries.push((s) => changeLead(s, ctx));
  if (t.has('quantity')) tries.push((s) => changeLead(s, ctx), (s) => quantityLead(s, ctx, questionTerms));
  if (t.has('date')) tries.push((s) => dateLead(s, ctx));
  if (t.has('list')) {
    // the list among the quotes that holds most of the question (四类产品，分别是… over a title that lists three aims)
    const held = (s: LeadSource) => questionTerms.filter((term) => searchKey(s.text.replace(/《[^》]*》/gu, '')).includes(term)).length;
    const best = top.filter((s) => listItems(s.text).length >= 2).sort((a, b) => held(b) - held(a))[0];
    tries.push((s) => (best && s !== best ? undefined : listLead(s, ctx)));
  }
  if (t.has('who')) tries.push((s) => whoLead(s, ctx));
  tries.push((s) => clauseLead(s, ctx, questionTerms));
  for (const attempt of tries) {
    for (const s of top) {
      const lead = attempt(s);
      if (!lead || !lead.text.trim()) continue;
      if (!leadIsSupported(lead, s.passageText)) continue;
      return finish(lead, ctx);
    }
  }
  return undefined;
}
