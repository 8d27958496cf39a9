import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPassages } from '../../src/chunking/build.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { convertHtml, declaredCharset } from '../../src/corpus/formats/html.js';
import { linesToText } from '../../src/corpus/formats/pdf.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import type { Passage } from '../../src/core/passage.js';
import { encodeLegacy, sampleDocx, sampleHtml, samplePdf } from '../../src/bench/format-samples.js';
import { benchFormats } from '../../src/bench/ingest-bench.js';
import { PAGE_BOILERPLATE } from '../fixtures/formats/make-fixtures.js';
import { REPO_CORPUS_DIR } from '../support/paths.js';
import { sourcesText } from '../../src/cli/format.js';
import { renderSources } from '../../src/bot/renderLookups.js';
import { makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from '../support/workspace.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'formats');
const GOOD = ['qingshi-rare-earths-2025.pdf', 'qingshi-battery-recycling.html', 'qingshi-gallium-briefing.docx'];
const BAD = readdirSync(path.join(FIXTURES, 'bad'));

let ws: Workspace;
let librarian: LibrarianService;
let passages: Passage[];
let warnings: string[];

beforeAll(async () => {
  // the repo's corpus plus a PDF, a saved web page, a Word file and the bad files a user might drop in
  ws = makeWorkspace('formats');
  for (const file of GOOD) copyFileSync(path.join(FIXTURES, file), path.join(ws.corpusDir, file));
  for (const file of BAD) copyFileSync(path.join(FIXTURES, 'bad', file), path.join(ws.corpusDir, file));
  const built = await buildPassages(ws.corpusDir);
  passages = built.passages;
  warnings = built.warnings;
  librarian = await openLibrarian(ws);
}, 240_000);

afterAll(async () => {
  await librarian?.close();
  removeWorkspace(ws);
});

const ofDoc = (docId: string) => passages.filter((p) => p.docId === docId);

describe('a question about a fact in each format is answered citing that file', () => {
  it.each([
    ['青石市如何处理废旧电机中的稀土永磁材料？', 'qingshi-rare-earths-2025', /1200吨/, 'p. 2'],
    ['臺灣的稀土磁材進口有多少來自日本？', 'qingshi-rare-earths-2025', /七成來自日本/, 'p. 1'],
    ['废旧锂电池的处理能力是多少？', 'qingshi-battery-recycling', /3\.2万吨/, undefined],
    ['锗的主要买家是哪个国家？', 'qingshi-gallium-briefing', /比利时/, undefined],
  ])('%s', async (question, docId, fact, page) => {
    const answer = await librarian.ask(question);
    expect(answer.supported).toBe(true);
    const citation = answer.citations.find((c) => c.docId === docId && fact.test(c.text));
    expect(citation, JSON.stringify(answer.citations.map((c) => [c.docId, c.label, c.text]))).toBeDefined();
    if (page) expect(citation!.label).toContain(page);
    else expect(citation!.label).not.toMatch(/p\. \d/);
  });

  it('/sources lists each document with its format', () => {
    const formats = Object.fromEntries(librarian.sources().map((s) => [s.doc.file, s.doc.format]));
    expect(formats).toMatchObject({
      'qingshi-rare-earths-2025.pdf': 'pdf',
      'qingshi-battery-recycling.html': 'html',
      'qingshi-gallium-briefing.docx': 'docx',
      'zhou2024-green-digital-decoupling.md': 'md',
      'jxw2025-weaponised-interdependence-minerals.txt': 'txt',
    });
    const cli = sourcesText(librarian.sources()).split('\n');
    expect(cli.find((l) => l.startsWith('qingshi-rare-earths-2025:'))).toContain('(pdf, zh-Hans;');
    expect(cli.find((l) => l.startsWith('qingshi-gallium-briefing:'))).toContain('(docx, zh-Hans;');
    const discord = JSON.stringify(renderSources(librarian.sources(), 'en'));
    for (const format of ['PDF', 'HTML', 'DOCX', 'MD', 'TXT']) expect(discord).toContain(` · ${format}`);
  });
});

describe('PDF', () => {
  it('rejoins the lines of a paragraph, also across a page break in the middle of a sentence, and keeps its first page', () => {
    const joined = ofDoc('qingshi-rare-earths-2025').find((p) => p.text.includes('每吨氧化镨钕的综合能耗下降了百分之二十三'));
    expect(joined?.page).toBe(1);
    expect(joined?.text).toMatch(/^青石市的稀土分离厂.*节能示范项目。$/);
    expect(joined?.label).toMatch(/¶\d+ · p\. 1$/);
  });

  it('drops the running header and the page numbers, keeps the sections, the footnote and what cites it', () => {
    const pdf = ofDoc('qingshi-rare-earths-2025');
    expect(pdf.some((p) => p.text.includes('青石经济评论'))).toBe(false);
    expect(pdf.some((p) => /^\d+$/.test(p.text.trim()))).toBe(false);
    const recycled = pdf.find((p) => p.text.includes('1200吨'))!;
    expect(recycled.sectionPath).toEqual(['二 回收利用']);
    const note = pdf.find((p) => p.kind === 'footnote')!;
    expect(note.text).toBe('数据来源：青石市海关二〇二四年进出口统计。');
    expect(note.label).toContain('注①');
    const citing = pdf.find((p) => p.footnotes.includes(note.id))!;
    expect(citing.text).toContain('一万八千吨');
    expect(citing.text).not.toContain('①');
    expect(pdf.every((p) => p.page === 1 || p.page === 2)).toBe(true);
  });

  it('keeps simplified and traditional lines in their own script, with the title from the file', () => {
    expect(ofDoc('qingshi-rare-earths-2025').some((p) => p.text.startsWith('臺灣的稀土磁材進口有七成來自日本'))).toBe(true);
    const doc = librarian.sources().find((s) => s.doc.id === 'qingshi-rare-earths-2025')!.doc;
    expect(doc).toMatchObject({ title: '青石市稀土供应链调查', author: '王明', year: 2025, format: 'pdf' });
    expect(ofDoc('qingshi-rare-earths-2025').find((p) => p.text.includes('1200吨'))?.label).toBe('王明 2025 · 二¶1 · p. 2');
  });

  it('a line break inside a Chinese sentence is not a paragraph break; a short last line is', () => {
    const line = (text: string, y: number, x0 = 72, x1 = 504) => ({ text, x0, x1, y, size: 12, page: 1, top: 842, bottom: 0 });
    const text = linesToText([
      line('第一段的第一行文字在这里没有结束', 700, 96),
      line('而是接着写到第二行，第二行写完。', 680, 72, 300),
      line('第二段另起一行缩进两个字符开始', 660, 96),
      line('Rare earths are', 640, 72),
      line('mined here.', 620, 72, 200),
    ]);
    expect(text.split('\n').filter((l) => l && !l.startsWith('\f'))).toEqual([
      '第一段的第一行文字在这里没有结束而是接着写到第二行，第二行写完。',
      '第二段另起一行缩进两个字符开始Rare earths are mined here.',
    ]);
  });
});

describe('web page', () => {
  it('keeps the article, its title, byline and site, and none of the page furniture', () => {
    const page = ofDoc('qingshi-battery-recycling');
    expect(page.length).toBeGreaterThanOrEqual(4);
    const leaked = PAGE_BOILERPLATE.filter((s) => passages.some((p) => p.text.includes(s) || p.sectionPath.some((h) => h.includes(s))));
    expect(leaked).toEqual([]);
    expect(page.some((p) => p.text.includes('林晓'))).toBe(false);
    expect(page.find((p) => p.text.includes('3.2万吨'))?.sectionPath).toEqual(['回收规模']);
    const doc = librarian.sources().find((s) => s.doc.id === 'qingshi-battery-recycling')!.doc;
    expect(doc).toMatchObject({ title: '青石市电池回收中心投入运行', author: '林晓', venue: '青石新闻网', year: 2025, lang: 'zh-Hans' });
  });

  it('decodes the charset the page declares: GBK and Big5 pages read as Chinese, not rejected', async () => {
    const big5 = encodeLegacy('<html><head><meta charset="big5"><title>稀土報告</title></head><body><article><h1>稀土報告</h1><p>臺灣的稀土磁材進口有七成來自日本，其餘主要來自越南。這是繁體中文的網頁。</p></article></body></html>', 'big5');
    expect(declaredCharset(big5)).toBe('big5');
    const converted = await convertHtml(big5);
    expect(converted.ok && converted.text).toContain('臺灣的稀土磁材進口有七成來自日本');
    const gbk = readFileSync(path.join(FIXTURES, 'qingshi-battery-recycling.html'));
    expect(declaredCharset(gbk)).toBe('gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
  });
});

describe('Word file', () => {
  it('headings become sections, the table rows carry their headers, the footnote is linked', () => {
    const docx = ofDoc('qingshi-gallium-briefing');
    const rows = docx.filter((p) => p.kind === 'table-row');
    expect(rows.map((r) => r.text)).toEqual([
      expect.stringMatching(/^表1 .*｜产品：镓｜出口量（吨）：36｜主要买家：日本$/),
      expect.stringMatching(/^表1 .*｜产品：锗｜出口量（吨）：58｜主要买家：比利时$/),
      expect.stringMatching(/^表1 .*｜产品：铟｜出口量（吨）：12｜主要买家：韩国$/),
    ]);
    expect(rows[1].label).toMatch(/表1 第2行$/);
    expect(rows[0].sectionPath).toEqual(['二 主要产品出口']);
    const note = docx.find((p) => p.kind === 'footnote')!;
    expect(note.text).toBe('数据来源：青石市工业和信息化局。');
    expect(docx.find((p) => p.footnotes.includes(note.id))?.text).toContain('六家企业');
    expect(docx.find((p) => p.text.includes('六家企业'))?.sectionPath).toEqual(['一 概况']);
    expect(docx.some((p) => p.text.includes('青石市镓锗产业简报'))).toBe(false); // the title is the title, not a passage
  });
});

describe('files that cannot be read', () => {
  it('are each reported once, on one line naming the file and the reason; nothing else is warned about', () => {
    const reasons: Record<string, RegExp> = {
      'broken.pdf': /damaged or truncated/,
      'locked.pdf': /encrypted/,
      'scan.pdf': /no text layer — OCR it first/,
      'not-a-zip.docx': /not a \.docx file \(not a zip archive\)/,
      'old-report.doc': /unsupported format \(\.doc\); save it as \.docx/,
    };
    for (const [file, reason] of Object.entries(reasons)) {
      const lines = warnings.filter((w) => w.startsWith(`${file}: skipped — `));
      expect(lines, file).toHaveLength(1);
      expect(lines[0]).toMatch(reason);
      expect(lines[0]).not.toContain('\n');
    }
    expect(warnings).toHaveLength(Object.keys(reasons).length);
  });

  it('change nothing else: the repo corpus cuts into exactly the passages it cuts into alone', async () => {
    const alone = await buildPassages(REPO_CORPUS_DIR);
    const repoDocs = new Set(alone.documents.map((d) => d.id));
    const here = passages.filter((p) => repoDocs.has(p.docId));
    expect(here.map((p) => [p.id, p.label, p.text])).toEqual(alone.passages.map((p) => [p.id, p.label, p.text]));
    expect(here.every((p) => p.page === undefined)).toBe(true);
  });

  it('a folder of only unreadable files says why in the error', async () => {
    const only = path.join(ws.root, 'only-bad');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(only);
    copyFileSync(path.join(FIXTURES, 'bad', 'scan.pdf'), path.join(only, 'scan.pdf'));
    writeFileSync(path.join(only, 'glossary.json'), '{"terms": []}');
    await expect(loadCorpus(only)).rejects.toThrow(/scan\.pdf: skipped — no text layer/);
  });
});

describe('a long document in each format', () => {
  it('the paper’s paragraphs written as a PDF of many pages, a web page and a Word file come back as the same paragraphs', async () => {
    const paper = (await buildPassages(REPO_CORPUS_DIR)).passages.filter((p) => p.docId === 'zhou2024' && p.kind === 'paragraph');
    const sections: Array<{ heading: string; paragraphs: string[] }> = [];
    for (const p of paper) {
      const heading = p.sectionPath[p.sectionPath.length - 1] ?? '正文';
      if (sections[sections.length - 1]?.heading !== heading) sections.push({ heading, paragraphs: [] });
      sections[sections.length - 1].paragraphs.push(p.text);
    }
    const squash = (t: string) => t.replace(/\s+/g, ''); // a space at a printed line's end is not on the page
    const want = sections.flatMap((s) => s.paragraphs).map(squash);
    const { mkdirSync } = await import('node:fs');
    for (const [file, bytes] of [['paper.pdf', samplePdf(sections)], ['paper.html', sampleHtml('论文', sections)], ['paper.docx', sampleDocx('论文', sections)]] as const) {
      const dir = path.join(ws.root, `long-${file}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, file), bytes);
      const got = (await buildPassages(dir)).passages;
      expect(got.map((p) => squash(p.text)), file).toEqual(want);
      if (file.endsWith('.pdf')) {
        expect(Math.max(...got.map((p) => p.page ?? 0))).toBeGreaterThanOrEqual(15);
        expect(got.every((p, i) => i === 0 || p.page! >= got[i - 1].page!)).toBe(true);
        expect(got.some((p) => p.text.includes('基准测试文集'))).toBe(false);
      } else expect(got.map((p) => p.sectionPath[p.sectionPath.length - 1])).toEqual(paper.map((p) => p.sectionPath[p.sectionPath.length - 1] ?? '正文'));
    }
  }, 60_000);

  it('the benchmark measures ingest time per MB for every format', async () => {
    const figures = await benchFormats(REPO_CORPUS_DIR, path.join(ws.root, 'bench'));
    expect(figures.map((f) => f.format)).toEqual(['md', 'txt', 'pdf', 'html', 'docx']);
    for (const f of figures) {
      expect(f.passages, f.format).toBeGreaterThan(0);
      expect(f.msPerMb, f.format).toBeGreaterThan(0);
    }
  }, 60_000);
});
