import { createRequire } from 'node:module';
import path from 'node:path';
import { normaliseText } from '../../text/searchKey.js';
import { joinParagraphText } from '../structure.js';
import type { ConvertResult } from './convert.js';

/**
 * A PDF's text layer through Mozilla's pdf.js, with its bundled CMaps and standard font data, so Chinese text
 * in CID fonts (the predefined Adobe-GB1 / CNS1 / Japan1 / Korea1 fonts that are never embedded included)
 * extracts as Unicode. Lines are rejoined into paragraphs by their geometry — a Chinese line break inside a
 * sentence is not a paragraph break, and a paragraph carries on across a page break — running headers,
 * footers and page numbers repeated across pages are dropped, footnotes at the foot of a page become notes
 * linked to their superscript markers, larger type becomes headings, and every block keeps its page.
 */

const requireFromHere = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(requireFromHere.resolve('pdfjs-dist/package.json'));

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

interface Line {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  page: number;
  /** Top and bottom of the page, for the running header/footer zones. */
  top: number;
  bottom: number;
  dropped?: boolean;
  role?: 'body' | 'heading' | 'note';
}

interface Block {
  kind: 'title' | 'heading' | 'paragraph' | 'note';
  text: string;
  page: number;
  level?: number;
}

const HAN = /\p{Script=Han}/u;
const SUP_MARKER = /^\s*\[?\s*(?:[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]|\d{1,3}|\*{1,3})\s*\]?\s*$/u;
const CIRCLED = /[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]/u;
/** A page number alone: "3", "- 3 -", "·12·", "第3页", "3 / 10", "iv". */
const PAGE_NUMBER = /^[\s\-–—·•|()（）]*(?:第\s*)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*页|\s*\/\s*\d{1,4})?[\s\-–—·•|()（）]*$/iu;
/** How a footnote starts at the foot of a page: ①, <sup>1</sup>, [1], 1, 注1, *. */
const NOTE_START = /^(?:<sup>([^<]{1,5})<\/sup>\s*|([\u2460-\u2473\u3251-\u325F\u32B1-\u32BF])\s*|\[(\d{1,3})\]\s*|(\d{1,3})[\s.、．)）]\s*|注\s*(\d{1,3})[:：\s]\s*|(\*{1,3})\s*)(\S.*)$/u;
const MARGIN_ZONE = 0.09;

const round = (n: number, step = 0.5) => Math.round(n / step) * step;

function mode(values: number[], weights?: number[]): number | undefined {
  const counts = new Map<number, number>();
  values.forEach((v, i) => counts.set(v, (counts.get(v) ?? 0) + (weights?.[i] ?? 1)));
  let best: number | undefined;
  let bestCount = -1;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && best !== undefined && v < best)) [best, bestCount] = [v, c];
  return best;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const plainLine = (text: string) => text.replace(/<\/?sup>/g, '');

/** Items of one page as lines, in content order; superscript markers written as <sup>n</sup>. */
function pageLines(items: TextItemLike[], page: number, top: number, bottom: number): Line[] {
  const groups: Array<{ items: TextItemLike[]; y: number; size: number }> = [];
  for (const item of items) {
    if (item.str === '') continue;
    const size = Math.hypot(item.transform[2], item.transform[3]) || item.height || 1;
    const y = item.transform[5];
    const x = item.transform[4];
    const current = groups[groups.length - 1];
    const last = current?.items[current.items.length - 1];
    const sameLine = current && Math.abs(y - current.y) <= 0.5 * Math.max(size, current.size) && x >= last!.transform[4] + last!.width - 2 * Math.max(size, current.size);
    if (sameLine) {
      current.items.push(item);
      if (size > current.size && item.str.trim() !== '') {
        current.size = size;
        current.y = y;
      }
    } else if (item.str.trim() !== '') groups.push({ items: [item], y, size });
  }
  const lines: Line[] = [];
  for (const g of groups) {
    let text = '';
    let end = -Infinity;
    for (const item of g.items) {
      const size = Math.hypot(item.transform[2], item.transform[3]) || item.height || 1;
      const x = item.transform[4];
      let str = item.str;
      const raised = item.transform[5] - g.y > 0.15 * g.size;
      if (size < 0.8 * g.size && raised && SUP_MARKER.test(str)) str = `<sup>${str.trim()}</sup>`;
      const gap = x - end;
      const prev = text.slice(-1);
      if (text !== '' && gap > 0.2 * g.size && !/\s$/.test(text) && !/^\s/.test(str) && !(HAN.test(prev) && HAN.test(str[0] ?? ''))) text += ' ';
      text += str;
      end = Math.max(end, x + item.width);
    }
    text = text.replace(/\s+/g, ' ').trim();
    if (text === '') continue;
    const first = g.items.find((i) => i.str.trim() !== '')!;
    lines.push({ text, x0: first.transform[4], x1: end, y: g.y, size: round(g.size), page, top, bottom });
  }
  return lines;
}

