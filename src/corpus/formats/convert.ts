import path from 'node:path';
import type { DocumentMetadata } from '../document.js';

/**
 * Documents as people have them. Every format is converted to the markdown-ish text the .md path reads
 * (`#` headings, blank-line paragraphs, `<sup>n</sup>` markers with `[^n]:` or `① ` notes, `表N` captions over
 * tab-separated rows, and `\f<n>` lines where page n starts), so metadata, cleaning, chunking, ids and search
 * keys are one path for all of them.
 */
export type DocumentFormat = 'md' | 'txt' | 'pdf' | 'html' | 'docx';

const BY_EXTENSION: Record<string, DocumentFormat> = {
  '.md': 'md', '.markdown': 'md', '.txt': 'txt', '.pdf': 'pdf', '.html': 'html', '.htm': 'html', '.xhtml': 'html', '.docx': 'docx',
};

/** The extensions ingest reads (for messages and `ingest --watch`). */
export const DOCUMENT_EXTENSIONS = Object.keys(BY_EXTENSION);

export function formatOfFile(file: string): DocumentFormat | undefined {
  return BY_EXTENSION[path.extname(file).toLowerCase()];
}

/** Why a file with an extension we do not read is skipped; what to do instead where there is a better road. */
export function unsupportedReason(file: string): string {
  const ext = path.extname(file).toLowerCase();
  const hint: Record<string, string> = {
    '.doc': 'save it as .docx',
    '.wps': 'save it as .docx',
    '.rtf': 'save it as .docx',
    '.odt': 'save it as .docx',
    '.mht': 'save the page as "Webpage, HTML only"',
    '.mhtml': 'save the page as "Webpage, HTML only"',
    '.epub': 'convert it to PDF or .docx',
    '.caj': 'download the PDF version',
  };
  const reads = '.md, .txt, .pdf, .html, .docx';
  return `unsupported format${ext ? ` (${ext})` : ' (no extension)'}; ${hint[ext] ? `${hint[ext]} — ` : ''}Lodestone reads ${reads}`;
}

/** Converted text and what the file itself says about its title, author, site or year. */
export type ConvertResult = { ok: true; text: string; metadata: DocumentMetadata } | { ok: false; reason: string };

/** Converts a PDF, web page or Word file; never throws (an unreadable file gives a reason for its warning). */
export async function convertDocument(format: 'pdf' | 'html' | 'docx', bytes: Uint8Array): Promise<ConvertResult> {
  try {
    // converters load on first use: a corpus of .md files never pays for pdf.js
    if (format === 'pdf') return await (await import('./pdf.js')).convertPdf(bytes);
    if (format === 'html') return await (await import('./html.js')).convertHtml(bytes);
    return await (await import('./docx.js')).convertDocx(bytes);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 160);
    return { ok: false, reason: `cannot be converted (${message})` };
  }
}
