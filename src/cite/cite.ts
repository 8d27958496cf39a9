import type { DocumentInfo, Passage } from '../core/passage.js';
import { searchKey } from '../text/searchKey.js';
import { indexTerms } from '../text/segment.js';
import { clipChars } from '../text/clip.js';
import { choice, CHOICES_MAX, type Choice } from '../text/choice.js';
import { isUnknownAuthor } from '../corpus/document.js';

const QUOTE_LIMIT = 600;


function compact(text: string): string {
  return searchKey(text).replace(/[\s·•]/gu, '');
}

/** The index's BM25 search (IndexSnapshot.lexical.search): one lexical ranking serves search and citing. */
export type LexicalSearch = (terms: string[], k: number) => Promise<{ passage: Passage; score: number }[]>;

const LEXICAL_CANDIDATES = 20;
// Words found verbatim in a passage outrank any term overlap.
const VERBATIM_BONUS = 10;

/** Best passage for a few words: the index's BM25 ranking, with a bonus when the words appear verbatim. */
async function bestLexicalMatch(query: string, search: LexicalSearch): Promise<Passage | null> {
  const terms = indexTerms(query);
  if (terms.length === 0) return null;
  const key = compact(query);
  let best: Passage | null = null;
  let bestScore = 0;
  for (const { passage, score: bm25 } of await search(terms, LEXICAL_CANDIDATES)) {
    const score = bm25 + (key.length >= 2 && compact(passage.text).includes(key) ? VERBATIM_BONUS : 0);
    if (score > bestScore) {
      bestScore = score;
      best = passage;
    }
  }
  return best;
}

/**
 * The passage a user means: its id (any case), an id prefix, its label, or a few of its words
 * (traditional or simplified). Null when nothing matches.
 */
export async function citePassage(query: string, passages: Passage[], documents: DocumentInfo[], search: LexicalSearch): Promise<{ passage: Passage; citation: string } | null> {
  const q = query.trim();
  if (!q) return null;
  const lower = q.toLowerCase();
  const found =
    passages.find((p) => p.id.toLowerCase() === lower) ??
    passages.find((p) => p.id.toLowerCase().startsWith(lower) && /[:\d]/.test(lower)) ??
    passages.find((p) => compact(p.label) === compact(q)) ??
    (await bestLexicalMatch(q, search));
  if (!found) return null;
  const doc = documents.find((d) => d.id === found.docId);
  return { passage: found, citation: formatCitation(found, doc) };
}

/**
 * A ready-to-paste citation: “quote” — label，author《title》，venue year
 * (English documents: "quote" — label, author, "title", venue year).
 */
export function formatCitation(passage: Passage, doc?: DocumentInfo): string {
  const quote = clipChars(passage.text.replace(/\s*\n\s*/g, ' ').trim(), QUOTE_LIMIT);
  // a venue that already names the year (《世界经济与政治》2024年第1期) is not followed by it again
  const year = doc?.year !== undefined && !String(doc.venue ?? '').includes(String(doc.year)) ? doc.year : undefined;
  const when = [doc?.venue, year].filter((x) => x !== undefined && x !== '').join(' ');
  const author = doc && !isUnknownAuthor(doc.author) ? doc.author : '';
  if (doc?.lang === 'en') {
    const source = [passage.label, author, doc.title ? `"${doc.title}"` : '', when].filter(Boolean).join(', ');
    return `"${quote}" — ${source}`;
  }
  let source = passage.label;
  if (doc) source += `，${author}${doc.title ? `《${doc.title}》` : ''}`;
  if (when) source += `，${when}`;
  return `“${quote}” — ${source}`;
}

/** Autocomplete over ids, labels and words: at most 25 choices, names and values at most 100 characters. */
export function citeChoices(prefix: string, passages: Passage[]): Choice[] {
  const q = prefix.trim().toLowerCase();
  const key = compact(prefix);
  const ranked: { passage: Passage; rank: number }[] = [];
  for (const p of passages) {
    let rank = -1;
    if (!q) rank = 3;
    else if (p.id.toLowerCase().startsWith(q)) rank = 0;
    else if (compact(p.label).includes(key)) rank = 1;
    else if ((key.length >= 2 || /^\p{Script=Han}$/u.test(key)) && (p.searchKey || searchKey(p.text)).replace(/\s/g, '').includes(key)) rank = 2;
    if (rank >= 0) ranked.push({ passage: p, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.passage.ordinal - b.passage.ordinal);
  return ranked.slice(0, CHOICES_MAX).map(({ passage }) => choice(`${passage.label} — ${passage.text.replace(/\s+/g, ' ')}`, passage.id));
}
