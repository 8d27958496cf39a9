import * as OpenCC from 'opencc-js';

// Traditional (Taiwan/HK variants included) → mainland simplified. Each converter is a large trie, built on
// first use rather than at import: building both took ~0.1 s of every command's start, `--help` included.
let toSimplifiedConverter: ((text: string) => string) | undefined;
let toTraditionalConverter: ((text: string) => string) | undefined;

export function toSimplified(text: string): string {
  toSimplifiedConverter ??= OpenCC.Converter({ from: 't', to: 'cn' });
  return toSimplifiedConverter(text);
}

let taiwanConverter: ((text: string) => string) | undefined;

/**
 * Traditional text → simplified with Taiwan's own vocabulary turned into the mainland's (晶片 → 芯片, 矽 → 硅).
 * Not for search keys: it also rewrites words both sides use (核心 → 内核); only for a question's extra forms.
 */
export function toMainlandVocabulary(text: string): string {
  taiwanConverter ??= OpenCC.Converter({ from: 'twp', to: 'cn' });
  return taiwanConverter(text);
}

export function toTraditional(text: string): string {
  toTraditionalConverter ??= OpenCC.Converter({ from: 'cn', to: 't' });
  return toTraditionalConverter(text);
}

/** Unicode normalisation that is safe for quoting: NFC, no invisible controls. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    // zero-width and bidi controls, BOM, other C0/C1 controls (tab/newline kept)
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
}

/**
 * The key search works on: NFKC (full-width → ASCII), simplified Chinese, lower-case.
 * The original text is kept elsewhere for quoting.
 */
export function searchKey(text: string): string {
  return foldFinancialNumerals(toSimplified(normaliseText(text).normalize('NFKC')).toLowerCase());
}

// Some sites write 一/二 in their "financial" forms (壹個, 其贰); OpenCC keeps them, so a query for 一個 would miss.
// Only forms with no other meaning are folded (拾 also means "pick up", so it stays).
function foldFinancialNumerals(key: string): string {
  return key.replace(/壹/g, '一').replace(/[贰貳]/g, '二');
}
