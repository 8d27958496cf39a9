/** A sentence of a passage, with its position so quotes can be ordered and checked verbatim. */
export interface Sentence {
  /** Verbatim slice of the passage text (trimmed). */
  text: string;
  /** Offset of `text` in the passage text. */
  start: number;
  /** 0-based index among the passage's sentences (document order). */
  index: number;
}

const TERMINATORS = new Set(['。', '！', '？', '；', '!', '?', ';', '\n']);
// Closing marks that belong to the sentence they follow: 。” and ！） stay together.
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '》', '】', '"', "'"]);
const OPENERS: Record<string, string> = { '“': '”', '「': '」', '『': '』', '《': '》', '（': '）', '(': ')' };
// Footnote markers written after the full stop (…下降。<sup>③</sup> or …下降。③) belong to the sentence they close.
const MARK_SOURCE = String.raw`<sup>[^<]{1,8}<\/sup>|[\u2460-\u2473\u2776-\u277F]|\[\d{1,3}\]`;
const trailingMarks = (extra?: RegExp) => new RegExp(`^(?:\\s*(?:${MARK_SOURCE}${extra ? `|${extra.source}` : ''}))+`);
const TRAILING_MARK = trailingMarks();

export interface SplitOptions {
  /** A further mark that stays with the sentence it closes: the chunker's footnote tokens (corpus/markup.ts). */
  trailingMark?: RegExp;
}

/**
 * Split a passage into sentences at 。！？；!?; and line breaks, keeping the punctuation.
 * Does not split inside “”「」《》（） quotes (unless they run past 300 characters — an unbalanced quote),
 * nor in numbers such as 41.6 (the ASCII full stop only ends a sentence before whitespace and a capital).
 */
export function splitSentences(text: string, options: SplitOptions = {}): Sentence[] {
  const trailing = options.trailingMark ? trailingMarks(options.trailingMark) : TRAILING_MARK;
  const out: Sentence[] = [];
  const chars = [...text];
  // Work on UTF-16 offsets for slicing; track them alongside code points.
  let offset = 0;
  let start = 0;
  const closeStack: string[] = [];
  let quoteOpenedAt = -1;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed && /[\p{L}\p{N}]/u.test(trimmed)) out.push({ text: trimmed, start: start + lead, index: out.length });
    start = end;
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const next = offset + ch.length;
    if (OPENERS[ch] && !(ch === '(' || ch === '（') ) {
      if (closeStack.length === 0) quoteOpenedAt = offset;
      closeStack.push(OPENERS[ch]);
    } else if (closeStack.length && ch === closeStack[closeStack.length - 1]) {
      closeStack.pop();
    }
    if (closeStack.length && offset - quoteOpenedAt > 300) closeStack.length = 0; // unbalanced quote: give up on it
    const englishStop = ch === '.' && /^(?:\s+[A-Z“"(]|\s*\[\d)/.test(text.slice(next, next + 4)) && !/(?:\b(?:e\.g|i\.e|et al|vs|No|pp?|Vol|Dr|Mr|Ms|U\.S)|(?:^|[^A-Za-z])[A-Z])$/.test(text.slice(Math.max(0, offset - 6), offset));
    // 。” closing the outermost quote ends the sentence too (the closer is swallowed below)
    const endsQuote = TERMINATORS.has(ch) && closeStack.length === 1 && chars[i + 1] === closeStack[0];
    const ends = (TERMINATORS.has(ch) && (closeStack.length === 0 || ch === '\n' || endsQuote)) || (englishStop && closeStack.length === 0);
    offset = next;
    if (!ends) continue;
    if (ch === '\n') closeStack.length = 0;
    // swallow closers and footnote marks that follow the terminator
    let end = offset;
    while (i + 1 < chars.length && CLOSERS.has(chars[i + 1])) {
      i++;
      end += chars[i].length;
      closeStack.pop();
    }
    const mark = trailing.exec(text.slice(end));
    if (mark) {
      const consumed = mark[0];
      end += consumed.length;
      // advance i past consumed code points
      let n = [...consumed].length;
      while (n-- > 0) i++;
    }
    offset = end;
    push(end);
  }
  push(text.length);
  return out;
}
