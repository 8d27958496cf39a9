import type { LoadedDocument } from '../corpus/document.js';
import { footnoteNumberDisplay, stripTokens, tokensIn } from '../corpus/markup.js';
import { analyseDocument, type DocumentItem, type ParagraphItem, type StructureStats } from '../corpus/structure.js';
import { tableRowText } from '../corpus/tables.js';
import { searchKey } from '../text/searchKey.js';
import { captionLabel, citationPrefix, fieldLabel, footnoteLabel, pageLabel, paragraphLabel, pieceSuffix, tableRowLabel } from './labels.js';
import type { Passage, PassageKind } from '../core/passage.js';
import { assignIds, textHash, type IdRequest } from './passage-id.js';
import { splitIntoPieces, type PieceOptions } from './sentences.js';

/** A passage before ids are final: links are kept as note indices until every id is known. */
interface Draft {
  kind: PassageKind;
  idRequest: IdRequest;
  label: string;
  text: string;
  sectionPath: string[];
  table?: string;
  /** paragraph: note indices it cites */
  cites: number[];
  /** footnote: its note index */
  noteIndex?: number;
  /** Page the passage starts on (paged documents only). */
  page?: number;
}

export interface ChunkReport {
  passages: Passage[];
  stats: StructureStats;
}

const FIELD_NAMES_EN: Record<string, string> = { abstract: 'Abstract', keywords: 'Key Words', author: 'Author' };

/** Passages of one document: paragraphs (split when long), footnotes, table rows, captions, abstracts. Pure. */
export function chunkDocument(doc: LoadedDocument, options: PieceOptions = {}): Passage[] {
  return chunkDocumentWithReport(doc, options).passages;
}

/** Same as chunkDocument, with what cleaning found (boilerplate, repeats, footnote markers resolved). */
export function chunkDocumentWithReport(doc: LoadedDocument, options: PieceOptions = {}): ChunkReport {
  const { items, stats } = analyseDocument(doc.text);
  const docId = doc.info.id;
  const prefix = citationPrefix(doc.info);
  const drafts: Draft[] = [];
  const paragraphCounts = new Map<string, number>();
  // a footnote is labelled with the section of the first paragraph citing it
  const noteSection = new Map<number, string>();
  for (const item of items) {
    if (item.kind !== 'paragraph' || item.role !== 'body') continue;
    for (const n of tokensIn(item.text)) if (!noteSection.has(n)) noteSection.set(n, item.section.label);
  }

  for (const item of items) drafts.push(...draftsFor(item).map((d) => (item.page !== undefined ? { ...d, page: item.page } : d)));

  const ids = assignIds(drafts.map((d) => d.idRequest));
  const noteIds = new Map<number, string>();
  drafts.forEach((d, i) => d.noteIndex !== undefined && noteIds.set(d.noteIndex, ids[i]));
  const passages: Passage[] = drafts.map((d, i) => ({
    id: ids[i],
    docId,
    kind: d.kind,
    label: d.page !== undefined ? pageLabel(d.label, d.page) : d.label,
    text: d.text,
    searchKey: searchKey(d.text),
    sectionPath: d.sectionPath,
    ordinal: i,
    footnotes: [...new Set(d.cites.map((n) => noteIds.get(n)).filter((id): id is string => id !== undefined))],
    citedBy: [],
    ...(d.table ? { table: d.table } : {}),
    ...(d.page !== undefined ? { page: d.page } : {}),
  }));
  const byId = new Map(passages.map((p) => [p.id, p]));
  for (const p of passages) for (const f of p.footnotes) byId.get(f)?.citedBy.push(p.id);
  return { passages, stats };

  function draftsFor(item: DocumentItem): Draft[] {
    switch (item.kind) {
      case 'paragraph':
        return paragraphDrafts(item);
      case 'note':
        return [{
          kind: 'footnote',
          idRequest: { base: `${docId}:n`, hash: textHash(item.text) },
          label: footnoteLabel(prefix, footnoteNumberDisplay(item.numberKey), noteSection.get(item.index) ?? item.section.label),
          text: item.text,
          sectionPath: item.section.path,
          cites: [],
          noteIndex: item.index,
        }];
      case 'table': {
        const tableKey = `t${item.number}`;
        const captionText = [
          `${item.name} ${item.caption}`,
          item.headers.length ? `（列：${item.headers.join('｜')}）` : '',
          ...item.notes,
        ].filter(Boolean).join(' ');
        const caption: Draft = {
          kind: 'caption', idRequest: { base: `${docId}:${tableKey}`, hash: '' }, label: captionLabel(prefix, item.name),
          text: captionText, sectionPath: item.section.path, table: item.name, cites: [],
        };
        const rows = item.rows.map((row, r): Draft => {
          const text = tableRowText(item.name, item.caption, item.headers, row);
          return {
            kind: 'table-row', idRequest: { base: `${docId}:${tableKey}:r`, hash: textHash(text) },
            label: tableRowLabel(prefix, item.name, r + 1), text, sectionPath: item.section.path, table: item.name, cites: [],
          };
        });
        return [caption, ...rows];
      }
      case 'figure':
        return [{
          kind: 'caption', idRequest: { base: `${docId}:fig${item.number}`, hash: '' }, label: captionLabel(prefix, item.name),
          text: [`${item.name} ${item.caption}`, ...item.notes].join(' '), sectionPath: item.section.path, table: item.name, cites: [],
        }];
    }
  }

  function paragraphDrafts(item: ParagraphItem): Draft[] {
    const pieces = splitIntoPieces(item.text, options);
    const english = item.section.key.endsWith('-en');
    let number = 0;
    if (item.role === 'body') {
      number = (paragraphCounts.get(item.section.key) ?? 0) + 1;
      paragraphCounts.set(item.section.key, number);
    }
    return pieces.map((piece, i): Draft => {
      const text = stripTokens(piece).trim();
      const suffix = pieceSuffix(i, pieces.length);
      const label = item.role === 'body'
        ? paragraphLabel(prefix, item.section.label, number, suffix)
        : fieldLabel(prefix, english ? FIELD_NAMES_EN[item.role] ?? item.section.label : item.section.label, suffix);
      return {
        kind: item.role === 'abstract' || item.role === 'keywords' ? 'abstract' : 'paragraph',
        idRequest: { base: `${docId}:${item.section.key}:p`, hash: textHash(text) },
        label,
        text,
        sectionPath: item.section.path,
        cites: tokensIn(piece),
      };
    });
  }
}
