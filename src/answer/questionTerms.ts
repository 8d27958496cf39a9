import { chineseWords, COMMON_ENGLISH, contentTerms, numbersIn, stemEnglish, STOPWORDS } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';
import { anchoredCue, cue, forms, pattern, value, words } from '../text/lang.js';
import { tablesNamed } from './questionFrame.js';
import { chineseNumberValue } from '../text/numerals.js';
import type { ExpansionGroup } from '../glossary/glossary.js';

/**
 * Words that say what kind of answer is wanted rather than what it is about, and words by which a question names
 * a document ("the paper", 那篇文章): they would make every sentence look relevant. Language data (lang/*.json:
 * frameWords, documentWords); STOPWORDS in src/text/segment.ts already drops function words.
 */
export const QUESTION_FRAME_WORDS = new Set([...words('frameWords'), ...words('documentWords')]);

const MEASURE_WORDS = new Set(words('measureWords'));

/** English number words: a passage writes them as digits or Chinese numerals (ten years → 10 年, six → 六国). */
const NUMBER_WORDS = forms('en', 'numberWords');

/** A question term with a weight (longer and rarer terms count more). */
export interface QuestionProfile {
  /** Content terms in search-key form (simplified, lower-case). */
  terms: string[];
  /**
   * The terms partitioned into question items: the forms one glossary entry or English word expands to are one
   * item, covered by any of them (永磁体 / 永久磁铁 / 永磁磁铁 for "permanent magnet"); every other term is its own.
   */
  groups: string[][];
  /**
   * Terms whose absence from a passage is weaker evidence: the dictionary's sense of an English word
   * ("belongs" → 属于), English words nothing bridges, and Chinese verbs no retrieved passage writes (买) —
   * a passage may say them in other words.
   */
  soft: Set<string>;
  /** Chinese verbs of the question no retrieved passage writes (also soft): they weigh half in coverage. */
  absentVerbs: Set<string>;
  /**
   * English words nothing bridges (soft), except the noun asked about ("the capital of France"): words of how
   * the asker talks (hearing, supposed, heavily) that weigh half in coverage.
   */
  lightWords: Set<string>;
  /**
   * The kind of thing an English question asks for ("which lake", "what phone") when nothing bridges it into
   * Chinese: no passage can be seen to name one.
   */
  unknownKinds: string[];
  /** Numbers as written in the question (41.6%, 2018). */
  numbers: string[];
  /**
   * Names the answer must be about: 《titles》, “quoted terms”, acronyms and capitalised names (search-key form).
   * When one is absent from every retrieved passage, the corpus cannot answer the question.
   */
  names: string[];
  /** Table mentioned by the question, e.g. '表3' (from 表3 or Table 3). */
  tables: string[];
  /** The question asks where a claim or figure comes from (footnotes are then preferred). */
  asksProvenance: boolean;
}

export const PROVENANCE = cue('provenance');
// Acronyms and mixed-case names that a Chinese text would also spell in Latin letters (PGII, CBAM, UNCTAD, Chip 4).
const LATIN_NAME = /\b(?:[A-Z][A-Z0-9]{2,}|(?!(?:Table|Figure|Fig|Section|Chapter|Part|Note|Footnote|Page)\b)[A-Z][a-z]+\s\d+)\b/g;
// Latin acronyms with everyday Chinese renderings: they cannot be required verbatim in Chinese text.
const TRANSLATED_ACRONYMS = new Set(words('translatedAcronyms'));

/**
 * Chinese terms of a question key: segmenter words, except that runs of single characters that the
 * segmenter splits off (牵/头发/起 for 牵头发起) are joined back with their neighbours into one term,
 * which is then matched by character bigrams (see termMatch).
 */
function chineseTerms(key: string, occurs?: (text: string) => boolean, isVerb?: (word: string) => boolean): string[] {
  if (occurs) return corpusGuidedTerms(key, occurs, isVerb);
  const out: string[] = [];
  for (const run of key.match(/\p{Script=Han}+/gu) ?? []) {
    let chunk: string[] = [];
    const flush = () => {
      if (chunk.length === 0) return;
      const hasSingle = chunk.some((w) => w.length === 1);
      // joined back, single characters may spell a frame word (两 + 篇 → 两篇): no term then
      if (hasSingle && chunk.length > 1 && !QUESTION_FRAME_WORDS.has(chunk.join(''))) {
        out.push(chunk.join(''));
        // the joined run is matched by bigrams, where a short word next to a long one (美国+钴) is lost:
        // keep a lone character that follows a full word (钴, 镍, 锂 …) as a term of its own
        chunk.forEach((w, i) => {
          if (w.length === 1 && i > 0 && chunk[i - 1].length > 1) out.push(w);
        });
      } else if (!hasSingle || chunk.length === 1) out.push(...chunk);
      chunk = [];
    };
    for (const w of chineseWords(run)) {
      if (STOPWORDS.has(w) || QUESTION_FRAME_WORDS.has(w)) {
        flush();
        continue;
      }
      // keep chunks short: a single character joins its neighbour, two full words stay apart
      if (chunk.length && w.length > 1 && chunk[chunk.length - 1].length > 1) flush();
      chunk.push(w);
      if (chunk.join('').length >= 4) flush();
    }
    flush();
  }
  return out;
}

