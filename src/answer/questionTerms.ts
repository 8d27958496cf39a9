import { chineseWords, COMMON_ENGLISH, contentTerms, numbersIn, stemEnglish, STOPWORDS } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';

/**
 * Words that say what kind of answer is wanted rather than what it is about; they would make
 * every sentence look relevant. (STOPWORDS in src/text/segment.ts already drops function words.)
 */
const QUESTION_FRAME_WORDS = new Set([
  '主要', '分别', '认为', '提出', '方面', '多少', '具体', '指出', '一些', '有关', '关于', '问题', '情况', '各是', '是什么',
  '哪几', '怎么样', '为何', '作者', '这个', '那个', '其中', '列', '列了', '里列', '表里', '几个', '哪几个', '那么', '还是',
  'paper', 'article', 'web', 'note', 'notes', 'list', 'listed', 'mention', 'mentioned', 'describe', 'explain', 'say',
  '表', '它', '它的', '们', '年', '月', '日', '他们', '我们', '呢', '又',
  'said', 'way', 'ways', 'run', 'through', 'under', 'does', 'did', 'doe', 'give', 'role', 'play', 'status', 'any', 'some',
]);

/** A question term with a weight (longer and rarer terms count more). */
export interface QuestionProfile {
  /** Content terms in search-key form (simplified, lower-case). */
  terms: string[];
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

const PROVENANCE = /来源|出处|出自|依据|根据什么|数据源|引用|引自|援引|來源|出處|依據|引用|source|come from|comes from|cite|cites|cited|based on|where does/i;
// Acronyms and mixed-case names that a Chinese text would also spell in Latin letters (PGII, CBAM, UNCTAD, Chip 4).
const LATIN_NAME = /\b(?:[A-Z][A-Z0-9]{2,}|(?!(?:Table|Figure|Fig|Section|Chapter|Part|Note|Footnote|Page)\b)[A-Z][a-z]+\s\d+)\b/g;
// Latin acronyms with everyday Chinese renderings: they cannot be required verbatim in Chinese text.
const TRANSLATED_ACRONYMS = new Set(['usa', 'nato', 'wto', 'imf', 'gdp']);

/**
 * Chinese terms of a question key: segmenter words, except that runs of single characters that the
 * segmenter splits off (牵/头发/起 for 牵头发起) are joined back with their neighbours into one term,
 * which is then matched by character bigrams (see termMatch).
 */
function chineseTerms(key: string): string[] {
  const out: string[] = [];
  for (const run of key.match(/\p{Script=Han}+/gu) ?? []) {
    let chunk: string[] = [];
    const flush = () => {
      if (chunk.length === 0) return;
      const hasSingle = chunk.some((w) => w.length === 1);
      if (hasSingle && chunk.length > 1) {
        out.push(chunk.join(''));
        // the joined run is matched by bigrams, where a short word next to a long one (美国+钴) is lost:
        // keep a lone character that follows a full word (钴, 镍, 锂 …) as a term of its own
        chunk.forEach((w, i) => {
          if (w.length === 1 && i > 0 && chunk[i - 1].length > 1) out.push(w);
        });
      } else out.push(...chunk);
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
 * `unbridged`: English words of the question that neither occur in the corpus nor have a glossary alias.
 * A Chinese passage cannot contain them, so they stay in the profile as terms no sentence covers: "the
 * capital of France" is not answered by a sentence that merely names 法国.
 */
export function profileQuestion(question: string, expandedTerms: string[] = [], unbridged: string[] = []): QuestionProfile {
  const key = searchKey(question);
  const terms = new Set<string>();
  for (const t of chineseTerms(key)) terms.add(t);
  // An English question over Chinese text: when the glossary supplied Chinese aliases, they stand in for
  // the English words (which the Chinese passages cannot contain); names such as acronyms still count.
  const latinQuestion = (key.match(/[a-z]/g)?.length ?? 0) > (key.match(/\p{Script=Han}/gu)?.length ?? 0);
  const hanExpansion = expandedTerms.some((t) => /\p{Script=Han}/u.test(t));
  const useLatinWords = !(latinQuestion && hanExpansion);
  if (useLatinWords) {
    for (const t of contentTerms(question.replace(/\p{Script=Han}+/gu, ' ').replace(/'s\b|'/g, ' '))) {
      if (!QUESTION_FRAME_WORDS.has(t)) terms.add(t);
    }
  }
  for (const raw of expandedTerms) {
    const k = searchKey(raw).trim();
    if (!k) continue;
    if (/\p{Script=Han}/u.test(k)) {
      if (k.length <= 12) terms.add(k);
      else for (const t of chineseTerms(k)) terms.add(t);
    } else if (useLatinWords && latinQuestion) {
      // a Chinese question's English aliases (美国 → US) are for retrieval; a Chinese passage need not hold them
      for (const t of contentTerms(raw)) if (!QUESTION_FRAME_WORDS.has(t)) terms.add(t);
    }
  }
  for (const word of unbridged) if (!QUESTION_FRAME_WORDS.has(word) && !STOPWORDS.has(word)) terms.add(word);
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
  const tables = new Set<string>();
  for (const m of key.matchAll(/(?:表|table\s*)(\d{1,2})/g)) tables.add(`表${m[1]}`);
  // Table references are handled as tables, not as terms ("表3" would otherwise demand the literal string).
  for (const t of [...terms]) if (/^表\d+$/.test(t) || /^table$/.test(t) || tables.has(`表${t}`)) terms.delete(t);
  return {
    terms: [...terms],
    numbers: [...new Set(numbersIn(question))].filter((n) => !tables.has(`表${n}`)),
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
