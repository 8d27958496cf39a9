import { contentTerms, STOPWORDS } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';

export interface ConversationTurn {
  question: string;
  answer?: string;
}

/**
 * Places a follow-up may swap for the previous question's ("那中国呢？", "What about Canada?"): the new one
 * replaces the old rather than joining it. Search-key forms (simplified, lower-case), English names beside.
 */
const PLACES: [string, string][] = [
  ['美国', 'united states|america|\\bus\\b|u\\.s\\.'], ['中国', 'china|chinese'], ['加拿大', 'canada|canadian'], ['日本', 'japan|japanese'],
  ['澳大利亚', 'australia|australian'], ['欧盟', 'european union|\\beu\\b'], ['英国', 'britain|\\buk\\b|united kingdom|british'],
  ['德国', 'germany|german'], ['法国', 'france|french'], ['韩国', 'korea|korean'], ['印度', 'india\\b|indian'], ['俄罗斯', 'russia|russian'],
  ['印度尼西亚', 'indonesia'], ['菲律宾', 'philippines'], ['挪威', 'norway'], ['芬兰', 'finland'], ['瑞典', 'sweden'], ['意大利', 'italy'],
  ['墨西哥', 'mexico'], ['欧洲', 'europe'], ['非洲', 'africa'], ['拉丁美洲', 'latin america'], ['刚果', 'congo'], ['智利', 'chile'],
];

function placesIn(key: string): string[] {
  return PLACES.filter(([zh, en]) => key.includes(zh) || new RegExp(en).test(key)).map(([zh]) => zh);
}

/** Words that only ask for more about the previous turn: a question of nothing else needs its context. */
const BARE = /^(?:为什么|為什麼|为何|為何|怎么说|怎麼說|然后呢|然後呢|还有呢|還有呢|还有吗|還有嗎|具体呢|具體呢|什么意思|什麼意思|详细说说|詳細說說|举个例子|舉個例子|why|how so|and then|what else|tell me more|more|example|such as|really|那呢|呢)[?？!！。.\s]*$/iu;
const FOLLOW_UP_OPENER = /^(?:那|那么|那麼|还有|還有|另外|and|what about|how about)\s*/iu;

export interface FollowUp {
  /** The question to search and compose with: the follow-up joined with the context it leaves implicit. */
  standalone: string;
  /** Terms of the follow-up's own words: the new aspect, weighted above the carried context. */
  focus: string[];
  /** A bare follow-up ("为什么？") with no conversation to take its subject from. */
  needsContext: boolean;
}

/**
 * A follow-up without an LLM: the previous question's content terms are carried over, except a place the
 * follow-up swaps for another (那中国呢 after a question about 美国); a bare "为什么？" keeps the previous
 * question whole. With no history a bare follow-up needs context.
 */
export function followUpQuestion(question: string, history: ConversationTurn[] | undefined): FollowUp {
  const trimmed = question.trim();
  const bare = BARE.test(trimmed);
  const previous = history?.length ? history[history.length - 1].question : undefined;
  if (!previous) return { standalone: question, focus: [], needsContext: bare };
  const own = contentTerms(trimmed.replace(FOLLOW_UP_OPENER, ''));
  if (bare) return { standalone: `${previous} ${trimmed}`, focus: [], needsContext: false };
  const ownKey = searchKey(trimmed);
  const newPlaces = placesIn(ownKey);
  const swapped = new Set(newPlaces.length ? placesIn(searchKey(previous)).filter((p) => !newPlaces.includes(p)) : []);
  let carriedText = searchKey(previous);
  for (const p of swapped) carriedText = carriedText.split(p).join(' ');
  for (const [zh, en] of PLACES) if (swapped.has(zh)) carriedText = carriedText.replace(new RegExp(en, 'g'), ' ');
  const carried = [...contentTerms(carriedText)].filter((t) => !own.has(t) && !STOPWORDS.has(t));
  const focus = [...own, ...newPlaces];
  return { standalone: carried.length ? `${trimmed} ${carried.join(' ')}` : trimmed, focus, needsContext: false };
}
