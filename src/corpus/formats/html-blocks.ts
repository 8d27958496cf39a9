import { normaliseText } from '../../text/searchKey.js';

/**
 * An HTML fragment (a web article as Readability extracted it, or a Word file as mammoth converted it) as the
 * markdown-ish text the .md path reads: `#` headings, one paragraph per block separated by blank lines,
 * footnote markers as `<sup>n</sup>` and notes as `[^n]: text`, tables as a `表N caption` line followed by
 * tab-separated rows (the shape src/corpus/tables.ts expects). Works on any DOM (linkedom here) through the
 * few node properties it needs.
 */

/** The part of a DOM node this walker reads. */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  childNodes: ArrayLike<DomNode>;
  textContent: string | null;
  getAttribute?(name: string): string | null;
}

export interface HtmlBlockOptions {
  /** The document title: written as the `#` heading on top; an identical heading in the body is dropped. */
  title?: string;
}

const ELEMENT = 1;
const TEXT = 3;
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'SVG', 'CANVAS', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'FORM', 'NAV', 'IMG', 'OBJECT', 'VIDEO', 'AUDIO']);
const BLOCK = new Set([
  'P', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'HEADER', 'ASIDE', 'FOOTER', 'BLOCKQUOTE', 'LI', 'UL', 'OL', 'DL', 'DT', 'DD',
  'FIGURE', 'FIGCAPTION', 'PRE', 'ADDRESS', 'HR', 'CENTER', 'DETAILS', 'SUMMARY', 'BODY', 'HTML', 'CAPTION',
]);
const HEADING = /^H([1-6])$/;
/** What a footnote reference looks like inside <sup>: ①, 3, [3], *. */
const SUP_MARKER = /^\s*\[?\s*(?:[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]|\d{1,3}|\*{1,3})\s*\]?\s*$/u;
/** mammoth's footnote list items: <li id="footnote-3">, <li id="endnote-1">. */
const NOTE_ITEM = /^(?:foot|end)note-(\d+)$/;
const TABLE_CAPTION = /^表\s*(\d{1,3})/u;

/** Whitespace as a browser shows it, runs collapsed; a source line break between two Han characters leaves no space (Chinese pages wrap their source anywhere). */
export function collapseHtmlSpace(text: string): string {
  return text
    .replace(/(\p{Script=Han}|[，。、；：！？）》」”])[ \t\u00A0]*\r?\n\s*(?=\p{Script=Han}|[（《「“，。、；：！？])/gu, '$1')
    .replace(/[\s\u00A0]+/g, ' ')
    .trim();
}

