/**
 * Section headings recognised by their numbering, not by their `#` count: converted papers mark the same
 * depth with `##`, `###`, `####` or nothing at all. Depth follows the Chinese academic convention:
 * 一 / 一、 → 1, （一）→ 2, 1. / 1、→ 3, (1) → 4.
 */

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一..九十九 → number; undefined when not a Chinese numeral. */
export function chineseNumeral(text: string): number | undefined {
  if (!/^[零〇一二两三四五六七八九十]+$/.test(text)) return undefined;
  if (text === '十') return 10;
  const tenAt = text.indexOf('十');
  if (tenAt === -1) return text.length === 1 ? CN_DIGITS[text] : undefined;
  const tens = tenAt === 0 ? 1 : CN_DIGITS[text.slice(0, tenAt)];
  const unitsText = text.slice(tenAt + 1);
  const units = unitsText === '' ? 0 : CN_DIGITS[unitsText];
  if (tens === undefined || units === undefined || unitsText.length > 1) return undefined;
  return tens * 10 + units;
}

export interface NumberedHeading {
  /** 1 = 一, 2 = （一）, 3 = 1., 4 = (1) */
  depth: number;
  number: number;
  /** The numbering as a reader writes it in a citation: '四', '（三）', '1.', '(1)'. */
  numbering: string;
  /** The heading as printed, tidied: '（三）美国在关键矿物供应链领域的对华“脱钩”行为'. */
  title: string;
}

const MAX_HEADING_CHARS = 60;

const PATTERNS: Array<{ depth: number; re: RegExp; numbering: (n: string) => string; parse: (n: string) => number | undefined }> = [
  { depth: 1, re: /^([一二三四五六七八九十]{1,3})(?:[\s\u3000]+|[、．.]\s*)(\S.*)$/u, numbering: (n) => n, parse: chineseNumeral },
  { depth: 2, re: /^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(\S.*)$/u, numbering: (n) => `（${n}）`, parse: chineseNumeral },
  { depth: 3, re: /^(\d{1,2})(?:[、．]\s*|\.\s+)(\S.*)$/u, numbering: (n) => `${n}.`, parse: (n) => Number(n) },
  { depth: 4, re: /^[（(]\s*(\d{1,2})\s*[）)]\s*(\S.*)$/u, numbering: (n) => `(${n})`, parse: (n) => Number(n) },
];

/** Space left between two Han characters by line wrapping in the converter ('竞争优势 与美国'). */
export function tidyHeadingText(text: string): string {
  return text
    .replace(/(\p{Script=Han}|[”“》《])[ \u3000]+(?=\p{Script=Han}|[“”《》])/gu, '$1')
    .replace(/[ \t\u3000]+/g, ' ')
    .trim();
}

/**
 * A numbered section heading, or undefined. A heading is short and does not end a sentence
 * (a list item like "一、加强合作。" is a paragraph).
 */
export function parseNumberedHeading(line: string): NumberedHeading | undefined {
  const text = line.trim();
  if (text.length > MAX_HEADING_CHARS || /[。！？；!?;]$/.test(text)) return undefined;
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    const num = p.parse(m[1]);
    if (num === undefined || num < 1) continue;
    const rest = tidyHeadingText(m[2]);
    // "一是…", "二者…" are sentences, not headings: depth-1 numerals need a separator (enforced by re) and a short rest.
    if (/[，,。]/.test(rest)) return undefined;
    const numbering = p.numbering(m[1]);
    const title = p.depth === 1 ? `${numbering} ${rest}` : `${numbering}${rest}`;
    return { depth: p.depth, number: num, numbering, title };
  }
  return undefined;
}
