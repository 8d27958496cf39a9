import type { QuestionLang } from '../core/answer.js';
import { searchKey } from '../text/searchKey.js';
import { cue, pattern, value, words } from '../text/lang.js';
import { placesIn, type Place } from '../text/gazetteer.js';
import { chineseWords, STOPWORDS } from '../text/segment.js';

/** What kind of answer a question wants: decides what the lead extracts and what a quote must contain. */
export type AnswerType = 'change' | 'quantity' | 'date' | 'list' | 'who' | 'where' | 'why' | 'compare' | 'what';

export interface QuestionIntent {
  type: AnswerType;
  /** Every type the question asks for (a question may ask "which five … and from how much to how much"). */
  types: Set<AnswerType>;
  /** The noun a quantity question asks about (多少关税 → 关税), in search-key form, when one can be read off. */
  askedNoun?: string;
  /**
   * What the asked figure is about, when the question says so (对中国锂电池征收多少关税 → 中国锂电池; "invest in
   * American lithium mines" → american lithium mines): a figure about something else does not answer.
   */
  askedObject?: string;
  /** The figure asked for is a share (a percentage, 几成): a sentence with only a count or a sum does not answer. */
  asksShare?: boolean;
  /** The question asks what something is called (叫什么名字, what is it called): a name answers it. */
  asksName?: boolean;
  /** The asked noun names money (资金, 多少钱, funding): a sum of money answers, not a share or a count. */
  asksMoney?: boolean;
  /** Sides of a comparison the question names (美国/中国, 绿色/数字); the documents are sides of their own. */
  sides: ComparisonSide[];
  /** The question compares or asks about both documents. */
  bothDocuments: boolean;
}

/** Sides of a comparison the question names: two places (美国/中国, US/China), or the two words it joins (绿色和数字). */
export interface ComparisonSide {
  /** The side as the question names it (search-key form), or a place's names per language. */
  label: string | Record<QuestionLang, string>;
  /** Whether a sentence's search key is about this side. */
  test: (key: string) => boolean;
}

/** The places a comparison sets against each other, in the order the question names them. */
function comparedPlaces(key: string): Place[] {
  // in the order the question names them
  const at = (p: Place) => key.search(p.inKey);
  const named = placesIn(key).sort((a, b) => at(a) - at(b));
  if (named.length >= 2) return named.slice(0, 2);
  return [];
}

function comparisonSides(key: string): ComparisonSide[] {
  const places = comparedPlaces(key);
  if (places.length === 2) return places.map((p) => ({ label: p.names, test: (k: string) => p.inKey.test(k) }));
  // two things the question joins (绿色和数字竞争): the last word before the conjunction and the first after it
  const pair = key.match(pattern('zh', 'comparedPair'));
  if (!pair) return [];
  // a word of two characters or more with the single characters that cling to it (潮汐/能 → 潮汐能)
  const beforeWords = chineseWords(pair[1]);
  const afterWords = chineseWords(pair[2]);
  const firstLong = (ws: string[]) => ws.findIndex((w) => [...w].length > 1);
  const b = beforeWords.length - 1 - firstLong([...beforeWords].reverse());
  const a = firstLong(afterWords);
  if (b >= beforeWords.length || a < 0) return [];
  let after = afterWords[a];
  for (const w of afterWords.slice(a + 1)) {
    if ([...w].length > 1 || STOPWORDS.has(w)) break;
    after += w;
  }
  const before = beforeWords.slice(b).join('');
  if (STOPWORDS.has(before) || STOPWORDS.has(after) || before === after) return [];
  return [before, after].map((w) => ({ label: w, test: (k: string) => k.includes(w) }));
}

/**
 * The noun right after 多少 / 几 (多少关税, 多少亿美元的授权 → 授权), or before 是多少 (回收比例是多少 → 回收比例,
 * 比例到2027年要达到多少 → 比例); in English the noun of "how many … plants does" or "what share".
 */
