import type { DocumentInfo } from '../core/passage.js';
import { isUnknownAuthor } from '../corpus/document.js';

/** "周亚敏 2024"; without a named author the venue ("加西網 2025"), else a short title. */
export function citationPrefix(info: DocumentInfo): string {
  const year = info.year ? ` ${info.year}` : '';
  if (!isUnknownAuthor(info.author)) return `${info.author}${year}`;
  const venue = info.venue?.replace(/^[《「“"]/, '').split(/[（(「《》」,，\s]/u)[0];
  if (venue) return `${venue}${year}`;
  return `${[...info.title].slice(0, 12).join('')}${year}`;
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
