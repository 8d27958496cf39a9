import type { DocumentInfo } from '../core/passage.js';
import { isUnknownAuthor } from '../corpus/document.js';

/**
 * "周亚敏 2024"; without a named author the venue ("加西網 2025"), else the document id ("notes 2023"). Never
 * the title: every list that shows a label shows the title beside it ("[1] notes · ¶1 — 稀土回收的新进展"),
 * so a title-based label would say it twice.
 */
export function citationPrefix(info: DocumentInfo): string {
  const year = info.year ? ` ${info.year}` : '';
  if (!isUnknownAuthor(info.author)) return `${info.author}${year}`;
  const venue = info.venue?.replace(/^[《「“"]/, '').split(/[（(「《》」,，\s]/u)[0];
  if (venue) return `${venue}${year}`;
  return `${info.id}${year}`;
}

export const pieceSuffix = (index: number, count: number) => (count > 1 ? `（${index + 1}/${count}）` : '');

export function paragraphLabel(prefix: string, sectionLabel: string, paragraphNumber: number, piece: string): string {
  return `${prefix} · ${sectionLabel}¶${paragraphNumber}${piece}`;
}

export function footnoteLabel(prefix: string, numberDisplay: string, sectionLabel: string): string {
  return `${prefix} · 注${numberDisplay}${sectionLabel ? `（${sectionLabel}）` : ''}`;
}

export const tableRowLabel = (prefix: string, table: string, row: number) => `${prefix} · ${table} 第${row}行`;
export const captionLabel = (prefix: string, name: string) => `${prefix} · ${name}`;
export const fieldLabel = (prefix: string, name: string, piece: string) => `${prefix} · ${name}${piece}`;
/** "周亚敏 2024 · 四（三）¶5 · p. 3": the page a passage of a paged document (PDF) starts on. */
export const pageLabel = (label: string, page: number) => `${label} · p. ${page}`;