function askedNounOf(key: string): string | undefined {
  const money = key.match(pattern('zh', 'askedMoney'));
  if (money) return money[1];
  const after = key.match(pattern('zh', 'countedNoun'));
  const of = value('zh', 'possessive');
  if (after && !pattern('zh', 'notCountedNoun').test(after[1])) {
    // the head of the phrase counted: after its last possessive (多少种美国需要的关键矿物 → 关键矿物)
    const phrase = after[1].replace(pattern('zh', 'trailingParticle'), '');
    const head = phrase.includes(of) ? phrase.slice(phrase.lastIndexOf(of) + 1) : phrase;
    if (head.length >= 2) return [...head].slice(0, phrase.includes(of) ? 6 : 4).join('');
  }
  // a time phrase or a modal between the noun and 多少 is not part of the noun
  const plain = key.replace(pattern('zh', 'timePhrase', 'gu'), '').replace(pattern('zh', 'modalBeforeFigure', 'gu'), '');
  const before = plain.match(pattern('zh', 'nounBeforeFigure'));
  if (before) return before[1].split(of).pop() || undefined;
  const count = key.match(pattern('en', 'countedNoun'));
  if (count) return count[1];
  return key.match(pattern('en', 'figureNoun'))?.[1];
}

/** The event a date question asks about ("When did X hold its first summit" → summit; 何时举行首届峰会 → 峰会). */
function eventNounOf(key: string): string | undefined {
  const en = key.match(pattern('en', 'eventNoun'));
  if (en) return en[1];
  const zh = key.match(pattern('zh', 'eventNoun'));
  return zh?.[1].replace(pattern('zh', 'trailingParticle'), '') || undefined;
}

/** The object of the asked figure: after 对/向/在 and before the verb of 征收多少 …, or after "on/in/into" in English. */
function askedObjectOf(key: string): string | undefined {
  const zh = key.match(pattern('zh', 'figureObject'));
  if (zh) return zh[1];
  // "what share of US cobalt imports came from …", "what percentage of the world's rare earth reserves does …"
  const share = key.replace(/['’]s\b/g, '').match(pattern('en', 'shareObject'));
  if (share) return share[1];
  return key.match(pattern('en', 'figureObject'))?.[1];
}

/** A sum of money as the passages write it (3690 亿美元, 5 亿元, 数百亿美元, $5 billion). */
export const MONEY_FIGURE = cue('moneyFigure');

/** Nouns that name money: any sum of money in the sentence (3690 亿美元) is about them. */
export const isMoneyNoun = (noun: string): boolean => words('moneyNouns').includes(noun);

/** A share as the passages write it (41.6%, 百分之六十, 七成, 过半). */
export const SHARE_FIGURE = cue('shareFigure');

export function questionIntent(question: string): QuestionIntent {
  const key = searchKey(question);
  const types = new Set<AnswerType>();
  if (cue('askChange').test(key)) types.add('change');
  if (cue('askQuantity').test(key) || (cue('quantityNoun').test(key) && !cue('otherAsk').test(key))) types.add('quantity');
  if (cue('askDate').test(key)) types.add('date');
  if (cue('askList').test(key)) types.add('list');
  if (cue('askWho').test(key)) types.add('who');
  if (cue('askWhere').test(key)) types.add('where');
  if (cue('askWhy').test(key)) types.add('why');
  const bothDocuments = cue('bothDocuments').test(key);
  let sides: ComparisonSide[] = [];
  if (cue('askCompare').test(key) || bothDocuments) {
    sides = comparisonSides(key);
    if (sides.length || bothDocuments) types.add('compare');
  }
  const order: AnswerType[] = ['compare', 'change', 'quantity', 'date', 'list', 'who', 'where', 'why'];
  const type = order.find((t) => types.has(t)) ?? 'what';
  const figure = types.has('quantity') || types.has('change');
  const askedNoun = figure ? askedNounOf(key) : types.has('date') ? eventNounOf(key) : undefined;
  return {
    type,
    types,
    askedNoun,
    askedObject: figure ? askedObjectOf(key) : undefined,
    asksShare: figure && cue('askShare').test(key),
    asksMoney: askedNoun !== undefined && isMoneyNoun(askedNoun),
    asksName: cue('askName').test(key),
    sides,
    bothDocuments,
  };
}

/** Does a sentence hold the kind of answer the intent asks for? Used to prefer such sentences and to refuse near misses. */
export function holdsAnswerType(type: AnswerType, text: string): boolean {
  const t = text.normalize('NFKC');
  const holds: Partial<Record<AnswerType, string>> = { change: 'holdsChange', quantity: 'holdsQuantity', date: 'holdsDate', list: 'holdsList', where: 'holdsWhere', why: 'holdsWhy' };
  const name = holds[type];
  if (name === undefined) return true;
  // a change is a figure that moves: a number beside the words of moving
  if (type === 'change' && !/\d/.test(t)) return false;
  return cue(name).test(t);
}
