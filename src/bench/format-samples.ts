import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Writers for documents in the formats ingest converts, used by the benchmark (ingest time per MB of each
 * format) and by the test fixtures (tests/fixtures/formats/make-fixtures.ts): a tiny PDF writer, a zip writer
 * (a .docx is a zip), and a GBK/Big5 encoder. No dependency: what they write is what a reader must handle.
 */

/**
 * A tiny PDF writer for test fixtures: text in the predefined CID fonts STSong-Light (Adobe-GB1, simplified)
 * and MSung-Light (Adobe-CNS1, traditional) with UCS-2 encodings, which readers must supply themselves (no
 * font embedded, as many Chinese PDFs are made), plus an image-only page and an encryption dictionary.
 */

export interface TextRun {
  /** 'sc' = STSong-Light (simplified), 'tc' = MSung-Light (traditional). */
  font?: 'sc' | 'tc';
  size: number;
  x: number;
  y: number;
  text: string;
}

export interface PdfPage {
  runs?: TextRun[];
  /** A grey image covering the page and no text: what a scanner produces. */
  image?: boolean;
}

export interface PdfOptions {
  /** Adds a standard-security-handler /Encrypt entry whose user password is not empty. */
  encrypted?: boolean;
  title?: string;
  author?: string;
}

const hexUcs2 = (text: string) =>
  [...text].map((ch) => ch.codePointAt(0)!.toString(16).padStart(4, '0')).join('').toUpperCase();

export function writePdf(pages: PdfPage[], options: PdfOptions = {}): Buffer {
  const objects: Array<string | Buffer> = [];
  const add = (body: string | Buffer) => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add('');
  const pagesObj = add('');
  const fontSc = add(type0Font('STSong-Light', 'UniGB-UCS2-H', 'GB1', 2));
  const fontTc = add(type0Font('MSung-Light', 'UniCNS-UCS2-H', 'CNS1', 0));
  const kids: number[] = [];
  for (const page of pages) {
    let content = '';
    const resources: string[] = [`/Font << /F1 ${fontSc} 0 R /F2 ${fontTc} 0 R >>`];
    if (page.image) {
      const w = 8;
      const h = 8;
      const pixels = Buffer.alloc(w * h, 0x88);
      const img = add(Buffer.concat([
        Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n`),
        pixels,
        Buffer.from('\nendstream'),
      ]));
      resources.push(`/XObject << /Im1 ${img} 0 R >>`);
      content += 'q 595 0 0 842 0 0 cm /Im1 Do Q\n';
    }
    for (const run of page.runs ?? []) {
      content += `BT /${run.font === 'tc' ? 'F2' : 'F1'} ${run.size} Tf ${run.x} ${run.y} Td <${hexUcs2(run.text)}> Tj ET\n`;
    }
    const stream = add(`<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`);
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 595 842] /Resources << ${resources.join(' ')} >> /Contents ${stream} 0 R >>`));
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let info: number | undefined;
  if (options.title || options.author) {
    const title = options.title ? ` /Title <FEFF${hexUcs2(options.title)}>` : '';
    const author = options.author ? ` /Author <FEFF${hexUcs2(options.author)}>` : '';
    info = add(`<<${title}${author} >>`);
  }
  let encrypt: number | undefined;
  if (options.encrypted) {
    // V1/R2 RC4 with O and U entries that no empty password opens: readers must ask for a password
    const o = 'A'.repeat(64);
    const u = 'B'.repeat(64);
    encrypt = add(`<< /Filter /Standard /V 1 /R 2 /O <${o}> /U <${u}> /P -44 >>`);
  }

  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = chunks[0].length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const piece = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n')]);
    chunks.push(piece);
    length += piece.length;
  });
  const xrefAt = length;
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) xref += `${String(off).padStart(10, '0')} 00000 n \n`;
  const id = '<0123456789ABCDEF0123456789ABCDEF>';
  xref += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${info ? ` /Info ${info} 0 R` : ''}${encrypt ? ` /Encrypt ${encrypt} 0 R` : ''} /ID [${id} ${id}] >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(chunks);

  function type0Font(base: string, encoding: string, ordering: string, supplement: number): string {
    const descriptor = add(`<< /Type /FontDescriptor /FontName /${base} /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>`);
    const cid = add(`<< /Type /Font /Subtype /CIDFontType0 /BaseFont /${base} /CIDSystemInfo << /Registry (Adobe) /Ordering (${ordering}) /Supplement ${supplement} >> /FontDescriptor ${descriptor} 0 R /DW 1000 /W [1 95 500] >>`);
    return `<< /Type /Font /Subtype /Type0 /BaseFont /${base}-${encoding} /Encoding /${encoding} /DescendantFonts [${cid} 0 R] >>`;
  }
}

/**
 * Lays Chinese prose out as a printed page would: lines of `perLine` characters from the left margin, a
 * first-line indent of two characters, so a reader has to rejoin the lines into paragraphs. `{①}` in the text
 * is set as a superscript footnote marker (small type, raised).
 */