/** Running headers, footers and page numbers: text in the top or bottom margin repeated across pages, or a bare number there. */
function dropFurniture(lines: Line[], pages: number): void {
  const inZone = (l: Line) => {
    const h = l.top - l.bottom;
    return l.y > l.top - MARGIN_ZONE * h || l.y < l.bottom + MARGIN_ZONE * h;
  };
  const key = (l: Line) => plainLine(l.text).replace(/\d+/g, '#').replace(/\s+/g, '');
  const pagesByKey = new Map<string, Set<number>>();
  for (const l of lines) {
    if (!inZone(l)) continue;
    const k = key(l);
    if (!pagesByKey.has(k)) pagesByKey.set(k, new Set());
    pagesByKey.get(k)!.add(l.page);
  }
  for (const l of lines) {
    if (!inZone(l)) continue;
    if (PAGE_NUMBER.test(plainLine(l.text)) || (pages >= 2 && (pagesByKey.get(key(l))?.size ?? 0) >= 2)) l.dropped = true;
  }
}

/** The note text as the .md path writes notes: `① text`, `[^3]: text`, `<sup>*</sup> text`. */
function noteLine(text: string): string | undefined {
  const m = NOTE_START.exec(text);
  if (!m) return undefined;
  const body = m[7];
  const sup = m[1]?.trim();
  if (m[2]) return `${m[2]} ${body}`;
  if (sup && CIRCLED.test(sup)) return `${sup} ${body}`;
  const number = (sup && /^\[?(\d{1,3})\]?$/.exec(sup)?.[1]) ?? m[3] ?? m[4] ?? m[5];
  if (number) return `[^${number}]: ${body}`;
  const stars = m[6] ?? (sup && /^\*+$/.test(sup) ? sup : undefined);
  return stars ? `<sup>${stars}</sup> ${body}` : undefined;
}

