import mammoth from 'mammoth';
import { parseHTML } from 'linkedom';
import type { ConvertResult } from './convert.js';
import { htmlBlocksToText, type DomNode } from './html-blocks.js';

/**
 * A Word file through mammoth: heading styles become `#` headings (sections), paragraphs stay paragraphs,
 * tables become `表N` rows with their headers, footnotes and endnotes become notes linked to their markers.
 */

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function convertDocx(bytes: Uint8Array): Promise<ConvertResult> {
  if (!ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
    return { ok: false, reason: ole ? 'an old binary Word file or an encrypted .docx, not a .docx (save it as .docx without a password)' : 'not a .docx file (not a zip archive)' };
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      // pictures carry no text: drop them instead of inlining megabytes of base64
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), styleMap: ["p[style-name='Title'] => h1.doc-title:fresh", "p[style-name='标题'] => h1.doc-title:fresh"] },
    );
    html = result.value;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/central directory|zip/i.test(message)) return { ok: false, reason: 'not a .docx file (damaged zip archive)' };
    if (/word\/document\.xml|main document/i.test(message)) return { ok: false, reason: 'not a .docx file (no Word document inside the zip)' };
    return { ok: false, reason: `cannot be read as .docx (${message.split('\n')[0].slice(0, 120)})` };
  }
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const body = (document as unknown as { body: DomNode }).body;
  // a paragraph in the Title style names the document (a Heading 1 is a section)
  const titleNode = (document as unknown as { querySelector(s: string): DomNode | null }).querySelector('h1.doc-title');
  const title = titleNode?.textContent?.replace(/\s+/g, ' ').trim() || undefined;
  const text = htmlBlocksToText(body, { title });
  if (text.replace(/^#.*$/m, '').trim() === '') return { ok: false, reason: 'no text in the Word file' };
  return { ok: true, text, metadata: title ? { title } : {} };
}
