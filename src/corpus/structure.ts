import { detectLang } from '../text/language.js';
import { isBoilerplateLine } from './boilerplate.js';
import { parseNumberedHeading, tidyHeadingText } from './headings.js';
import {
  MARKER_PATTERN,
  endsSentence,
  footnoteNumberKey,
  markerToken,
  parseFootnoteLine,
  stripInlineMarkup,
  stripTokens,
} from './markup.js';
import { shapeTable, splitRow } from './tables.js';

/**
 * From cleaned document text to its reading structure: sections, paragraphs (rejoined across page-break
 * footnote blocks), footnotes (each marker resolved to the first following footnote block carrying its
 * number), tables with headers, figure captions, abstracts. Pure; detects everything by shape.
 */

export interface SectionInfo {
  /** Typeable key used in passage ids: '4.3', '0' (before the first heading), 'abs', 'abs-en'. */
  key: string;
  /** How a reader names it in a citation: '四（三）', '内容提要', '' before the first heading. */
  label: string;
  /** Heading titles from the top. */
  path: string[];
}

export type ParagraphRole = 'body' | 'abstract' | 'keywords' | 'author';

export interface ParagraphItem {
  kind: 'paragraph';
  role: ParagraphRole;
  /** Text with resolved footnote markers as tokens (see markup.ts). */
  text: string;
  section: SectionInfo;
  /** Page it starts on, when the text marks pages (`\f<n>` lines from a PDF). */
  page?: number;
}
export interface NoteItem {
  kind: 'note';
  /** Index shared with the marker tokens that cite it. */
  index: number;
  /** '3' for ③, '*' for the title note. */
  numberKey: string;
  text: string;
  section: SectionInfo;
  page?: number;
}
export interface TableItem {
  kind: 'table';
  name: string;
  number: number;
  caption: string;
  headers: string[];
  rows: string[][];
  notes: string[];
  section: SectionInfo;
  page?: number;
}
export interface FigureItem {
  kind: 'figure';
  name: string;
  number: number;
  caption: string;
  notes: string[];
  section: SectionInfo;
  page?: number;
}
export type DocumentItem = ParagraphItem | NoteItem | TableItem | FigureItem;

export interface StructureStats {
  boilerplateLines: number;
  repeatedParagraphs: number;
  repeatedHeadings: number;
  /** Paragraphs rejoined after a page break (footnote block, figure or table in between). */
  joinedParagraphs: number;
  /** Footnote markers in kept text (title included) and how many found their footnote. */
  markers: number;
  resolvedMarkers: number;
  /** Footnote texts as printed, and distinct ones after identical repeats are merged. */
  footnoteLines: number;
  distinctFootnotes: number;
  /** English back matter belonging to another paper (printed before this paper's English title). */
  strayLines: number;
}

export interface DocumentStructure {
  /** The title line found in the text (first heading or first short line), if any. */
  title?: string;
  items: DocumentItem[];
  stats: StructureStats;
}

type UnitType = 'title' | 'heading' | 'text' | 'field' | 'footnote' | 'row';
interface Unit {
  type: UnitType;
  text: string;
  /** `#` count for markdown headings, 0 for ▍-style web headings. */
  hashes?: number;
  fieldName?: string;
  noteKey?: string;
  /** Length of the unit's last source line: only long lines are hard-wrapped prose. */
  lastLineLength?: number;
  dropped?: boolean;
  tail?: boolean;
  /** Page the unit starts on (converted PDFs only). */
  page?: number;
}

/** `\f<n>` on a line of its own: page n starts here (written by the PDF converter; the .md path cannot contain \f). */
const PAGE_MARK = /^\f(\d{1,5})$/;
/** `{ page }` when known, nothing otherwise: items of unpaged text stay exactly as they were. */
const pageOf = (u: { page?: number }): { page?: number } => (u.page !== undefined ? { page: u.page } : {});

