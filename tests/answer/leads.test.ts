/**
 * Leads that answer (src/answer/leadSpans.ts, src/answer/lead.ts), asked of the seed documents through the real
 * librarian: the lead is a verbatim span of a quoted passage cut at word boundaries, short, and holds the answer;
 * a question in several parts answers each part under its own heading or says it is missing; the related list
 * never shows the same sentence twice.
 */
import { describe, expect, it } from 'vitest';
import type { LibrarianService } from '../../src/service/librarian.js';
import { searchKey } from '../../src/text/searchKey.js';
import { chineseWords } from '../../src/text/segment.js';
import { withLibrarian } from '../support/workspace.js';

let librarian: LibrarianService;
withLibrarian('leads', (l) => (librarian = l));

/** The lead as a reader reads it: no [n], no "In short:", no English form in parentheses. */
const plain = (lead: string) => lead.replace(/\s*\[\d+\]/g, '').replace(/^In short:\s*/, '').replace(/\s*\([^)]*\)\s*$/, '').trim();

describe('leads that answer', () => {
  it('a list question leads with the list itself, verbatim from the quoted passage', async () => {
    const a = await librarian.ask('美国能源部2020年发布的关键矿物供应链战略提出了哪三大支柱？');
    expect(a.supported).toBe(true);
    expect(a.lead).toContain('实现多元化供应链、发展替代品及提高循环利用');
    expect([...plain(a.lead)].length).toBeLessThanOrEqual(80);
  });

  it('every lead of the development questions is a span of a cited passage that starts and ends on word boundaries', async () => {
    const questions = [
      '2019年中国在电池产业中游精炼环节的占比是多少？',
      '美国对中国电动汽车加征多少关税？',
      '镍主要分布在哪些国家？',
      '五眼联盟包括哪些国家？',
      '美国关键矿物清单包括多少种矿物？',
      '拜登政府的中国战略被认为怎样？',
    ];
    let checked = 0;
    for (const q of questions) {
      const a = await librarian.ask(q);
      if (!a.supported || /^[^\[]*：[^\[]*；/.test(a.lead)) continue; // (a table row's cells are joined, not one span)
      const lead = searchKey(plain(a.lead)).replace(/\s+/g, '');
      const cited = a.citations.map((c) => searchKey(librarian.passage(c.id)?.text ?? '').replace(/\s+/g, ''));
      const holder = cited.find((text) => text.includes(lead));
      expect(holder, `${q} → ${a.lead}`).toBeDefined();
      // a Han run at either edge is whole words of the passage's segmentation (另一部 is not cut from 另一部分)
      const at = holder!.indexOf(lead);
      const end = at + lead.length;
      const inHanRun = (i: number) => /\p{Script=Han}/u.test(holder![i - 1] ?? '') && /\p{Script=Han}/u.test(holder![i] ?? '');
      expect(!inHanRun(at) || boundaryAt(holder!, at), `${q}: starts mid-word: ${a.lead}`).toBe(true);
      expect(!inHanRun(end) || boundaryAt(holder!, end), `${q}: ends mid-word: ${a.lead}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it('an English reader reads the figure first, in English', async () => {
    const a = await librarian.ask('What share of global lithium reserves do six Latin American countries hold together?');
    expect(a.supported).toBe(true);
    expect(a.lead).toMatch(/^In short: 59\.4%/);
  });

  it('a question in two parts answers each under its own heading, or says the part is missing', async () => {
    const a = await librarian.ask('矿产安全伙伴关系是哪一年成立的？有哪些成员？');
    expect(a.supported).toBe(true);
    const headings = a.parts.filter((p) => p.kind === 'heading').map((p) => p.text);
    expect(headings).toEqual(['矿产安全伙伴关系是哪一年成立的：', '有哪些成员：']);
    expect(a.lead).toContain('2022');
  });

  it('the related list never shows one sentence twice (neighbouring passages share their boundary sentence)', async () => {
    const a = await librarian.ask('What does the MSP stand for and when was it founded?');
    const texts = a.related.map((r) => searchKey(r.text).replace(/\s+/g, ''));
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) expect(texts[i] === texts[j] || texts[i].includes(texts[j]) || texts[j].includes(texts[i]), `${i} and ${j}`).toBe(false);
  });
});

/** Whether a cut at `at` in a Han run of `text` falls between two of the segmenter's words. */
function boundaryAt(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && /\p{Script=Han}/u.test(text[start - 1])) start--;
  let end = at;
  while (end < text.length && /\p{Script=Han}/u.test(text[end])) end++;
  let pos = start;
  for (const w of chineseWords(text.slice(start, end))) {
    if (pos === at) return true;
    pos += w.length;
  }
  return pos === at;
}
