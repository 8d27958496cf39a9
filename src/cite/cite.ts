import type { DocumentInfo, Passage } from '../chunking/passage.js';
import { searchKey } from '../text/searchKey.js';
import { indexTerms } from '../text/segment.js';

export interface CiteChoice {
  name: string;
  value: string;
}

const MAX_CHOICES = 25;
const CHOICE_LIMIT = 100;
const QUOTE_LIMIT = 600;

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

function compact(text: string): string {
  return searchKey(text).replace(/[\s·•]/gu, '');
}

/** Per-passage-list BM25 statistics, built once per passage array. */
interface LexicalIndex {
  termFreqs: Map<string, number>[];
  lengths: number[];
  avgLength: number;
  docFreq: Map<string, number>;
}
const indexCache = new WeakMap<Passage[], LexicalIndex>();

function lexicalIndex(passages: Passage[]): LexicalIndex {
  const cached = indexCache.get(passages);
  if (cached) return cached;
  const docFreq = new Map<string, number>();
  const termFreqs = passages.map((p) => {
    const tf = new Map<string, number>();
    for (const t of indexTerms(p.searchKey || searchKey(p.text), { isKey: true })) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
    return tf;
  });
  const lengths = termFreqs.map((tf) => [...tf.values()].reduce((a, b) => a + b, 0));
  const index = { termFreqs, lengths, avgLength: lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length), docFreq };
  indexCache.set(passages, index);
  return index;
}

/** Best passage for a few words: BM25 over the shared index terms, plus a bonus when the words appear verbatim. */
function bestLexicalMatch(query: string, passages: Passage[]): Passage | null {
  const index = lexicalIndex(passages);
  const terms = [...new Set(indexTerms(query))];
  if (terms.length === 0) return null;
  const key = compact(query);
  const n = passages.length;
  let best: Passage | null = null;
  let bestScore = 0;
  passages.forEach((p, i) => {
    let score = 0;
    const tf = index.termFreqs[i];
    for (const t of terms) {
      const f = tf.get(t);
      if (!f) continue;
      const df = index.docFreq.get(t) ?? 0;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += (idf * f * 2.2) / (f + 1.2 * (0.25 + 0.75 * (index.lengths[i] / index.avgLength)));
    }
    if (key.length >= 2 && compact(p.text).includes(key)) score += 10;
    if (score > bestScore) {
      bestScore = score;
      best = p;
    }
  });
  return best;
}

/**
 * The passage a user means: its id (any case), an id prefix, its label, or a few of its words
 * (traditional or simplified). Null when nothing matches.
 */
export function citePassage(query: string, passages: Passage[], documents: DocumentInfo[]): { passage: Passage; citation: string } | null {
  const q = query.trim();
  if (!q) return null;
  const lower = q.toLowerCase();
  const found =
    passages.find((p) => p.id.toLowerCase() === lower) ??
    passages.find((p) => p.id.toLowerCase().startsWith(lower) && /[:\d]/.test(lower)) ??
    passages.find((p) => compact(p.label) === compact(q)) ??
    bestLexicalMatch(q, passages);
  if (!found) return null;
  const doc = documents.find((d) => d.id === found.docId);
  return { passage: found, citation: formatCitation(found, doc) };
}

/**
 * A ready-to-paste citation: “quote” — label，author《title》，venue year
 * (English documents: "quote" — label, author, "title", venue year).
 */
export function formatCitation(passage: Passage, doc?: DocumentInfo): string {
  const quote = truncate(passage.text.replace(/\s*\n\s*/g, ' ').trim(), QUOTE_LIMIT);
  const when = [doc?.venue, doc?.year].filter((x) => x !== undefined && x !== '').join(' ');
  if (doc?.lang === 'en') {
    const source = [passage.label, doc.author, doc.title ? `"${doc.title}"` : '', when].filter(Boolean).join(', ');
    return `"${quote}" — ${source}`;
  }
  let source = passage.label;
  if (doc) source += `，${doc.author ?? ''}${doc.title ? `《${doc.title}》` : ''}`;
  if (when) source += `，${when}`;
  return `“${quote}” — ${source}`;
}

/** Autocomplete over ids, labels and words: at most 25 choices, names and values at most 100 characters. */
export function citeChoices(prefix: string, passages: Passage[]): CiteChoice[] {
  const q = prefix.trim().toLowerCase();
  const key = compact(prefix);
  const ranked: { passage: Passage; rank: number }[] = [];
  for (const p of passages) {
    let rank = -1;
    if (!q) rank = 3;
    else if (p.id.toLowerCase().startsWith(q)) rank = 0;
    else if (compact(p.label).includes(key)) rank = 1;
    else if (key.length >= 2 && (p.searchKey || searchKey(p.text)).replace(/\s/g, '').includes(key)) rank = 2;
    if (rank >= 0) ranked.push({ passage: p, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.passage.ordinal - b.passage.ordinal);
  return ranked.slice(0, MAX_CHOICES).map(({ passage }) => ({
    name: truncate(`${passage.label} — ${passage.text.replace(/\s+/g, ' ')}`, CHOICE_LIMIT),
    value: truncate(passage.id, CHOICE_LIMIT),
  }));
}
