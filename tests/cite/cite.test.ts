import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentInfo, Passage } from '../../src/core/passage.js';
import { citeChoices, citePassage, formatCitation, type LexicalSearch } from '../../src/cite/cite.js';
import { buildLexical } from '../../src/index/store.js';
import { corpusPassages } from '../glossary/corpus-passages.js';

let passages: Passage[];
let documents: DocumentInfo[];
let search: LexicalSearch;

beforeAll(async () => {
  ({ passages, documents } = await corpusPassages());
  // the same BM25 index the service searches
  const lexical = buildLexical(passages);
  search = async (terms, k) => lexical.search(terms, k).map((h) => ({ passage: passages[h.position], score: h.score }));
}, 30_000);

const citeWith = (query: string, list: Passage[], docs: DocumentInfo[]) => citePassage(query, list, docs, search);

describe('citePassage', async () => {
  it('finds a passage by its id in any case', async () => {
    const target = passages[Math.floor(passages.length / 2)];
    expect((await citeWith(target.id, passages, documents))?.passage.id).toBe(target.id);
    expect((await citeWith(target.id.toUpperCase(), passages, documents))?.passage.id).toBe(target.id);
  });

  it('finds a passage by its label', async () => {
    const unique = passages.find((p) => passages.filter((q) => q.label === p.label).length === 1 && p.ordinal > 5)!;
    expect((await citeWith(unique.label, passages, documents))?.passage.id).toBe(unique.id);
  });

  it('finds a passage by a few of its words, across scripts', async () => {
    const yard = await citeWith('小院高墙式的选择性脱钩', passages, documents);
    expect(yard?.passage.text).toContain('小院高墙');
    const loan = await citeWith('贷款计划办公室获得了数百亿美元的授权', passages, documents);
    expect(loan?.passage.text).toContain('貸款計劃辦公室');
    const chip = await citeWith('組建芯片四方聯盟', passages, documents);
    expect(chip?.passage.text).toContain('Chip 4');
  });

  it('returns null when nothing matches', async () => {
    expect(await citeWith('zzzq qqqz', passages, documents)).toBeNull();
    expect(await citeWith('   ', passages, documents)).toBeNull();
  });

  it('gives a ready-to-paste citation with quote, label, author, title and year', async () => {
    const result = (await citeWith('小院高墙', passages, documents))!;
    const doc = documents.find((d) => d.id === result.passage.docId)!;
    expect(result.citation.startsWith('“')).toBe(true);
    expect(result.citation).toContain(result.passage.label);
    expect(result.citation).toContain(`《${doc.title}》`);
    expect(result.citation).toContain(doc.author);
    // the year once after the label (the venue 《世界经济与政治》2024年第1期 already carries it)
    const source = result.citation.slice(result.citation.lastIndexOf(result.passage.label) + result.passage.label.length);
    if (doc.year !== undefined) expect(source.split(String(doc.year)).length - 1, source).toBe(1);
    expect(result.citation).toContain(`${result.passage.text.slice(0, 40)}`);
  });
});

describe('formatCitation', () => {
  const passage = { id: 'x:p1', docId: 'x', kind: 'paragraph', label: 'Smith 2020 · ¶1', text: 'Chips matter.', searchKey: 'chips matter.', sectionPath: [], ordinal: 0, footnotes: [], citedBy: [] } satisfies Passage;
  it('writes English documents in an English form', () => {
    const doc: DocumentInfo = { id: 'x', title: 'Chip War', author: 'Smith', year: 2020, venue: 'Foreign Affairs', lang: 'en', file: 'x.md', contentHash: '' };
    expect(formatCitation(passage, doc)).toBe('"Chips matter." — Smith 2020 · ¶1, Smith, "Chip War", Foreign Affairs 2020');
  });
  it('writes Chinese documents with Chinese punctuation', () => {
    const doc: DocumentInfo = { id: 'x', title: '芯片战争', author: '米勒', year: 2023, lang: 'zh-Hans', file: 'x.md', contentHash: '' };
    expect(formatCitation(passage, doc)).toBe('“Chips matter.” — Smith 2020 · ¶1，米勒《芯片战争》，2023');
  });
  it('names the year once when the venue already carries it', () => {
    const doc: DocumentInfo = { id: 'x', title: '芯片战争', author: '周亚敏', year: 2024, venue: '《世界经济与政治》2024年第1期', lang: 'zh-Hans', file: 'x.md', contentHash: '' };
    expect(formatCitation(passage, doc)).toBe('“Chips matter.” — Smith 2020 · ¶1，周亚敏《芯片战争》，《世界经济与政治》2024年第1期');
  });
  it('leaves out an unknown author instead of printing "unknown"', () => {
    const doc: DocumentInfo = { id: 'x', title: '芯片战争', author: 'unknown', lang: 'zh-Hans', file: 'x.md', contentHash: '' };
    expect(formatCitation(passage, doc)).toBe('“Chips matter.” — Smith 2020 · ¶1，《芯片战争》');
  });
});

describe('citeChoices', () => {
  it('stays within Discord limits', () => {
    for (const prefix of ['', 'z', '脱钩', 'x'.repeat(200), passages[0].id.slice(0, 3)]) {
      const choices = citeChoices(prefix, passages);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const c of choices) {
        expect([...c.name].length).toBeLessThanOrEqual(100);
        expect([...c.value].length).toBeLessThanOrEqual(100);
      }
    }
  });
  it('puts the passage whose id is typed first and searches words', () => {
    const target = passages[7];
    expect(citeChoices(target.id, passages)[0].value).toBe(target.id);
    const words = citeChoices('小院高墙', passages);
    expect(words.length).toBeGreaterThan(0);
    expect(passages.find((p) => p.id === words[0].value)?.text).toContain('小院高墙');
  });
});