/**
 * Chinese terms of a question key, the segmenter's words joined where it split a word the passages write
 * whole (电/动/汽车 → 电动汽车, 牵/头发/起 → 牵头发起): the longest run of up to five words, at least one of
 * them a single character, that occurs in a retrieved passage. What no passage writes whole stays apart
 * (锂/占), so a paraphrase is matched word by word instead of by an invented compound.
 */
function corpusGuidedTerms(key: string, occurs: (text: string) => boolean, isVerb: (word: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const skip = (w: string) => STOPWORDS.has(w) || QUESTION_FRAME_WORDS.has(w);
  for (const run of key.match(/\p{Script=Han}+/gu) ?? []) {
    const words = chineseWords(run);
    const pieces: string[] = [];
    let i = 0;
    while (i < words.length) {
      let end = i + 1;
      for (let j = Math.min(words.length, i + 5); j > i + 1; j--) {
        const span = words.slice(i, j);
        const joined = span.join('');
        // a function word inside (美国/对/中国, 领域/的/技术) joins two terms, not the pieces of one
        if (joined.length > 8 || span.some(skip) || !span.some((w) => w.length === 1)) continue;
        if (occurs(joined)) {
          end = j;
          break;
        }
      }
      pieces.push(words.slice(i, end).join(''));
      i = end;
    }
    // a lone character no passage holds belongs to its neighbour (世界/杯 → 世界杯, 两/篇 → 两篇): the compound is
    // then a term no passage covers, or a frame word
    const merged: string[] = [];
    // a measure word (多少吨稀土) is no part of the noun it counts, a verb (中国/买) none of its subject
    const mergeable = (piece: string) => !skip(piece) && !MEASURE_WORDS.has(piece) && !([...piece].length === 1 && isVerb(piece));
    for (const piece of pieces) {
      const last = merged[merged.length - 1];
      if (last !== undefined && mergeable(last) && [...piece].length === 1 && !occurs(piece) && mergeable(piece)) merged[merged.length - 1] = last + piece;
      else if (last !== undefined && [...last].length === 1 && !occurs(last) && mergeable(piece) && mergeable(last)) merged[merged.length - 1] = last + piece;
      else merged.push(piece);
    }
    for (const term of merged) {
      if (skip(term) || MEASURE_WORDS.has(term)) continue;
      out.push(term);
      // and such a character is a term of its own: 钨 in 中国的钨产量 is what no passage covers
      for (const ch of term) if (pieces.includes(ch) && !occurs(ch) && !skip(ch) && !MEASURE_WORDS.has(ch) && ch !== term && !out.includes(ch)) out.push(ch);
    }
  }
  return out;
}

/**
 * `unbridged`: English words of the question that neither occur in the corpus nor have a glossary alias.
 * A Chinese passage cannot contain them, so they stay in the profile as terms no sentence covers: "the
 * capital of France" is not answered by a sentence that merely names 法国.
 */
/**
 * `occurs`: whether a retrieved passage writes a string (guides how the segmenter's words are joined, see
 * corpusGuidedTerms); without it, single characters join their neighbours.
 */
export function profileQuestion(
  question: string,
  expandedTerms: string[] = [],
  unbridged: string[] = [],
  expansionGroups: ExpansionGroup[] = [],
  occurs?: (text: string) => boolean,
  isVerb?: (word: string) => boolean,
): QuestionProfile {
  const key = searchKey(question);
  const terms = new Set<string>();
  // forms that stand for a word which only frames the question ("share" → 占比) are no terms of it
  const sourceWords = (g: ExpansionGroup) => [...contentTerms(g.source)];
  const framingGroup = (g: ExpansionGroup) => /[a-z]/.test(g.source) && sourceWords(g).every((w) => QUESTION_FRAME_WORDS.has(w));
  const framing = new Set(expansionGroups.filter(framingGroup).flatMap((g) => g.forms));
  // English words some expansion stands for: its Chinese forms carry them, the English word itself need not occur
  const bridged = new Set(expansionGroups.flatMap(sourceWords));
  const termsOfForm = new Map<string, string[]>();
  for (const t of chineseTerms(key, occurs, isVerb)) terms.add(t);
  // An English question over Chinese text: when the glossary supplied Chinese aliases, they stand in for
  // the English words (which the Chinese passages cannot contain); names such as acronyms still count.
  const latinQuestion = (key.match(/[a-z]/g)?.length ?? 0) > (key.match(/\p{Script=Han}/gu)?.length ?? 0);
  const hanExpansion = expandedTerms.some((t) => /\p{Script=Han}/u.test(t));
  const useLatinWords = !(latinQuestion && hanExpansion);
  for (const t of contentTerms(question.replace(/\p{Script=Han}+/gu, ' ').replace(/'s\b|'/g, ' '))) {
    if (QUESTION_FRAME_WORDS.has(t)) continue;
    // over Chinese text, an English word no expansion bridges stays a term the answer must cover (or fail to)
    // (without groups, which words the expansion stands for is unknown: it is taken to bridge them all)
    if (useLatinWords || (expansionGroups.length > 0 && !bridged.has(t) && t.length >= 3 && !COMMON_ENGLISH.has(t))) terms.add(t);
  }
  const numberGroups: string[][] = [];
  if (latinQuestion) {
    for (const word of key.match(/[a-z]+/g) ?? []) {
      const forms = NUMBER_WORDS[word];
      if (!forms) continue;
      terms.delete(word);
      numberGroups.push(forms);
      for (const f of forms) terms.add(f);
    }
  }
  for (const raw of expandedTerms) {
    if (framing.has(raw)) continue;
    const k = searchKey(raw).trim();
    if (!k) continue;
    const added: string[] = [];
    if (/\p{Script=Han}/u.test(k)) {
      if (k.length <= 12) added.push(k);
      else added.push(...chineseTerms(k, occurs, isVerb));
    } else if (useLatinWords && latinQuestion) {
      // a Chinese question's English aliases (美国 → US) are for retrieval; a Chinese passage need not hold them
      for (const t of contentTerms(raw)) if (!QUESTION_FRAME_WORDS.has(t)) added.push(t);
    }
    for (const t of added) terms.add(t);
    termsOfForm.set(raw, added);
  }
  for (const word of unbridged) if (!QUESTION_FRAME_WORDS.has(word) && !STOPWORDS.has(word) && !NUMBER_WORDS[word]) terms.add(word);
  const names = new Set<string>();
  for (const m of key.matchAll(/《([^》]{2,40})》|“([^”]{2,20})”|"([^"]{2,20})"|「([^」]{2,20})」/g)) {
    const name = (m[1] ?? m[2] ?? m[3] ?? m[4]).trim();
    if (name) names.add(name);
  }
  for (const m of question.normalize('NFKC').matchAll(LATIN_NAME)) {
    const name = m[0].toLowerCase();
    // "In 2018", "By 2030": a capitalised everyday word before a year is a date, not a name
    const [word, number] = name.split(/\s+/);
    if (number && (STOPWORDS.has(word) || COMMON_ENGLISH.has(stemEnglish(word)) || /^(?:1[89]|20)\d{2}$/.test(number))) continue;
    if (!TRANSLATED_ACRONYMS.has(name)) names.add(name);
  }
  const tables = new Set(tablesNamed(key));
  const table = value('zh', 'table');
  const tableName = anchoredCue('table', '^(?:', ')\\d+$', 'u');
  // Table references are handled as tables, not as terms ("表3" would otherwise demand the literal string).
  for (const t of [...terms]) if (tableName.test(t) || /^table$/.test(t) || tables.has(`${table}${t}`)) terms.delete(t);
  const numbers = [...new Set(numbersIn(question))].filter((n) => !tables.has(`${table}${n}`));
  // a span of time in Chinese numerals is a number as the passages write it (十年 → 未来 10 年)
  for (const t of [...terms]) {
    const m = t.match(pattern('zh', 'spanOfTime'));
    const count = m ? chineseNumberValue(m[1]) : undefined;
    if (count === undefined) continue;
    terms.delete(t);
    const n = String(count);
    if (!numbers.includes(n)) numbers.push(n);
  }
  // a frame word the segmenter ran together with one more character (到底有, 现在的) frames the question too
  for (const t of [...terms]) if ([...QUESTION_FRAME_WORDS].some((f) => f.length >= 2 && t.startsWith(f) && t.length - f.length === 1 && /\p{Script=Han}/u.test(f))) terms.delete(t);
  // how many items a list has (哪三样, 哪两个方面) is no word of the answer
  for (const t of [...terms]) if (pattern('zh', 'countOfItems').test(t)) terms.delete(t);
  // a number is its own item (matched as a number): not a term as well, nor a word built on it (100-day → 百日)
  for (const t of [...terms]) if (numbers.includes(t) || (/^\d+(?:\.\d+)?-[a-z]+$/.test(t) && numbers.includes(t.split('-')[0]))) terms.delete(t);
  const groups: string[][] = [];
  const grouped = new Set<string>();
  const addGroup = (members: string[]) => {
    const own = [...new Set(members)].filter((t) => terms.has(t) && !grouped.has(t));
    if (own.length === 0) return;
    for (const t of own) grouped.add(t);
    groups.push(own);
  };
  for (const g of numberGroups) addGroup(g);
  for (const g of expansionGroups) {
    const forms = g.forms.flatMap((f) => termsOfForm.get(f) ?? []);
    const source = searchKey(g.source);
    if (/\p{Script=Han}/u.test(source) && !terms.has(source) && [...terms].some((t) => t.includes(source))) {
      // a synonym of part of a longer question term (全球 in 全球镍储量 → 世界) is for retrieval, not an item
      for (const t of forms) terms.delete(t);
      continue;
    }
    // a synonym of a phrase of the question that the segmenter split (关键矿物 → 关键 + 矿物; 关键矿产): one item
    if (/\p{Script=Han}/u.test(source) && !terms.has(source) && key.includes(source)) terms.add(source);
    addGroup(terms.has(source) ? [source, ...forms] : forms);
  }
  for (const t of terms) addGroup([t]);
  const soft = new Set<string>([...terms].filter((t) => /^[a-z][a-z-]*$/.test(t)));
  for (const g of expansionGroups) if (g.dictionary) for (const f of g.forms) for (const t of termsOfForm.get(f) ?? []) soft.add(t);
  // a verb of the question that no retrieved passage writes (买 where they say 进口) is likely said in other words
  const absentVerbs = new Set(occurs && isVerb ? [...terms].filter((t) => /^\p{Script=Han}{1,2}$/u.test(t) && !occurs(t) && isVerb(t)) : []);
  for (const t of absentVerbs) soft.add(t);
  // an English word nothing bridges weighs half, unless it is the noun asked about ("the capital of France")
  const askedNouns = new Set<string>();
  for (const m of question.toLowerCase().matchAll(/\b(?:the|a|an|its|their|his|her)\s+([a-z][a-z-]+)\s+of\b/g)) for (const t of contentTerms(m[1])) askedNouns.add(t);
  // "which lake", "what phone": the kind of thing asked for
  const askedKinds = new Set<string>();
  // (the word between may name the kind more closely — which Huawei phone — but an adverb or pronoun does not:
  // "what exactly is", "what else is")
  for (const m of question.toLowerCase().replace(/['’]s\b/g, '').matchAll(/\b(?:which|what)\s+(?:(?![a-z]+ly\b|else\b|one\b|ones\b|other\b|kind\b|sort\b|type\b)[a-z-]+\s+)?([a-z][a-z-]+)\s+(?:is|are|was|were|does|do|did|has|have|had|will|can|led|made)\b/g)) {
    if (/ly$|^(?:else|one|ones|other|exactly|really)$/.test(m[1])) continue;
    for (const t of contentTerms(m[1])) if (!QUESTION_FRAME_WORDS.has(t)) askedKinds.add(t);
  }
  for (const t of askedKinds) askedNouns.add(t);
  const lightWords = new Set(
    latinQuestion ? [...soft].filter((t) => /^[a-z]/.test(t) && !askedNouns.has(t) && !names.has(t) && !expansionGroups.some((g) => g.dictionary && contentTerms(g.source).has(t))) : [],
  );
  return {
    terms: [...terms],
    groups,
    soft,
    absentVerbs,
    lightWords,
    unknownKinds: [...askedKinds].filter((t) => terms.has(t) && soft.has(t)),
    numbers,
    names: [...names],
    tables: [...tables],
    asksProvenance: PROVENANCE.test(question),
  };
}

/** How much of a term a text key holds: 1 when present whole, else half the share of its character bigrams. */
export function termMatch(term: string, key: string): number {
  if (key.includes(term)) return 1;
  if (!/\p{Script=Han}/u.test(term) || term.length < 3) return 0;
  let hits = 0;
  for (let i = 0; i + 1 < term.length; i++) if (key.includes(term.slice(i, i + 2))) hits++;
  return (0.7 * hits) / (term.length - 1);
}

/** A name is present when the key holds it, or (for titles) at least 80% of its character bigrams. */
export function nameMatch(name: string, key: string): boolean {
  if (key.includes(name)) return true;
  if (!/\p{Script=Han}/u.test(name) || name.length < 4) return false;
  let hits = 0;
  for (let i = 0; i + 1 < name.length; i++) if (key.includes(name.slice(i, i + 2))) hits++;
  return hits / (name.length - 1) >= 0.8;
}
