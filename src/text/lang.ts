/**
 * The words of the languages Lodestone reads, as data: lang/zh.json and lang/en.json at the repository root (like
 * prompts/), read once. Code names a category ("the cues of a date question", "frame words") and gets the words of
 * every language; it never spells them. A newcomer changes what counts as a where-question in the files, not in
 * src/answer. The index's fingerprint includes langDataHash(), so a changed vocabulary rebuilds the index.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One language's file. Every section is optional in a file; a name no file has is a programming error. */
export interface LangFile {
  about?: string;
  /** Alternatives of a regular expression per cue (a question's answer type, a marker in a sentence). */
  cues?: Record<string, string[]>;
  /** Word lists (frame words, measure words …). */
  words?: Record<string, string[]>;
  /** Structural patterns with capture groups, one per name (a language's own syntax: 多少 + noun). */
  patterns?: Record<string, string>;
  /** Tables of word → forms (an English number word → its digits and Chinese numeral). */
  formTables?: Record<string, Record<string, string[]>>;
  /** Plain values: a separator, a marker. */
  values?: Record<string, string>;
  /** Families of ordinal markers of an enumeration (一是/二是…, 其一/其二…), each in order. */
  ordinalFamilies?: string[][];
  /** Reader-facing phrases per script ("zh-Hans", "zh-Hant", "en"), and why a question cannot be asked. */
  messages?: Record<string, Record<string, string>>;
  numerals?: { digits: Record<string, number>; units: Record<string, number>; sharePrefix: string };
}

export const LANG_FILES = ['zh.json', 'en.json', 'gazetteer.json'] as const;

const langPath = (name: string) => fileURLToPath(new URL(`../../lang/${name}`, import.meta.url));

let files: { zh: LangFile; en: LangFile } | undefined;

function langFiles(): { zh: LangFile; en: LangFile } {
  files ??= {
    zh: JSON.parse(readFileSync(langPath('zh.json'), 'utf8')) as LangFile,
    en: JSON.parse(readFileSync(langPath('en.json'), 'utf8')) as LangFile,
  };
  return files;
}

/** The Chinese file (numerals and anything only Chinese has). */
export function zhData(): LangFile {
  return langFiles().zh;
}

/** Ordinal marker families of every language, each in order. */
export function ordinalFamilies(): string[][] {
  const { zh, en } = langFiles();
  return [...(zh.ordinalFamilies ?? []), ...(en.ordinalFamilies ?? [])];
}

function missing(kind: string, name: string): never {
  throw new Error(`lang/*.json has no ${kind} "${name}"`);
}

const cueCache = new Map<string, RegExp>();

/** A cue of every language as one regular expression (alternatives joined; Chinese first). */
export function cue(name: string, flags = 'iu'): RegExp {
  const key = `${name}/${flags}`;
  const cached = cueCache.get(key);
  if (cached) return cached;
  const { zh, en } = langFiles();
  const alternatives = [...(zh.cues?.[name] ?? []), ...(en.cues?.[name] ?? [])];
  if (alternatives.length === 0) missing('cue', name);
  const re = new RegExp(alternatives.join('|'), flags);
  cueCache.set(key, re);
  return re;
}

/** A cue between a prefix and a suffix of regular-expression syntax (`^(?:` … `)\\s*`), compiled once. */
export function anchoredCue(name: string, before: string, after: string, flags = 'iu'): RegExp {
  const key = `${name}/${before}/${after}/${flags}`;
  const cached = cueCache.get(key);
  if (cached) return cached;
  const re = new RegExp(`${before}${cue(name, flags).source}${after}`, flags);
  cueCache.set(key, re);
  return re;
}

/** A word list of every language. */
export function words(name: string): string[] {
  const { zh, en } = langFiles();
  const list = [...(zh.words?.[name] ?? []), ...(en.words?.[name] ?? [])];
  if (!zh.words?.[name] && !en.words?.[name]) missing('word list', name);
  return list;
}

const patternCache = new Map<string, RegExp>();

/** A structural pattern of one language (`zh` or `en`), compiled once per flags. */
export function pattern(lang: 'zh' | 'en', name: string, flags = 'u'): RegExp {
  const key = `${lang}/${name}/${flags}`;
  const cached = patternCache.get(key);
  if (cached) return cached;
  const source = langFiles()[lang].patterns?.[name] ?? missing('pattern', `${lang}.${name}`);
  const re = new RegExp(source, flags);
  patternCache.set(key, re);
  return re;
}

/** A structural pattern's source with its placeholders ({NUMBERS}) left for the caller to fill. */
export function patternTemplate(lang: 'zh' | 'en', name: string): string {
  return langFiles()[lang].patterns?.[name] ?? missing('pattern', `${lang}.${name}`);
}

/** A plain value of one language (a separator, a marker). */
export function value(lang: 'zh' | 'en', name: string): string {
  return langFiles()[lang].values?.[name] ?? missing('value', `${lang}.${name}`);
}

/** Word → forms of one language. */
export function forms(lang: 'zh' | 'en', name: string): Record<string, string[]> {
  const table = langFiles()[lang].formTables?.[name];
  return table ?? missing('form table', `${lang}.${name}`);
}

/** Word → forms of every language, merged per word (Chinese forms first). */
export function allForms(name: string): Record<string, string[]> {
  const { zh, en } = langFiles();
  const tables = [zh.formTables?.[name], en.formTables?.[name]];
  if (!tables[0] && !tables[1]) missing('form table', name);
  const out: Record<string, string[]> = {};
  for (const table of tables) for (const [word, list] of Object.entries(table ?? {})) out[word] = [...(out[word] ?? []), ...list];
  return out;
}

/** The reader-facing phrase templates of one script ({placeholders} filled by src/answer/messages.ts). */
export function messageTemplates(script: 'zh-Hans' | 'zh-Hant' | 'en'): Record<string, string> {
  const file = script === 'en' ? langFiles().en : langFiles().zh;
  return file.messages?.[script] ?? missing('messages for', script);
}

/** Why a question cannot be asked, in one language. */
export function questionErrorTemplates(lang: 'zh' | 'en'): Record<string, string> {
  return langFiles()[lang].messages?.questionErrors ?? missing('question errors for', lang);
}

let hash: string | undefined;

/** sha256 over the language files: part of the corpus fingerprint (a changed vocabulary rebuilds the index). */
export function langDataHash(): string {
  if (hash) return hash;
  const h = createHash('sha256');
  for (const name of LANG_FILES) h.update(`${name}\0`).update(readFileSync(langPath(name)));
  hash = h.digest('hex');
  return hash;
}