export async function convertPdf(bytes: Uint8Array): Promise<ConvertResult> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let doc: Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes), // a copy: pdf.js may take the buffer over
      cMapUrl: `${PDFJS_DIR}/cmaps/`,
      cMapPacked: true,
      standardFontDataUrl: `${PDFJS_DIR}/standard_fonts/`,
      useSystemFonts: false,
      disableFontFace: true,
      isEvalSupported: false,
      verbosity: 0,
    }).promise;
  } catch (err) {
    const name = (err as { name?: string })?.name;
    if (name === 'PasswordException') return { ok: false, reason: 'encrypted PDF (it needs a password); save an unprotected copy' };
    if (name === 'InvalidPDFException') return { ok: false, reason: 'not a readable PDF (damaged or truncated file)' };
    return { ok: false, reason: `cannot be read as PDF (${(err as Error)?.message ?? String(err)})` };
  }
  try {
    const lines: Line[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [, y0, , y1] = page.view;
      const content = await page.getTextContent();
      const items = content.items.filter((i): i is typeof i & TextItemLike => 'str' in i);
      lines.push(...pageLines(items, n, Math.max(y0, y1), Math.min(y0, y1)));
      page.cleanup();
    }
    const visible = lines.map((l) => plainLine(l.text)).join('').replace(/\s+/g, '');
    if (visible === '') return { ok: false, reason: `no text layer — OCR it first (${doc.numPages} page${doc.numPages === 1 ? '' : 's'} of images)` };
    const unreadable = (visible.match(/[\uE000-\uF8FF\uFFFD\u0000-\u001F]/gu) ?? []).length;
    if (unreadable > 0.3 * visible.length) return { ok: false, reason: 'text layer unreadable (fonts without a Unicode mapping) — OCR it first' };

    dropFurniture(lines, doc.numPages);
    const text = linesToText(lines);
    const metadata: { title?: string; author?: string } = {};
    const info = ((await doc.getMetadata().catch(() => undefined))?.info ?? {}) as Record<string, unknown>;
    const title = typeof info.Title === 'string' ? tidyInfoTitle(info.Title) : undefined;
    if (title) metadata.title = title;
    const author = typeof info.Author === 'string' ? info.Author.trim() : '';
    if (author && [...author].length <= 40) metadata.author = author;
    return { ok: true, text, metadata };
  } finally {
    await doc.destroy();
  }
}

/** "Microsoft Word - 报告.docx" → "报告"; empty or file-like titles are ignored. */
function tidyInfoTitle(raw: string): string | undefined {
  const title = normaliseText(raw).replace(/^microsoft (?:word|powerpoint) - /i, '').replace(/\.(?:docx?|pdf|tex|pptx?)$/i, '').trim();
  if ([...title].length < 2 || /^(?:untitled|无标题|未命名|document\d*)$/i.test(title)) return undefined;
  return title;
}