export function layoutParagraphs(paragraphs: Array<{ text: string; font?: 'sc' | 'tc'; indent?: boolean }>, opts: { top: number; size?: number; perLine?: number; left?: number; leading?: number }): { runs: TextRun[]; bottom: number } {
  const size = opts.size ?? 12;
  const perLine = opts.perLine ?? 36;
  const left = opts.left ?? 72;
  const leading = opts.leading ?? size * 1.6;
  const runs: TextRun[] = [];
  let y = opts.top;
  for (const p of paragraphs) {
    // tokens: one character, or one superscript marker
    const tokens = [...p.text.matchAll(/\{([^}]+)\}|./gsu)].map((m) => (m[1] ? { sup: m[1] } : { ch: m[0] }));
    let first = p.indent !== false;
    while (tokens.length) {
      let room = first ? perLine - 2 : perLine;
      let x = left + (first ? 2 * size : 0);
      let text = '';
      let start = x;
      const flush = () => {
        if (text) runs.push({ font: p.font, size, x: start, y, text });
        text = '';
      };
      // CJK characters are one em wide, ASCII half an em (the fonts' /W arrays)
      const em = (ch: string) => (ch.codePointAt(0)! < 0x80 ? 0.5 : 1);
      // a Latin word or a number is not broken across lines (unless it is longer than a line)
      const wordWidth = () => {
        let w = 0;
        for (let i = 0; i < tokens.length && tokens[i].ch && /[A-Za-z0-9.%]/.test(tokens[i].ch!); i++) w += em(tokens[i].ch!);
        return w;
      };
      while (tokens.length && (tokens[0].sup || room >= em(tokens[0].ch!))) {
        if (tokens[0].ch && /[A-Za-z0-9]/.test(tokens[0].ch) && !/[A-Za-z0-9.%]/.test(text.slice(-1) || ' ') && wordWidth() > room && wordWidth() <= perLine / 2) break;
        const t = tokens.shift()!;
        if (t.sup) {
          flush();
          runs.push({ font: p.font, size: size * 0.6, x, y: y + size * 0.4, text: t.sup });
          x += size * 0.3 * [...t.sup].length;
          start = x;
        } else {
          text += t.ch;
          x += size * em(t.ch!);
          room -= em(t.ch!);
        }
      }
      flush();
      first = false;
      y -= leading;
    }
  }
  return { runs, bottom: y };
}

/** A zip archive of stored and deflated entries: what a .docx is. */
export function zip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content, 'utf8');
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}


/**
 * Encodes text in GBK or Big5, as old Chinese web pages are saved, by inverting Node's own (WHATWG) decoder
 * over every two-byte code: no encoding library needed for the fixtures.
 */
const tables = new Map<string, Map<string, number[]>>();

function table(encoding: 'gbk' | 'big5'): Map<string, number[]> {
  let map = tables.get(encoding);
  if (map) return map;
  map = new Map();
  const decoder = new TextDecoder(encoding);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      const ch = decoder.decode(Uint8Array.of(lead, trail));
      if ([...ch].length === 1 && ch !== '\uFFFD' && !map.has(ch)) map.set(ch, [lead, trail]);
    }
  }
  tables.set(encoding, map);
  return map;
}

export function encodeLegacy(text: string, encoding: 'gbk' | 'big5'): Buffer {
  const map = table(encoding);
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = map.get(ch);
      if (!pair) throw new Error(`${encoding} cannot encode ${ch}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

// ---------------------------------------------------------------- samples for the ingest benchmark

export interface FormatSample {
  format: 'md' | 'txt' | 'pdf' | 'html' | 'docx';
  file: string;
  bytes: Buffer;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A printed-page PDF of the sections: 36 characters a line, 36 lines a page, a running header and page numbers. */
export function samplePdf(sections: Array<{ heading: string; paragraphs: string[] }>): Buffer {
  const leading = 19.2;
  const linesPerPage = 36;
  const { runs } = layoutParagraphs(sections.flatMap((s) => s.paragraphs.map((text) => ({ text }))), { top: 0, leading });
  const pages: PdfPage[] = [];
  for (const run of runs) {
    const line = Math.round(-run.y / leading);
    const n = Math.floor(line / linesPerPage);
    while (pages.length <= n) {
      const number = pages.length + 1;
      pages.push({ runs: [{ size: 9, x: 72, y: 800, text: '基准测试文集 第1卷' }, { size: 9, x: 292, y: 40, text: String(number) }] });
    }
    pages[n].runs!.push({ ...run, y: 760 - (line % linesPerPage) * leading });
  }
  return writePdf(pages, { title: 'benchmark sample' });
}

/** A saved news page: navigation, the article with its sections, a 相关阅读 list, comments and a footer. */
export function sampleHtml(title: string, sections: Array<{ heading: string; paragraphs: string[] }>): Buffer {
  const body = sections.map((s) => `<h2>${escapeXml(s.heading)}</h2>\n${s.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('\n')}`).join('\n');
  return Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeXml(title)}_示例新闻网</title></head><body>
<nav><a href="/">首页</a> <a href="/news">新闻</a></nav><div class="ad-banner">广告</div>
<article><h1>${escapeXml(title)}</h1>\n${body}
<div class="related"><h3>相关阅读</h3><ul><li><a href="/1">另一篇文章</a></li></ul></div></article>
<div id="comments">网友评论</div><footer>版权所有</footer></body></html>`);
}

/** A Word file: Title, Heading 1 sections, paragraphs. */
export function sampleDocx(title: string, sections: Array<{ heading: string; paragraphs: string[] }>): Buffer {
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const para = (text: string, style?: string) => `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
  const body = [para(title, 'Title'), ...sections.flatMap((s) => [para(s.heading, 'Heading1'), ...s.paragraphs.map((p) => para(p))])].join('');
  const style = (id: string, name: string) => `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
  return zip({
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/_rels/document.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`,
    'word/styles.xml': `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>${style('Normal', 'Normal')}${style('Title', 'Title')}${style('Heading1', 'heading 1')}</w:styles>`,
  });
}