export function htmlBlocksToText(root: DomNode, options: HtmlBlockOptions = {}): string {
  const out: string[] = [];
  const titleKey = options.title ? collapseHtmlSpace(options.title).replace(/\s+/g, '') : undefined;
  if (options.title) out.push(`# ${collapseHtmlSpace(options.title)}`);
  let inline = '';
  let tableCount = 0;
  let lastHeading = options.title ?? '';

  const flush = () => {
    const text = collapseHtmlSpace(inline);
    inline = '';
    if (text !== '') out.push(text);
  };
  const element = (node: DomNode) => node.nodeName.toUpperCase();
  const attr = (node: DomNode, name: string) => node.getAttribute?.(name) ?? null;

  /** Inline text of a node, markers kept as <sup>n</sup>, mammoth's "↑" back links dropped. */
  const inlineText = (node: DomNode): string => {
    if (node.nodeType === TEXT) return node.textContent ?? '';
    if (node.nodeType !== ELEMENT) return '';
    const tag = element(node);
    if (SKIP.has(tag)) return '';
    if (tag === 'BR') return ' ';
    if (tag === 'A' && /^#(?:foot|end)note-ref-/.test(attr(node, 'href') ?? '')) return '';
    const inner = Array.from(node.childNodes).map(inlineText).join('');
    if (tag === 'SUP' && SUP_MARKER.test(inner)) return `<sup>${inner.trim()}</sup>`;
    return inner;
  };

  const walk = (node: DomNode): void => {
    if (node.nodeType === TEXT) {
      inline += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== ELEMENT) return;
    const tag = element(node);
    if (SKIP.has(tag)) return;
    const heading = HEADING.exec(tag);
    if (heading) {
      flush();
      const text = collapseHtmlSpace(inlineText(node));
      if (text === '' || text.replace(/\s+/g, '') === titleKey) return;
      // the title is the only `#`: the article's own headings move one level down
      out.push(`${'#'.repeat(Math.min(6, Number(heading[1]) + (options.title ? 1 : 0)))} ${text}`);
      lastHeading = text;
      return;
    }
    if (tag === 'TABLE') {
      flush();
      table(node);
      return;
    }
    if (tag === 'BR') {
      flush();
      return;
    }
    if (tag === 'LI' && NOTE_ITEM.test(attr(node, 'id') ?? '')) {
      flush();
      const n = NOTE_ITEM.exec(attr(node, 'id') ?? '')![1];
      const text = collapseHtmlSpace(inlineText(node)).replace(/\s*↑\s*$/u, '');
      if (text) out.push(`[^${n}]: ${text}`);
      return;
    }
    if (tag === 'SUP' || tag === 'A' || !BLOCK.has(tag)) {
      if (tag === 'SUP' || tag === 'A') {
        inline += inlineText(node);
        return;
      }
      for (const child of Array.from(node.childNodes)) walk(child);
      return;
    }
    flush();
    for (const child of Array.from(node.childNodes)) walk(child);
    flush();
  };

  const table = (node: DomNode) => {
    const rows: string[][] = [];
    const collectRows = (n: DomNode) => {
      for (const child of Array.from(n.childNodes)) {
        if (child.nodeType !== ELEMENT) continue;
        const tag = element(child);
        if (tag === 'TR') {
          const cells: string[] = [];
          for (const cell of Array.from(child.childNodes)) {
            if (cell.nodeType !== ELEMENT || !['TD', 'TH'].includes(element(cell))) continue;
            const text = collapseHtmlSpace(cellText(cell)).replace(/\t/g, ' ');
            cells.push(text);
            const span = Number(attr(cell, 'colspan') ?? '1');
            for (let s = 1; s < Math.min(span, 20); s++) cells.push('');
          }
          rows.push(cells);
        } else if (tag !== 'TABLE') collectRows(child); // thead, tbody, tfoot
      }
    };
    collectRows(node);
    const captionNode = Array.from(node.childNodes).find((c) => c.nodeType === ELEMENT && element(c) === 'CAPTION');
    const width = Math.max(0, ...rows.map((r) => r.length));
    const filled = rows.filter((r) => r.some((c) => c !== ''));
    if (width < 2 || filled.length < 2) {
      // a layout table, or one cell of text: its contents are paragraphs
      for (const child of Array.from(node.childNodes)) walk(child);
      flush();
      return;
    }
    tableCount++;
    const caption = captionNode ? collapseHtmlSpace(inlineText(captionNode)) : '';
    const previous = out[out.length - 1] ?? '';
    const printed = TABLE_CAPTION.exec(caption) ?? TABLE_CAPTION.exec(previous);
    if (printed) tableCount = Number(printed[1]);
    if (caption && TABLE_CAPTION.test(caption)) out.push(caption);
    else if (!TABLE_CAPTION.test(previous)) out.push(`表${tableCount} ${caption || lastHeading || '表格'}`.trim());
    for (const r of filled) out.push(r.join('\t'));
    out.push('');
  };

  /** A cell's text: its paragraphs joined by a space. */
  const cellText = (cell: DomNode): string => {
    const parts: string[] = [];
    let current = '';
    const visit = (n: DomNode) => {
      if (n.nodeType === ELEMENT && BLOCK.has(element(n))) {
        parts.push(current);
        current = '';
        for (const c of Array.from(n.childNodes)) visit(c);
        parts.push(current);
        current = '';
        return;
      }
      if (n.nodeType === ELEMENT && element(n) !== 'SUP' && element(n) !== 'A' && !SKIP.has(element(n))) {
        for (const c of Array.from(n.childNodes)) visit(c);
        return;
      }
      current += inlineText(n);
    };
    for (const c of Array.from(cell.childNodes)) visit(c);
    parts.push(current);
    return parts.map((p) => collapseHtmlSpace(p)).filter(Boolean).join(' ');
  };

  walk(root);
  flush();
  // blocks are separated by blank lines; a table's rows stay together, one per line
  const lines: string[] = [];
  for (let i = 0; i < out.length; i++) {
    const block = out[i];
    if (block === '') continue;
    lines.push(normaliseText(block));
    const next = out[i + 1];
    const isRow = block.includes('\t');
    if (!(isRow && next !== undefined && next.includes('\t'))) lines.push('');
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
