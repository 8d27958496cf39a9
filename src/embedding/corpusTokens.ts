import { searchKey } from '../text/searchKey.js';

/**
 * The corpus model's tokens, cut the way its BERT-style tokenizer cuts them (NFKC, lower-case,
 * every CJK ideograph on its own, punctuation split off, other runs kept whole), so training
 * counts exactly the tokens the pipeline will look up.
 */

// The code-point ranges BERT's `handle_chinese_chars` isolates (tokenizers' `is_chinese_char`).
const CJK = '\\u4E00-\\u9FFF\\u3400-\\u4DBF\\uF900-\\uFAFF\\u{20000}-\\u{2A6DF}\\u{2A700}-\\u{2B73F}\\u{2B740}-\\u{2B81F}\\u{2B820}-\\u{2CEAF}\\u{2F800}-\\u{2FA1F}';
const TOKEN = new RegExp(`[${CJK}]|[^\\s\\p{P}${CJK}!-/:-@\\[-\`{-~]+`, 'gu');
const CJK_CHAR = new RegExp(`^[${CJK}]$`, 'u');
const SEGMENT_BREAK = /[\n。！？；!?;]+/u;

export function isCjkChar(token: string): boolean {
  return CJK_CHAR.test(token);
}

/** Tokens of already-normalised text (a search key), in order. */
export function tokensOfKey(key: string): string[] {
  return key.match(TOKEN) ?? [];
}

/** Tokens of raw text as the corpus model sees them after traditional→simplified folding. */
export function corpusTokens(text: string): string[] {
  return tokensOfKey(searchKey(text));
}

/** Sentence-like pieces of a key: co-occurrence windows do not cross them. */
export function keySegments(key: string): string[] {
  return key.split(SEGMENT_BREAK).filter((s) => s.trim() !== '');
}