/** Body lines → paragraphs; larger type → headings; small type at the foot of a page → notes. */
export function linesToText(all: Line[]): string {
  const lines = all.filter((l) => !l.dropped);
  const bodySize = mode(lines.map((l) => l.size), lines.map((l) => plainLine(l.text).length)) ?? 10;
  const pages = [...new Set(lines.map((l) => l.page))];

  // notes: the run of small-type lines at the bottom of each page
  for (const p of pages) {
    const onPage = lines.filter((l) => l.page === p);
    for (let i = onPage.length - 1; i >= 0 && onPage[i].size < 0.88 * bodySize; i--) onPage[i].role = 'note';
    // a run without a single note marker is not footnotes (a caption, a small-print paragraph)
    const run = onPage.filter((l) => l.role === 'note');
    if (!run.some((l) => NOTE_START.test(l.text))) for (const l of run) l.role = undefined;
  }
  for (const l of lines) {
    if (l.role) continue;
    l.role = l.size >= 1.1 * bodySize && [...plainLine(l.text)].length <= 60 ? 'heading' : 'body';
  }

  const body = lines.filter((l) => l.role === 'body' && Math.abs(l.size - bodySize) <= 1);
  const globalLeft = mode(body.map((l) => round(l.x0, 2))) ?? 0;
  const globalRight = body.length ? percentile(body.map((l) => l.x1), 0.9) : Infinity;
  const margins = new Map<number, { left: number; right: number }>();
  for (const p of pages) {
    const b = body.filter((l) => l.page === p);
    margins.set(p, b.length >= 4 ? { left: mode(b.map((l) => round(l.x0, 2)))!, right: percentile(b.map((l) => l.x1), 0.9) } : { left: globalLeft, right: globalRight });
  }
  const steps: number[] = [];
  for (let i = 1; i < body.length; i++) if (body[i].page === body[i - 1].page && body[i - 1].y > body[i].y) steps.push(round(body[i - 1].y - body[i].y, 1));
  const leading = mode(steps) ?? bodySize * 1.5;

  // heading levels by size: the largest heading on the first page is the title
  const headingSizes = [...new Set(lines.filter((l) => l.role === 'heading').map((l) => l.size))].sort((a, b) => b - a);
  const blocks: Block[] = [];
  let open: { block: Block; last: Line } | undefined;
  let pendingNotes: Block[] = [];
  let note: Block | undefined;
  let notesPage = 0;

  const close = () => {
    if (open) blocks.push(open.block);
    open = undefined;
    blocks.push(...pendingNotes);
    pendingNotes = [];
  };
  const startsParagraph = (a: Line, b: Line): boolean => {
    const m = margins.get(b.page)!;
    const ma = margins.get(a.page)!;
    if (b.x0 - m.left > 0.8 * b.size) return true; // first-line indent
    // the line before stopped short — unless the next line's first word would not have fitted in the gap
    // (ragged-right text wraps a long Latin word or number to the next line)
    const gap = ma.right - a.x1;
    if (gap > 1.5 * a.size) {
      const word = /^[A-Za-z0-9][A-Za-z0-9.,:;%'’()\-]*/u.exec(plainLine(b.text))?.[0];
      if (!word || gap > (word.length + 1) * 0.6 * b.size) return true;
    }
    if (a.page === b.page && a.y - b.y > 1.6 * leading) return true; // a blank line between
    return Math.abs(a.size - b.size) > 1;
  };

  for (const l of lines) {
    if (l.page !== notesPage) {
      // a new page: the previous page's notes follow the paragraph open at its foot
      note = undefined;
      notesPage = l.page;
      if (!open) {
        blocks.push(...pendingNotes);
        pendingNotes = [];
      }
    }
    if (l.role === 'note') {
      const line = noteLine(l.text);
      if (line || !note) {
        note = { kind: 'note', text: line ?? l.text, page: l.page };
        pendingNotes.push(note);
      } else note.text = joinParagraphText(note.text, l.text);
      continue;
    }
    if (l.role === 'heading') {
      const previous = open?.block.kind === 'heading' || open?.block.kind === 'title' ? open : undefined;
      if (previous && previous.last.size === l.size && previous.last.page === l.page && previous.last.y - l.y < 2.2 * l.size) {
        previous.block.text = joinParagraphText(previous.block.text, l.text);
        previous.last = l;
        continue;
      }
      close();
      const isTitle = blocks.every((b) => b.kind === 'note') && l.page === pages[0] && l.size === headingSizes[0];
      const level = isTitle ? 1 : Math.min(6, 2 + Math.max(0, headingSizes.indexOf(l.size) - (blocks.some((b) => b.kind === 'title') ? 1 : 0)));
      open = { block: { kind: isTitle ? 'title' : 'heading', text: l.text, page: l.page, level }, last: l };
      continue;
    }
    if (open && open.block.kind === 'paragraph' && !startsParagraph(open.last, l)) {
      open.block.text = joinParagraphText(open.block.text, l.text);
      open.last = l;
      continue;
    }
    close();
    open = { block: { kind: 'paragraph', text: l.text, page: l.page }, last: l };
  }
  close();

  const out: string[] = [];
  let page = 0;
  for (const b of blocks) {
    if (b.page !== page) {
      out.push(`\f${b.page}`);
      page = b.page;
    }
    const text = normaliseText(b.kind === 'paragraph' ? markCircledMarkers(b.text) : b.text);
    if (b.kind === 'title' || b.kind === 'heading') out.push(`${'#'.repeat(b.level ?? 2)} ${text}`);
    else out.push(text);
    out.push('');
  }
  return out.join('\n');
}

/** A circled number inside body text is a footnote marker: written as the .md path writes markers. */
function markCircledMarkers(text: string): string {
  return text.replace(/(<sup>[^<]*<\/sup>)|([\u2460-\u2473\u3251-\u325F\u32B1-\u32BF])/gu, (m, sup?: string, circled?: string) => sup ?? `<sup>${circled}</sup>`);
}
