import { searchKey } from './searchKey.js';

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[a-z0-9][a-z0-9.\-']*[a-z0-9]|[a-z0-9]/g;

/** Splits a run of Han characters into words. */
export type HanSegmenter = (run: string) => string[];

const intlSegment: HanSegmenter = (run) => {
  const words: string[] = [];
  for (const s of wordSegmenter.segment(run)) if (s.isWordLike) words.push(s.segment);
  return words;
};

let segmentHan: HanSegmenter = intlSegment;

/**
 * Replaces the word segmenter (default Intl.Segmenter) for the whole process — for measuring another one
 * against it. Undefined restores it. `@node-rs/jieba` 2.0.3 with a user dictionary of the curated glossary's
 * Chinese terms was measured so (fresh index each, corpus model retrained on its words): BM25 alone within one
 * question of Intl.Segmenter on every set; hybrid Chinese R@1 dev 0.88 vs 0.94, eval/zh.jsonl 0.95 vs 0.95,
 * English R@1 dev 1.00 vs 0.83, eval/en.jsonl 0.67 vs 0.63 — no clear win, so no native dependency for it.
 */
export function useHanSegmenter(segmenter?: HanSegmenter): void {
  segmentHan = segmenter ?? intlSegment;
}

/** English and Chinese function words that carry no topic. */
export const STOPWORDS = new Set([
  'the', 'a', 'an', 'of', 'and', 'or', 'to', 'in', 'on', 'for', 'by', 'with', 'is', 'are', 'was', 'were', 'be',
  'what', 'which', 'who', 'whom', 'how', 'why', 'when', 'where', 'does', 'do', 'did', 'that', 'this', 'these',
  'those', 'it', 'its', 'as', 'at', 'from', 'about', 'paper', 'article', 'say', 'says', 'according', 'than',
  'has', 'have', 'had', 'there', 'their', 'they', 'them', 'between', 'into', 'also', 'can', 'could', 'would',
  '的', '了', '是', '在', '和', '与', '及', '或', '对', '将', '把', '被', '为', '以', '于', '从', '到', '由',
  '什么', '哪些', '哪个', '哪', '如何', '怎么', '怎样', '为什么', '多少', '是否', '吗', '呢', '吧', '啊',
  '这', '那', '这些', '那些', '其', '之', '也', '都', '并', '而', '又', '等', '中', '上', '下', '个', '各',
  '说', '文章', '论文', '里', '有', '没有', '哪几个', '几', '谁', '啥',
]);

/** Light English stemming: plural and common suffixes, so 'sanctions' meets 'sanction'. */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y';
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** Chinese words (Intl.Segmenter) of an already-normalised key. */
export function chineseWords(key: string): string[] {
  const words: string[] = [];
  for (const run of key.match(HAN_RUN) ?? []) words.push(...segmentHan(run));
  return words;
}

/**
 * Index terms of a text: Chinese words, Chinese character bigrams (robust to segmentation
 * differences between question and passage), single Han characters of one-character words,
 * and stemmed English/number tokens. Stopwords dropped. Input may be raw text.
 */
export function indexTerms(text: string, options: { isKey?: boolean } = {}): string[] {
  const key = options.isKey ? text : searchKey(text);
  const terms: string[] = [];
  for (const run of key.match(HAN_RUN) ?? []) {
    for (const w of segmentHan(run)) if (!STOPWORDS.has(w)) terms.push(w);
    for (let i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2));
  }
  for (const w of key.match(LATIN_WORD) ?? []) {
    if (!STOPWORDS.has(w)) terms.push(stemEnglish(w));
  }
  return terms;
}

/** Distinct content terms (words only, no bigrams): for sentence scoring and citation checks. */
export function contentTerms(text: string): Set<string> {
  const key = searchKey(text);
  const out = new Set<string>();
  for (const w of chineseWords(key)) if (!STOPWORDS.has(w) && (w.length > 1 || HAN.test(w))) out.add(w);
  for (const w of key.match(LATIN_WORD) ?? []) if (!STOPWORDS.has(w)) out.add(stemEnglish(w));
  return out;
}

/** Numbers as written (percentages and years included): 41.6%, 2022, 30. */
export function numbersIn(text: string): string[] {
  return (text.normalize('NFKC').match(/\d+(?:[.,]\d+)*%?/g) ?? []).map((n) => n.replace(/,/g, ''));
}

/**
 * Frequent English words that carry no topic of their own (after stemEnglish). Used to tell, in an English
 * question, the words that would need a counterpart in the corpus from the words any question uses.
 */
export const COMMON_ENGLISH = new Set(
  (
    'about above across after again against all almost along already also although always among amount another any anyone anything ' +
    'around ask asked away back became because become been before began behind being below best better between big both bring brought ' +
    'but call called came case cause certain change cite cited claim clear close come common compare concern consider contain continue ' +
    'contrast could current data day describe detail did differ different do does doing done down during each early either else end ' +
    'enough even ever every example explain fact far few figure find first follow following form found from full further gave general ' +
    'get give given go going good got great group had happen has have having help here high himself his how however idea import important ' +
    'include including increase indeed information instead into issue its itself just keep kind know known large last later least less let ' +
    'level like likely list listed little long look made main major make many matter may mean means measure mention mentioned might more ' +
    'most much must name named need never new next note noted notes now number occur off often old once one only open order other our out ' +
    'over own part particular per period place play point possible present put question quite rather reason record refer regard related ' +
    'report result role run said same say second see seem seen set several shall should show side since small so some something source ' +
    'spend spent stage start state status still such suggest take taken tell term than that the their them then there these they thing ' +
    'think third this those though three through thus time today together told too took toward two type under until up upon use used ' +
    'using usually value various very view want was way ways well went were what whatever when where whether which while who whole whom ' +
    'whose why will with within without word work would write year yet you your'
  )
    .split(' ')
    .map(stemEnglish),
);

/**
 * Offsets of a text where a word starts or ends: the segmenter's words in Han runs, whole runs of Latin letters and
 * digits, each other character. A span that starts and ends on these holds no half word (另一部 is not cut from 另一部分).
 */
export function wordBoundaries(text: string): Set<number> {
  const out = new Set<number>([0, text.length]);
  for (const m of text.matchAll(/\p{Script=Han}+|[A-Za-z0-9.%％]+|./gsu)) {
    const at = m.index!;
    if (/^\p{Script=Han}/u.test(m[0])) {
      let pos = at;
      for (const w of chineseWords(m[0])) {
        out.add(pos);
        pos += w.length;
        out.add(pos);
      }
    } else {
      out.add(at);
      out.add(at + m[0].length);
    }
  }
  return out;
}
