import { stripTokens, TOKEN_PATTERN } from '../corpus/markup.js';
import { splitSentences } from '../text/sentences.js';

/**
 * The paragraph's sentences as verbatim slices that join back to it (the space between two sentences goes
 * with the second). One splitter for passages and quotes (src/text/sentences.ts); a footnote token after a
 * full stop stays with its sentence, so the note is linked from the passage that cites it. When it replaced
 * the chunker's own splitter, corpus/ and the format fixtures ingested to the same passages (ids, texts,
 * footnote links).
 */
function verbatimSentences(text: string): string[] {
  const sentences = splitSentences(text, { trailingMark: TOKEN_PATTERN });
  if (sentences.length === 0) return [text];
  return sentences.map((s, i) => {
    const from = i === 0 ? 0 : sentences[i - 1].start + sentences[i - 1].text.length;
    return text.slice(from, i + 1 < sentences.length ? s.start + s.text.length : text.length);
  });
}

/** Clause boundaries, for the rare sentence longer than a whole passage. */
function splitClauses(sentence: string): string[] {
  const parts = sentence.split(/(?<=[，,、：:])/u);
  return parts.length > 1 ? parts : [sentence];
}

const visibleLength = (s: string) => stripTokens(s).trim().length;

export interface PieceOptions {
  /** Paragraphs up to this many characters stay whole (default 450). */
  maxParagraphChars?: number;
  /** Target size of a piece when a paragraph is split (default 400). */
  maxPieceChars?: number;
  /** The last sentence of a piece is repeated at the start of the next when it is at most this long (default 120). */
  overlapChars?: number;
  /** A last piece with less new text than this is folded into the previous one (default 80). */
  minTailChars?: number;
}

/**
 * A paragraph as retrieval-sized pieces: whole when short; otherwise packed sentence by sentence up to about
 * 400 characters, each piece after the first starting with the previous piece's last sentence (small overlap).
 */
export function splitIntoPieces(text: string, options: PieceOptions = {}): string[] {
  const maxParagraph = options.maxParagraphChars ?? 450;
  const maxPiece = options.maxPieceChars ?? 400;
  const overlap = options.overlapChars ?? 120;
  const minTail = options.minTailChars ?? 80;
  if (visibleLength(text) <= maxParagraph) return [text.trim()];
  const units = verbatimSentences(text).flatMap((s) => (visibleLength(s) > maxPiece ? splitClauses(s) : [s]));
  const pieces: number[][] = [];
  let current: number[] = [];
  let currentLength = 0;
  let fresh = 0; // sentences in `current` that are not overlap
  units.forEach((u, i) => {
    const len = visibleLength(u);
    if (fresh > 0 && currentLength + len > maxPiece) {
      pieces.push(current);
      const last = current[current.length - 1];
      const lastLen = visibleLength(units[last]);
      current = lastLen <= overlap && lastLen + len <= maxPiece ? [last] : [];
      currentLength = current.length ? lastLen : 0;
      fresh = 0;
    }
    current.push(i);
    currentLength += len;
    fresh++;
  });
  if (fresh > 0) {
    const prev = pieces[pieces.length - 1];
    const freshLength = current.slice(current.length - fresh).reduce((n, i) => n + visibleLength(units[i]), 0);
    if (prev && freshLength < minTail) pieces[pieces.length - 1] = [...new Set([...prev, ...current])];
    else pieces.push(current);
  }
  return pieces.map((idx) => units.slice(idx[0], idx[idx.length - 1] + 1).join('').trim());
}
