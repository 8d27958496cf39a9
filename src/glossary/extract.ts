import type { Passage } from '../core/passage.js';
import { searchKey } from '../text/searchKey.js';

/** A term the corpus itself marks as one: glossed in another language, quoted, or named as a law/alliance. */
export interface TermCandidate {
  term: string;
  aliases: string[];
  kind: 'gloss' | 'concept' | 'law' | 'alliance' | 'person';
}

const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]/;
// Words after which a glossed name starts: "美国牵头七国集团（G7）" → 七国集团. 和/与 are kept: they sit inside names.
const NAME_START_AFTER = ['按照', '发挥', '要求', '加入', '支持', '成立', '建立', '签署', '参与', '宣布', '利用', '依托', '提出', '发布', '启动', '设立', '根据', '牵头', '发起', '排除', '通过', '借助', '组建', '认为', '推广', '的', '了', '在', '将', '把', '被', '由', '对', '是', '为', '向', '以', '从', '其', '如', '即', '等', '，', '。', '、', '；', '：'];
// Titles that end just before a person's name: "安全事务助理杰克·沙利文" → 杰克·沙利文.
const TITLE_END = /.*(?:家|理|者|长|官|统|授|员|人|士)/u;
const LAW_SUFFIX = /(?:法|法案|法令|协议|协定|公约|条例|规则|命令|行政令|战略|宣言|契约|构想|框架|倡议|计划|议程)$/u;
const GROUP_SUFFIX = /(?:联盟|伙伴关系|框架|倡议|计划|会议|对话|运动|组织|集团|委员会|机制|协定|协议|理事会|管理局|联合体)$/u;
const ALIAS_PREFIX = /^(?:又称|亦称|简称|也称|或称|即)\s*/u;

function stripQuotes(text: string): string {
  return text.replace(/^[\s“”"'‘’《》「」『』]+|[\s“”"'‘’《》「」『』]+$/gu, '');
}

/** The name that ends right before a parenthetical gloss at `end` in `text`. */
function nameBefore(text: string, end: number): string | null {
  const before = text.slice(Math.max(0, end - 40), end).replace(/\s+$/u, '');
  if (before.endsWith('》')) {
    const open = before.lastIndexOf('《');
    return open >= 0 ? before.slice(open + 1, -1) : null;
  }
  if (before.endsWith('”')) {
    const open = before.lastIndexOf('“');
    return open >= 0 ? before.slice(open + 1, -1) : null;
  }
  // The gloss sits inside a quotation: “毒丸条款（poison pill）”.
  const open = before.lastIndexOf('“');
  if (open >= 0 && open > before.lastIndexOf('”') && before.length - open <= 20) return before.slice(open + 1);
  const run = before.match(/[\p{Script=Han}·—]+$/u)?.[0];
  if (!run) return null;
  if (run.includes('·')) {
    const dot = run.indexOf('·');
    const head = run.slice(0, dot).replace(TITLE_END, '');
    return (head.length > 4 ? head.slice(-4) : head) + run.slice(dot);
  }
  let start = 0;
  for (const word of NAME_START_AFTER) {
    const at = run.lastIndexOf(word);
    if (at >= 0 && at + word.length > start && at + word.length < run.length - 1) start = at + word.length;
  }
  return run.slice(start).replace(/^[和与及、]+/u, '');
}

function validTerm(term: string): boolean {
  const chars = [...term];
  return chars.length >= 2 && chars.length <= 24 && HAN.test(term) && !/^\d/.test(term) && !/[，。；：！？、]/u.test(term);
}

/**
 * Candidates from one passage text: "X（English or ABBR）", "X（又称“Y”）", 《laws》, quoted concepts and named alliances.
 * Repeated candidates are fine: the caller merges by search key.
 */
export function extractCandidatesFromText(text: string): TermCandidate[] {
  const out: TermCandidate[] = [];
  // “X”（又称“Y”） and X（又称Y）
  for (const m of text.matchAll(/[“《]?([^“”《》（）()，。、]{2,24})[”》]?\s*[（(]\s*(?:又称|亦称|简称|也称|或称)\s*[“"]?([^”"）)]{2,24})[”"]?\s*[）)]/gu)) {
    const term = stripQuotes(m[1]);
    const alias = stripQuotes(m[2]);
    if (validTerm(term)) out.push({ term, aliases: [alias], kind: 'alliance' });
  }
  // X（English gloss or abbreviation）
  for (const m of text.matchAll(/[（(]\s*([^（()）]{1,60}?)\s*[）)]/gu)) {
    const gloss = m[1].trim();
    if (!LATIN.test(gloss) || ALIAS_PREFIX.test(gloss) || /^(?:如|见|参见|注|p\.|pp\.)/iu.test(gloss)) continue;
    if (gloss.split(/\s+/).length > 8 || /[，。]/u.test(gloss)) continue;
    const name = nameBefore(text, m.index ?? 0);
    if (!name) continue;
    const term = stripQuotes(name);
    if (!validTerm(term)) continue;
    out.push({ term, aliases: [gloss], kind: term.includes('·') ? 'person' : 'gloss' });
  }
  // 《laws, strategies, treaties》
  for (const m of text.matchAll(/《([^《》]{2,40})》/gu)) {
    const title = m[1].trim();
    if (LAW_SUFFIX.test(searchKey(title)) && validTerm(title) && !/[“”"]/u.test(title)) out.push({ term: title, aliases: [], kind: 'law' });
  }
  // “quoted concepts” and “named alliances”
  for (const m of text.matchAll(/“([^“”]{2,20})”/gu)) {
    const inner = m[1].trim();
    const bare = inner.replace(/\s*[（(][^）)]*[）)]\s*$/u, '');
    if (!/^[\p{Script=Han}·—\d]+$/u.test(bare)) continue;
    const n = [...bare].length;
    if (n <= 8) out.push({ term: bare, aliases: [], kind: 'concept' });
    else if (GROUP_SUFFIX.test(searchKey(bare))) out.push({ term: bare, aliases: [], kind: 'alliance' });
  }
  return out;
}

/** Candidates from every passage (footnotes included). */
export function extractCandidates(passages: Passage[]): TermCandidate[] {
  return passages.flatMap((p) => extractCandidatesFromText(p.text));
}
