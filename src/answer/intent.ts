import type { QuestionLang } from '../core/answer.js';
import { searchKey } from '../text/searchKey.js';

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
  /** Sides of a comparison (美国/中国, paper/web article …), in search-key form. */
  sides: string[];
  /** The question compares or asks about both documents. */
  bothDocuments: boolean;
}

const CHANGE = /从多少|由多少|降[到至]了?多少|升[到至]了?多少|增[长加][到至]了?多少|减少[到至]了?多少|变化|how (?:much )?did .{0,40}(?:change|fall|drop|rise|decline|grow)|from what .{0,30} to what|change[sd]? from/i;
const QUANTITY = /多少|(?<!哪)几[个项家种国成倍]|(?<!哪)幾[個項家種國成倍]|how many|how much|how (?:large|big|high|small) (?:a |an )?(?:share|portion|proportion|percentage|part)|what (?:share|percentage|proportion|price|rate|tariff|amount|value|target|sum|figure)|what percent/i;
/** Nouns of a figure: they make a question ask for one only when no other question word asks for something else. */
const QUANTITY_NOUN = /数量|份额|占比|比例|百分之/;
const OTHER_ASK = /什么|什麼|啥|哪|如何|怎|为何|為何|谁|誰|\b(?:what|how|which|who|why|where)\b/i;
const DATE = /哪一年|哪年|何年|何时|何時|什么时候|什麼時候|哪一天|哪个月|哪個月|which year|what year|^when\b|\bwhen (?:did|was|were|is|will|does|do|has|had)\b/i;
const LIST = /哪些|哪几|哪幾|有哪|哪\s*\d+\s*[个個种種项項家国國类類]|包括什么|包括哪|列举|列舉|哪[两三四五六七八九十]|几大|幾大|[两三四五六七八九十]大|[两兩二三四五六七八九十]重|which\s+(?:\d+\s+|(?:two|three|four|five|six|seven|eight|nine|ten)\s+)?(?:[a-z-]+\s+)?(?:countries|members|sectors|industries|stages|steps|minerals|measures|areas|fields|agencies|laws|pillars|features|ways|companies|products|technologies|points)|what (?:are|were) the|\blist\b|\bname the\b|what (?:two|three|four|five) /i;
const WHO = /谁|誰|哪个机构|哪個機構|哪个部门|哪個部門|哪个国家|哪個國家|哪项法|哪項法|哪部法|\bwho\b|which (?:agency|country|organi[sz]ation|department|law|act|body|office)/i;
// (在哪个时间段 asks when; "alliances, where weaker actors…" is no question word)
const WHERE = /哪里|哪儿|何处|在哪(?!个时|一年|年|天|个月)|^where\b|\bwhere(?:'s|’s| is| are| was| were| does| do| did| can| could)\b/i;
const WHY = /为什么|為什麼|为何|為何|原因|何以|\bwhy\b|\breasons?\b/i;
const COMPARE = /对比|比较|比較|區別|区别|不同|差异|差異|异同|異同|相比|contrast|compare|differ|versus|\bvs\.?\b|各自|分别|分別|两篇|兩篇|两份|both documents|two documents|each say|both texts/i;
const BOTH_DOCUMENTS = /两篇|兩篇|两份文献|兩份文獻|两个文献|both documents|two documents|both texts|each document|论文和文章|文章和论文|論文和文章|paper and the (?:web )?article|article and the paper/i;

/**
 * Sides a comparison may set against each other: how a question names each (search key, English too), how a
 * passage does (Chinese), and the heading its quotes go under.
 */
export const SIDES: Record<string, { inQuestion: RegExp; inPassage: RegExp; heading: Record<QuestionLang, string> }> = {
  美国: { inQuestion: /美国|美方|\bus\b|\bu\.s\.|american|united states|america/, inPassage: /美国|美方|拜登|特朗普/u, heading: { 'zh-Hans': '美国：', 'zh-Hant': '美國：', en: 'United States:' } },
  中国: { inQuestion: /中国|中方|china|chinese/, inPassage: /中国|中方/u, heading: { 'zh-Hans': '中国：', 'zh-Hant': '中國：', en: 'China:' } },
  绿色: { inQuestion: /绿色|green/, inPassage: /绿色|清洁能源|可再生/u, heading: { 'zh-Hans': '绿色竞争：', 'zh-Hant': '綠色競爭：', en: 'Green competition:' } },
  数字: { inQuestion: /数字|digital/, inPassage: /数字|芯片|半导体|数据/u, heading: { 'zh-Hans': '数字竞争：', 'zh-Hant': '數位競爭：', en: 'Digital competition:' } },
};
const SIDE_PAIRS: [string, string][] = [
  ['美国', '中国'],
  ['绿色', '数字'],
];

/**
 * The noun right after 多少 / 几 (多少关税, 多少亿美元的授权 → 授权), or before 是多少 (回收比例是多少 → 回收比例,
 * 比例到2027年要达到多少 → 比例); in English the noun of "how many … plants does" or "what share".
 */
function askedNounOf(key: string): string | undefined {
  if (/多少钱|多少资金|多少经费/u.test(key)) return key.match(/多少(钱|资金|经费)/u)![1];
  const after = key.match(/(?:多少|几)(?:亿美元|美元|亿|万|个|项|家|种|吨|座|名|位|条|件|台)?(?:的)?(\p{Script=Han}{2,12})/u);
  if (after && !/^(?:是|呢|年|次|降|升|增|减|钱|倍|人)/u.test(after[1])) {
    // the head of the phrase counted: after its last 的 (多少种美国需要的关键矿物 → 关键矿物)
    const phrase = after[1].replace(/[呢吗].*$/u, '');
    const head = phrase.includes('的') ? phrase.slice(phrase.lastIndexOf('的') + 1) : phrase;
    if (head.length >= 2) return [...head].slice(0, phrase.includes('的') ? 6 : 4).join('');
  }
  // a time phrase or a modal between the noun and 多少 is not part of the noun
  const plain = key.replace(/(?:到|在|于|至)?\s*(?:1[89]|20)\d{2}\s*年(?:时|前|底|后)?/gu, '').replace(/(?:要|将|会|能|需要?|应)(?=(?:是|为|有|达到?)多少)/gu, '');
  const before = plain.match(/(\p{Script=Han}{2,4})(?:是|为|有|达到?)多少/u);
  if (before) return before[1].split('的').pop() || undefined;
  const count = key.match(/how many (?:[a-z-]+ ){0,3}?([a-z-]+) (?:does|do|did|are|were|is|was|has|have|had|will|can|could|would|should)\b/);
  if (count) return count[1];
  const english = key.match(/what (share|percentage|proportion|price|rate|tariff|amount|value|target)/);
  return english?.[1];
}

/** The event a date question asks about ("When did X hold its first summit" → summit; 何时举行首届峰会 → 峰会). */
function eventNounOf(key: string): string | undefined {
  const en = key.match(/\b(?:hold|held|launch|launched|sign|signed|announce|announced|adopt|adopted|pass|passed|issue|issued|publish|published|release|released|establish|established|open|opened|host|hosted) (?:its |their |the |a |an )?(?:first |second |third |last |latest |new )?([a-z-]{3,})/);
  if (en) return en[1];
  const zh = key.match(/(?:举行|举办|召开|签署|发布|通过|成立|启动)了?(?:首届|第一届|第一次|首次)?(\p{Script=Han}{2,4})/u);
  return zh?.[1].replace(/[？?呢吗].*$/u, '') || undefined;
}

/** The object of the asked figure: after 对/向/在 and before the verb of 征收多少 …, or after "on/in/into" in English. */
function askedObjectOf(key: string): string | undefined {
  const zh = key.match(/(?:对|向|为)(\p{Script=Han}{2,12}?)(?:加征|征收|征|收取|实施|投资|投入|出口|进口|提供|补贴|拨款)了?(?:多少|几)/u);
  if (zh) return zh[1];
  // "what share of US cobalt imports came from …", "what percentage of the world's rare earth reserves does …"
  const share = key.replace(/['’]s\b/g, '').match(/\b(?:share|percentage|proportion|portion|part|fraction) of (?:the )?((?:[a-z-]+ ){0,4}?[a-z-]+?)(?: (?:does|do|did|is|are|was|were|that|come|came|comes|go|goes|went|in|by|from|must|will)\b|\?|$)/);
  if (share) return share[1];
  const en = key.match(/\b(?:invest(?:ed|s)?|impose[ds]?|levie[ds]|levy|spen[dt]|put|place[ds]?) (?:[a-z]+ ){0,4}?(?:in|on|into) ((?:[a-z-]+ ){0,3}[a-z-]+?)(?: in (?:1[89]|20)\d{2}| by | from |\?|$)/);
  return en?.[1];
}

const ASKS_NAME = /叫什么|叫甚么|什么名字|名字是|名称是|叫做什么|\bwhat(?: is|'s|’s|s) (?:[a-z-]+ ){0,5}called\b|\bwhat is the name of\b|\bwhat(?: is|'s|’s) the name\b|\bcalled what\b/iu;

/** A sum of money as the passages write it (3690 亿美元, 5 亿元, 数百亿美元, $5 billion). */
export const MONEY_FIGURE = /\d\s*(?:万亿|亿|万)?\s*(?:美元|元|欧元|日元)|数[十百千]亿美元|\$\s*\d/u;

/** Nouns that name money: any sum of money in the sentence (3690 亿美元) is about them. */
export const MONEY_NOUN = /^(?:资金|金额|钱|经费|费用|款项|投资额|拨款|money|fund|funding|sum)$/;

/** The question asks for a share (占多少比例, what percentage): only a share answers it, not a count or a sum. */
const ASKS_SHARE = /占[^,;。?，；？]{0,8}(?:多少|几成)|(?:多少|多大|几成)(?:的)?比例|比例(?:是|为|有|达到?|约)?(?:多少|几)|占比|比重|份额|百分之几|百分比|what (?:share|percentage|proportion|percent|fraction)|how (?:large|big|high|small) (?:a |an )?(?:share|portion|proportion|percentage|part)/i;
export const SHARE_FIGURE = /\d\s*[%％]|百分之|分之|[一二三四五六七八九十]成(?![员本分为立功长])|半数|一半|过半|大部分|绝大多数|(?<![许诸很])多数/u;

export function questionIntent(question: string): QuestionIntent {
  const key = searchKey(question);
  const types = new Set<AnswerType>();
  if (CHANGE.test(key)) types.add('change');
  if (QUANTITY.test(key) || (QUANTITY_NOUN.test(key) && !OTHER_ASK.test(key))) types.add('quantity');
  if (DATE.test(key)) types.add('date');
  if (LIST.test(key)) types.add('list');
  if (WHO.test(key)) types.add('who');
  if (WHERE.test(key)) types.add('where');
  if (WHY.test(key)) types.add('why');
  const bothDocuments = BOTH_DOCUMENTS.test(key);
  const sides: string[] = [];
  if (COMPARE.test(key) || bothDocuments) {
    for (const [a, b] of SIDE_PAIRS) {
      if (SIDES[a].inQuestion.test(key) && SIDES[b].inQuestion.test(key)) {
        sides.push(a, b);
        break;
      }
    }
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
    asksShare: figure && ASKS_SHARE.test(key),
    asksMoney: askedNoun !== undefined && MONEY_NOUN.test(askedNoun),
    asksName: ASKS_NAME.test(key),
    sides,
    bothDocuments,
  };
}

/** Does a sentence hold the kind of answer the intent asks for? Used to prefer such sentences and to refuse near misses. */
export function holdsAnswerType(type: AnswerType, text: string): boolean {
  const t = text.normalize('NFKC');
  switch (type) {
    case 'change':
      return /\d/.test(t) && /(?:从|由|自).{0,40}(?:降|减|增|升|提高|下滑|上涨|跌)/u.test(t);
    case 'quantity':
      return /\d+(?:\.\d+)?\s*(?:%|％|万|亿|億|萬|美元|倍|个|個|种|種|家|项|項|吨|噸)|(?<![\d.])(?!(?:1[89]|20)\d{2}(?!\d))\d{1,6}(?:\.\d+)?(?![\d.]*\s*年)|[一二三四五六七八九十两百千万亿]+(?:个|项|家|种|大|倍|成|亿|万)|百分之[零〇一二三四五六七八九十百点]+|数[十百千万]|數[十百千萬]/u.test(t);
    case 'date':
      return /(?:1[89]|20)\d{2}\s*年|\b(?:1[89]|20)\d{2}\b/.test(t);
    case 'list':
      return /、|一是|其[一壹]|第一|（1）|\(1\)|首先|以及|和|及/u.test(t);
    case 'where':
      return /分布在|分布于|分佈|位于|位於|来自|來自|来源|來源|产地|產地|集中在|集中于|产自|產自|进口自|進口自|从[^，,。；;]{1,20}中|在(?!该|這|这|此|其|本|各|全)[^，,。；;\s\d“”"「」（）()]{1,8}(?:峰会|會|会上|会议|會議|举行|舉行|召开|召開|宣布|签署|簽署|州|省|市|县|縣|地区|地區)/u.test(t);
    case 'why':
      return /因为|因為|由于|由於|原因|旨在|目的|为了|為了|因此|所以|导致|導致|使得|反映|意味|在于|在於|源于|源於|出于|出於|试图|試圖|以便/u.test(t);
    default:
      return true;
  }
}
