import { normaliseText, searchKey, toSimplified } from '../text/searchKey.js';
import { indexTerms } from '../text/segment.js';
import { addTerms, type TermWeights } from '../index/lexical.js';

/**
 * Text handed to the embedder, for passages and queries alike: NFC/NFKC, simplified script. Traditional and
 * simplified spellings of a word then share tokens, so a 繁體 query meets a 简体 passage in vector space too.
 * Case is kept (hub tokenizers are case-aware).
 */
export function embeddingText(text: string): string {
  return toSimplified(normaliseText(text).normalize('NFKC')).replace(/\s+/g, ' ').trim();
}

/** Weight of glossary-expansion terms relative to the words the user typed. */
export const EXPANSION_WEIGHT = 0.6;

export interface PreparedQuery {
  /** The question as typed, Unicode-normalised. */
  original: string;
  /** Search key (simplified, NFKC, lower-case). */
  key: string;
  /** Extra aliases from glossary expansion. */
  aliases: string[];
  /** What the dense side embeds: the question plus its aliases. */
  embedText: string;
  /** What the lexical side scores: the question's terms plus down-weighted alias terms. */
  lexicalTerms: TermWeights;
}

export function prepareQuery(query: string, expand?: (q: string) => string[]): PreparedQuery {
  const original = normaliseText(query).trim();
  const key = searchKey(original);
  let aliases: string[] = [];
  if (expand) {
    try {
      aliases = [...new Set(expand(original).map((a) => a.trim()).filter((a) => a && searchKey(a) !== key))];
    } catch {
      aliases = []; // expansion is a bonus; a glossary failure must not fail the search
    }
  }
  const lexicalTerms = addTerms(new Map(), indexTerms(key, { isKey: true }), 1);
  for (const alias of aliases) addTerms(lexicalTerms, indexTerms(alias), EXPANSION_WEIGHT);
  return { original, key, aliases, embedText: embeddingText([original, ...aliases].join(' ')), lexicalTerms };
}

/**
 * What the dense side embeds for a passage: its section heading, then its text. Measured on the dev set with
 * the corpus model, the heading lifts dense Recall@5 on Chinese questions from 0.82 to 0.94 (a paragraph's
 * topic is often named only in its heading). The reuse key across ingests is the hash of this string, so a
 * renamed heading re-embeds its section, nothing else.
 */
export function passageEmbeddingInput(passage: { text: string; sectionPath?: string[] }): string {
  const heading = passage.sectionPath?.[passage.sectionPath.length - 1];
  return embeddingText(heading ? `${heading}\n${passage.text}` : passage.text);
}