const WEB_HEADING = /^[▍■◆▌]\s*(\S.{0,60})$/u;
const MD_HEADING = /^(#{1,6})\s+(.+?)\s*#*$/;
const FIELD = /^(?:\*\*)?【([^】]{1,20})】(?:\*\*)?\s*(.*)$/u;
const TABLE_CAPTION = /^表\s*(\d{1,3})\s*(\S.{0,90})$/u;
const FIGURE_CAPTION = /^图\s*(\d{1,3})\s*(\S.{0,90})$/u;
const CAPTION_NOTE = /^(?:资料来源|数据来源|来源|注|说明|sources?|notes?)\s*[:：\s]/iu;
const MAX_TITLE_CHARS = 80;

const ABSTRACT_FIELD = /^(内容提要|内容摘要|摘要|提要|abstract)$/i;
const KEYWORDS_FIELD = /^(关键词|关键字|key\s*words?)$/i;
const AUTHOR_FIELD = /^(作者简介|作者|author|about the author)$/i;
const CATALOGUE_FIELD = /^(中图分类号|文献标识码|文章编号|doi|收稿日期|基金项目)$/i;

/** Join two pieces of one paragraph: no space between Chinese, a space between English words, de-hyphenated. */
export function joinParagraphText(a: string, b: string): string {
  if (/[A-Za-z]-$/.test(a) && /^[a-z]/.test(b)) return a.slice(0, -1) + b;
  // a space only between Latin words (quotes included); Chinese runs join directly
  if (/[A-Za-z0-9,.;:)][”"]?$/.test(a) && /^[“"(]?[A-Za-z0-9]/.test(b)) return `${a} ${b}`;
  return a + b;
}

const plain = (text: string) => stripInlineMarkup(stripTokens(text.replace(MARKER_PATTERN, '')));
const normalisedForDedupe = (text: string) => plain(text).normalize('NFKC').replace(/\s+/g, '');

function toUnits(text: string, stats: StructureStats): Unit[] {
  const units: Unit[] = [];
  let blockOpen = false;
  let firstLine = true;
  let page: number | undefined;
  for (const rawLine of text.split('\n')) {
    const pageMark = PAGE_MARK.exec(rawLine);
    if (pageMark) {
      page = Number(pageMark[1]);
      blockOpen = false;
      continue;
    }
    const line = rawLine.replace(/\s+$/u, '');
    const trimmed = line.trim();
    if (trimmed === '') {
      blockOpen = false;
      continue;
    }
    if (isBoilerplateLine(trimmed)) {
      stats.boilerplateLines++;
      blockOpen = false;
      continue;
    }
    const prev = blockOpen ? units[units.length - 1] : undefined;
    let unit: Unit;
    const md = MD_HEADING.exec(trimmed);
    const web = WEB_HEADING.exec(trimmed);
    const note = parseFootnoteLine(trimmed);
    const field = FIELD.exec(trimmed);
    if (md) unit = { type: 'heading', text: md[2], hashes: md[1].length };
    else if (web) unit = { type: 'heading', text: web[1], hashes: 0 };
    else if (note) unit = { type: 'footnote', text: note.text, noteKey: note.key };
    else if (line.includes('\t')) unit = { type: 'row', text: line };
    else if (field) unit = { type: 'field', text: field[2], fieldName: field[1].trim() };
    else if (firstLine && trimmed.length <= MAX_TITLE_CHARS && !endsSentence(trimmed)) unit = { type: 'title', text: trimmed };
    else unit = { type: 'text', text: trimmed };
    firstLine = false;
    // A hard-wrapped paragraph (or a field running onto the next line) continues until a sentence ends.
    const wrapped = prev && (prev.type === 'text' || prev.type === 'field') && (prev.lastLineLength ?? 0) >= 30;
    if (unit.type === 'text' && prev && wrapped && !endsSentence(prev.text)) {
      prev.text = joinParagraphText(prev.text, unit.text);
      prev.lastLineLength = trimmed.length;
    } else {
      unit.lastLineLength = trimmed.length;
      if (page !== undefined) unit.page = page;
      units.push(unit);
    }
    blockOpen = true;
  }
  return units;
}

function isEnglish(text: string): boolean {
  return detectLang(plain(text)) === 'en';
}

/** Title, byline and English back matter: marks units that are not body text. */
function markFrontAndBack(units: Unit[], stats: StructureStats): string | undefined {
  let title: string | undefined;
  let i = 0;
  if (units[0] && (units[0].type === 'title' || (units[0].type === 'heading' && (units[0].hashes ?? 0) === 1))) {
    units[0].type = 'title';
    title = tidyHeadingText(plain(units[0].text));
    // byline: short name lines right under the title
    for (i = 1; i < units.length; i++) {
      const u = units[i];
      if (u.type !== 'text' || plain(u.text).length > 12 || /[，。,.：:；;]/.test(u.text)) break;
      u.dropped = true;
    }
  }
  // English back matter of a Chinese paper (journals print English abstracts at the end, sometimes with
  // the tail of the previous article's abstract on the same page).
  const body = units.filter((u) => u.type === 'text' || u.type === 'field').map((u) => u.text).join('\n');
  if (detectLang(plain(body)) === 'en') return title;
  let tailStart = units.length;
  while (tailStart > i) {
    const u = units[tailStart - 1];
    if (!['text', 'field', 'heading'].includes(u.type) || !isEnglish(u.text)) break;
    tailStart--;
  }
  const firstHeading = units.findIndex((u, k) => k >= tailStart && u.type === 'heading');
  for (let k = tailStart; k < units.length; k++) {
    units[k].tail = true;
    if (firstHeading !== -1 && k < firstHeading) {
      units[k].dropped = true;
      stats.strayLines++;
    }
  }
  if (firstHeading !== -1) {
    const next = units[firstHeading + 1];
    if (next && next.type === 'text' && plain(next.text).length <= 40 && !/[.;:!?]$/.test(plain(next.text))) next.dropped = true;
  }
  return title;
}

interface NoteBlock {
  start: number;
  byKey: Map<string, number>;
}

/** Numbers notes, merges identical repeats, and replaces each marker with a token for its note. */
function resolveFootnotes(units: Unit[], stats: StructureStats): { canonical: number[]; texts: string[]; unitNote: Map<number, number> } {
  const blocks: NoteBlock[] = [];
  const texts: string[] = [];
  const canonical: number[] = [];
  const unitNote = new Map<number, number>();
  const byText = new Map<string, number>();
  let block: NoteBlock | undefined;
  units.forEach((u, k) => {
    if (u.dropped) return;
    if (u.type !== 'footnote') {
      block = undefined;
      return;
    }
    if (!block) {
      block = { start: k, byKey: new Map() };
      blocks.push(block);
    }
    const index = texts.length;
    const text = stripInlineMarkup(u.text);
    texts.push(text);
    const key = text.normalize('NFKC').replace(/\s+/g, '');
    const first = byText.get(key);
    canonical.push(first ?? index);
    if (first === undefined) byText.set(key, index);
    if (!block.byKey.has(u.noteKey ?? '')) block.byKey.set(u.noteKey ?? '', index);
    unitNote.set(k, index);
    stats.footnoteLines++;
  });
  stats.distinctFootnotes = byText.size;
  units.forEach((u, k) => {
    if (u.dropped || u.type === 'footnote') return;
    u.text = u.text.replace(MARKER_PATTERN, (_m, sup?: string, md?: string) => {
      stats.markers++;
      const key = footnoteNumberKey(sup ?? md ?? '');
      const target = blocks.find((b) => b.start > k && b.byKey.has(key));
      if (!target) return '';
      stats.resolvedMarkers++;
      return markerToken(canonical[target.byKey.get(key)!]);
    });
  });
  return { canonical, texts, unitNote };
}

function shortHeadingLabel(title: string): string {
  const head = title.split(/[：:，,—|｜]/u)[0].trim();
  return [...head].slice(0, 12).join('');
}

class SectionTracker {
  private stack: Array<{ depth: number; key: string; numbering?: string; title: string }> = [];
  private siblingCounts = new Map<string, number>();
  current: SectionInfo = { key: '0', label: '', path: [] };

  enter(depth: number, title: string, numbered?: { number: number; numbering: string }): void {
    while (this.stack.length && this.stack[this.stack.length - 1].depth >= depth) this.stack.pop();
    const parentKey = this.stack.map((s) => s.key).join('.');
    let key: string;
    if (numbered) key = String(numbered.number);
    else {
      const countKey = `${parentKey}|${depth}`;
      const n = (this.siblingCounts.get(countKey) ?? 0) + 1;
      this.siblingCounts.set(countKey, n);
      key = String(n);
    }
    this.stack.push({ depth, key, numbering: numbered?.numbering, title });
    const numberedLabel = this.stack.filter((s) => s.numbering).map((s) => s.numbering).join('');
    const deepest = this.stack[this.stack.length - 1];
    const label = deepest.numbering ? numberedLabel : [numberedLabel, shortHeadingLabel(deepest.title)].filter(Boolean).join(' ');
    this.current = { key: this.stack.map((s) => s.key).join('.'), label, path: this.stack.map((s) => s.title) };
  }
}

function fieldSection(role: ParagraphRole, name: string, tail: boolean, tailTitle?: string): SectionInfo {
  const base = role === 'abstract' ? 'abs' : role === 'keywords' ? 'kw' : role === 'author' ? 'bio' : 'fm';
  return {
    key: tail ? `${base}-en` : base,
    label: name,
    path: tail && tailTitle ? [tailTitle, name] : [name],
  };
}

export function analyseDocument(text: string): DocumentStructure {
  const stats: StructureStats = {
    boilerplateLines: 0, repeatedParagraphs: 0, repeatedHeadings: 0, joinedParagraphs: 0, markers: 0,
    resolvedMarkers: 0, footnoteLines: 0, distinctFootnotes: 0, strayLines: 0,
  };
  const units = toUnits(text, stats);
  const title = markFrontAndBack(units, stats);
  const notes = resolveFootnotes(units, stats);

  const items: DocumentItem[] = [];
  const sections = new SectionTracker();
  const seenHeadings = new Set<string>();
  let open: ParagraphItem | undefined; // a paragraph that may continue after a page break
  let interrupted = false;
  let captionTarget: TableItem | FigureItem | undefined;
  let tableRows: string[][] | undefined;
  const rawRows = new Map<TableItem, string[][]>();
  let tailSection: SectionInfo | undefined;

  const closeParagraph = () => {
    open = undefined;
    captionTarget = undefined;
    tableRows = undefined;
  };
  const enterHeading = (depth: number, headingTitle: string, numbered?: { number: number; numbering: string }) => {
    const dedupeKey = headingTitle.normalize('NFKC').replace(/\s+/g, '');
    closeParagraph();
    if (seenHeadings.has(dedupeKey)) {
      stats.repeatedHeadings++;
      return;
    }
    seenHeadings.add(dedupeKey);
    sections.enter(depth, headingTitle, numbered);
  };
  const addParagraph = (role: ParagraphRole, paragraphText: string, section: SectionInfo, at: { page?: number } = {}) => {
    if (open && (open.role === 'body' || open.role === 'abstract') && !endsSentence(open.text)) {
      open.text = joinParagraphText(open.text, paragraphText);
      if (interrupted) stats.joinedParagraphs++;
    } else {
      open = { kind: 'paragraph', role, text: paragraphText, section, ...pageOf(at) };
      items.push(open);
    }
    interrupted = false;
    captionTarget = undefined;
    tableRows = undefined;
  };
  const currentSection = (u: Unit) => (u.tail && tailSection ? tailSection : sections.current);

  units.forEach((u, k) => {
    if (u.dropped || u.type === 'title') return;
    const body = stripInlineMarkup(u.text);
    if (u.type === 'footnote') {
      const index = notes.unitNote.get(k)!;
      if (notes.canonical[index] === index) {
        items.push({ kind: 'note', index, numberKey: u.noteKey ?? '', text: notes.texts[index], section: currentSection(u), ...pageOf(u) });
      }
      interrupted = true;
      return;
    }
    if (u.type === 'heading') {
      const rawHeading = plain(u.text);
      const headingText = tidyHeadingText(rawHeading);
      // numbering first: tidying would remove the space that separates "三" from its title
      const numbered = parseNumberedHeading(rawHeading);
      const sentenceLike = /[，。；,;]/.test(headingText) && (u.hashes ?? 0) > 0;
      if (u.tail) {
        closeParagraph();
        tailSection = { key: 'en', label: 'English', path: [headingText] };
        return;
      }
      if (numbered) return enterHeading(numbered.depth, numbered.title, numbered);
      if (!sentenceLike) return enterHeading(Math.max(1, u.hashes ?? 1), headingText);
      // a paragraph start the converter marked as a heading ("#### 第四，基于…的视角。学界对…"): body text
    }
    if (u.type === 'field') {
      const name = u.fieldName ?? '';
      if (CATALOGUE_FIELD.test(name)) return closeParagraph();
      const role: ParagraphRole = ABSTRACT_FIELD.test(name) ? 'abstract' : KEYWORDS_FIELD.test(name) ? 'keywords' : AUTHOR_FIELD.test(name) ? 'author' : 'body';
      closeParagraph();
      const section = role === 'body' ? currentSection(u) : fieldSection(role, name, !!u.tail, tailSection?.path[0]);
      addParagraph(role, role === 'body' ? `【${name}】${body}` : body, section, u);
      return;
    }
    if (u.type === 'row') {
      if (tableRows) {
        tableRows.push(splitRow(u.text));
        return;
      }
      addParagraph('body', splitRow(u.text).filter(Boolean).join('｜'), currentSection(u), u);
      return;
    }
    // text
    const caption = TABLE_CAPTION.exec(body) ?? FIGURE_CAPTION.exec(body);
    if (caption && !endsSentence(body)) {
      const number = Number(caption[1]);
      const isTable = body.startsWith('表');
      const name = `${isTable ? '表' : '图'}${number}`;
      const captionText = tidyHeadingText(caption[2]);
      if (isTable) {
        const table: TableItem = { kind: 'table', name, number, caption: captionText, headers: [], rows: [], notes: [], section: currentSection(u), ...pageOf(u) };
        items.push(table);
        tableRows = [];
        rawRows.set(table, tableRows);
        captionTarget = table;
      } else {
        const figure: FigureItem = { kind: 'figure', name, number, caption: captionText, notes: [], section: currentSection(u), ...pageOf(u) };
        items.push(figure);
        captionTarget = figure;
        tableRows = undefined;
      }
      interrupted = true;
      return;
    }
    if (captionTarget && CAPTION_NOTE.test(body)) {
      captionTarget.notes.push(body);
      return;
    }
    const numbered = !u.tail ? parseNumberedHeading(body) : undefined;
    if (numbered && !body.includes('\uE000')) return enterHeading(numbered.depth, numbered.title, numbered);
    addParagraph('body', body, currentSection(u), u);
  });

  for (const [table, rows] of rawRows) Object.assign(table, shapeTable(rows));

  // The web article repeats its whole body: keep each paragraph's first occurrence only.
  const seen = new Set<string>();
  const kept = items.filter((item) => {
    if (item.kind !== 'paragraph') return true;
    const key = normalisedForDedupe(item.text);
    if (key === '') return false;
    if (seen.has(key)) {
      stats.repeatedParagraphs++;
      return false;
    }
    seen.add(key);
    return true;
  });
  return { title, items: kept, stats };
}
