import type { DocumentInfo } from '../core/passage.js';
import { searchKey } from '../text/searchKey.js';
import { detectLang } from '../text/language.js';
import { allForms, words } from '../text/lang.js';

/**
 * Words by which people refer to a kind of document ("the paper says…", "网文说…"), per `kind` value of document
 * metadata (lang/*.json: documentKinds), matched against the question's search key; and words that lean toward a
 * kind but also name others (kindLeanings: 文章 is any article, a journal paper too): retrieval favours that kind a
 * little for them; the answer does not leave the other documents out.
 */
const KIND_WORDS = allForms('documentKinds');
const LEANING_WORDS = allForms('kindLeanings');

/** Author values that name nobody. */
const ANONYMOUS = new Set(words('anonymousAuthors'));

/** The strings that name one document: its id, author, the venue's core name, and its kind's words. */
/** Who wrote a document and where it appeared, as a question may name it: its author and its venue's core name. */
export function bylineOf(doc: DocumentInfo | undefined): string[] {
  if (!doc) return [];
  const names: string[] = [];
  if (doc.author && !ANONYMOUS.has(doc.author.toLowerCase()) && [...doc.author].length >= 2) names.push(doc.author);
  // 《世界经济与政治》2024年第1期 → 世界经济与政治; 加西網（westca.com）「…」欄目 → 加西網
  const venue = doc.venue?.match(/《([^》]+)》/)?.[1] ?? doc.venue?.split(/[（(「,，]/)[0];
  if (venue && [...venue.trim()].length >= 2) names.push(venue.trim());
  return names;
}

function namesOf(doc: DocumentInfo, leaning = false): string[] {
  const names = [doc.id, ...bylineOf(doc)];
  if (doc.kind) names.push(...(KIND_WORDS[doc.kind.toLowerCase()] ?? [doc.kind]));
  if (leaning && doc.kind) names.push(...(LEANING_WORDS[doc.kind.toLowerCase()] ?? []));
  return names.map((n) => searchKey(n)).filter(Boolean);
}

/**
 * Documents a question names ("What does the web article say…", "周亚敏认为…"): their ids, or an empty set
 * when it names none — or every one, which tells nothing. Retrieval favours the named documents' passages
 * (`leaning`: also for words that lean toward a kind, 文章); the answer quotes only them.
 */
export function namedDocuments(question: string, documents: DocumentInfo[], options: { leaning?: boolean } = {}): Set<string> {
  const key = searchKey(question);
  const named = new Set(documents.filter((doc) => namesOf(doc, options.leaning).some((name) => containsName(key, name))).map((doc) => doc.id));
  return named.size === documents.length ? new Set() : named;
}

/** Latin names match as whole words ("paper" not in "newspaper"); Chinese ones as substrings. */
function containsName(key: string, name: string): boolean {
  if (!/^[a-z0-9]/.test(name)) return key.includes(name);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^a-z0-9])${escaped}(?:[^a-z0-9]|$)`).test(key);
}

/**
 * The traditional-script documents, for a question written in traditional script, when not every document is:
 * a tie-breaker, not a hint as strong as naming the document. Simplified script is what most askers type whatever
 * they ask about, so it says nothing; traditional script leans toward a document written in it. On the measured
 * sets (dev, eval/zh.jsonl, eval/answers.jsonl) a 1.03–1.06 boost changes no figure; it keeps a 繁體 question about
 * the web article (相互依賴武器化有什麼反噬效應？) from meeting the paper's literature review first by a hair.
 */
export function sameScriptDocuments(question: string, documents: DocumentInfo[]): Set<string> {
  if (detectLang(question) !== 'zh-Hant') return new Set();
  const same = new Set(documents.filter((doc) => doc.lang === 'zh-Hant').map((doc) => doc.id));
  return same.size === documents.length ? new Set() : same;
}
