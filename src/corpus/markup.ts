/**
 * Inline markup of markdown-ish sources and footnote markers.
 * Markers are replaced by private-use tokens while the structure is built, so they survive joining and
 * sentence splitting, and are removed (turned into links) only when a passage's text is final.
 */

const CIRCLED: Record<string, number> = {};
'①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳'.split('').forEach((c, i) => (CIRCLED[c] = i + 1));
'㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟'.split('').forEach((c, i) => (CIRCLED[c] = i + 21));
'㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿'.split('').forEach((c, i) => (CIRCLED[c] = i + 36));
const CIRCLED_CLASS = Object.keys(CIRCLED).join('');

/** `<sup>①</sup>`, `<sup>\*</sup>`, `<sup>12</sup>`, `<sup>[3]</sup>`, markdown `[^x]` (not followed by `:`). */
export const MARKER_PATTERN = new RegExp(
  `<sup>\\s*\\[?([${CIRCLED_CLASS}]|\\d{1,3}|\\\\?\\*{1,3})\\]?\\s*</sup>|\\[\\^([^\\]\\s]{1,20})\\](?!:)`,
  'g',
);

/** A footnote line: `<sup>①</sup> text`, `① text`, `<sup>\*</sup> text`, `[^x]: text`. */
const FOOTNOTE_LINE = new RegExp(
  `^(?:<sup>\\s*\\[?([${CIRCLED_CLASS}]|\\d{1,3}|\\\\?\\*{1,3})\\]?\\s*</sup>|([${CIRCLED_CLASS}])|\\[\\^([^\\]\\s]{1,20})\\]:)\\s*(\\S.*)$`,
);

/** Canonical key of a footnote number: '3' for ③, <sup>3</sup> and [^3]; '*' for asterisks. */
export function footnoteNumberKey(raw: string): string {
  const t = raw.replace(/\\/g, '').trim();
  if (CIRCLED[t] !== undefined) return String(CIRCLED[t]);
  if (/^\*+$/.test(t)) return t;
  return t;
}

/** How a footnote number is shown in a label: ③ for 3 (as printed), * stays *. */
export function footnoteNumberDisplay(key: string): string {
  const n = Number(key);
  if (Number.isInteger(n) && n >= 1) {
    const found = Object.entries(CIRCLED).find(([, v]) => v === n);
    if (found) return found[0];
    return `[${n}]`;
  }
  return key;
}

export function parseFootnoteLine(line: string): { key: string; text: string } | undefined {
  const m = FOOTNOTE_LINE.exec(line.trim());
  if (!m) return undefined;
  const raw = m[1] ?? m[2] ?? m[3] ?? '';
  return { key: footnoteNumberKey(raw), text: m[4] ?? '' };
}

/** Token standing in for a resolved marker inside structured text: U+E000 noteIndex U+E001. */
export const TOKEN_PATTERN = /\uE000(\d+)\uE001/g;
export const markerToken = (noteIndex: number): string => `\uE000${noteIndex}\uE001`;

export function tokensIn(text: string): number[] {
  return [...text.matchAll(TOKEN_PATTERN)].map((m) => Number(m[1]));
}

export function stripTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, '');
}

const URLISH = /^(?:https?:\/\/|www\.)\S+$/;

/** Markdown emphasis, escapes, autolinks and stray HTML removed; the words are kept verbatim. */
export function stripInlineMarkup(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\((\S+?)\)/g, (_m, label: string, url: string) => {
      const plain = label.replace(/\\(.)/g, '$1').replace(/\\(.)/g, '$1');
      return URLISH.test(plain) || plain === '' ? url : plain;
    })
    .replace(/<((?:https?|ftp):\/\/[^>\s]+)>/g, '$1')
    .replace(/<\/?(?:sup|sub|b|i|em|strong|span|u)\b[^>]*>/gi, '')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<![\\*\w])\*(?=[^\s*])(.+?)(?<=[^\s\\*])\*(?![*\w])/g, '$1')
    .replace(/\\([\\`*_{}\[\]()#+\-.!|<>~])/g, '$1')
    .replace(/\\([\\`*_{}\[\]()#+\-.!|<>~])/g, '$1')
    .replace(/[ \t]+$/g, '')
    .trim();
}

/** Sentence-final punctuation (Chinese and Western) after closing quotes/brackets and markers are set aside. */
export function endsSentence(text: string): boolean {
  const t = stripTokens(text)
    .replace(MARKER_PATTERN, '')
    .replace(/[\s”’」』）)\]】》*]+$/u, '');
  return /[。！？!?…；;：:.]$/u.test(t);
}
