import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentInfo, Passage } from '../../src/core/passage.js';
import { loadCuratedGlossary } from '../../src/glossary/curated.js';
import { Glossary } from '../../src/glossary/glossary.js';
import { corpusPassages, REPO_CORPUS_DIR } from './corpus-passages.js';

let passages: Passage[];
let documents: DocumentInfo[];
let glossary: Glossary;

beforeAll(async () => {
  ({ passages, documents } = await corpusPassages());
  const curated = loadCuratedGlossary(REPO_CORPUS_DIR);
  expect(curated.warnings).toEqual([]);
  glossary = Glossary.build(passages, documents, curated.entries);
}, 30_000);

const termOf = (query: string) => glossary.lookup(query).entries[0]?.term;

describe('lookup', () => {
  it.each([
    ['矿产安全伙伴关系', ['礦產安全夥伴關係', '金属北约', '金屬北約', 'Minerals Security Partnership', 'minerals security partnership', 'MSP', 'msp']],
    ['印太经济框架', ['印太經濟框架', 'IPEF', 'Indo-Pacific Economic Framework', 'indo pacific economic framework']],
    ['通胀削减法案', ['通脹削減法案', 'IRA', 'Inflation Reduction Act']],
    ['去风险', ['去風險', 'de-risking', 'De-risking', 'derisking']],
    ['友岸外包', ['friend-shoring', 'Friend Shoring', 'friendshoring']],
    ['稀土', ['稀土', 'rare earths', 'Rare earth']],
  ])('resolves the simplified, traditional, English and abbreviated forms of %s to one entry', (term, forms) => {
    expect(termOf(term)).toBe(term);
    for (const form of forms) expect(termOf(form), form).toBe(term);
  });

  it('lists as aliases other names, never the term itself in quotation marks (“脱钩” / “脫鉤”)', () => {
    const unquoted = (f: string) => f.replace(/[“”‘’"「」『』《》]/gu, '');
    for (const entry of glossary.entries) {
      const bare = entry.aliases.map(unquoted);
      expect(bare, entry.term).not.toContain(unquoted(entry.term));
      expect(new Set(bare).size, `${entry.term}: ${entry.aliases.join(' / ')}`).toBe(bare.length);
    }
    const decoupling = glossary.lookup('脫鉤').entries[0];
    expect(decoupling.term).toBe('脱钩');
    expect(decoupling.aliases).toContain('脫鉤');
    expect(decoupling.aliases).toContain('decoupling');
    expect(termOf('“脱钩”')).toBe('脱钩');
  });

  it('tolerates a wrong character: 脱勾 finds 脱钩', () => {
    const { entries } = glossary.lookup('脱勾');
    expect(entries.map((e) => e.term)).toContain('脱钩');
  });

  it('finds a term inside a longer query and by prefix', () => {
    expect(termOf('双反调查')).toBe('双反');
    expect(glossary.lookup('Inflation Red').entries.map((e) => e.term)).toContain('通胀削减法案');
  });

  it('quotes the sentence that defines the term, with its passage', () => {
    const entry = glossary.lookup('精炼环节').entries[0];
    expect(entry.definition).toContain('精炼环节是指从矿石中提取特定矿物');
    expect(entry.citations[0].text).toBe(entry.definition);
    const cited = passages.find((p) => p.id === entry.citations[0].id);
    expect(cited?.text).toContain(entry.citations[0].text);
    expect(glossary.lookup('去風險').entries[0].citations.some((c) => c.text.includes('“去风险”也是美国重组与升级国内绿色产业的话语手段之一'))).toBe(true);
  });

  it('counts where a term matters, most mentions first', () => {
    const entry = glossary.lookup('脱钩').entries[0];
    expect(entry.counts.length).toBeGreaterThan(5);
    for (let i = 1; i < entry.counts.length; i++) expect(entry.counts[i - 1].count).toBeGreaterThanOrEqual(entry.counts[i].count);
  });

  it('extracts glossed names and quoted concepts the curated file does not list', () => {
    const sullivan = glossary.lookup('Jake Sullivan').entries[0];
    expect(sullivan.term).toBe('杰克·沙利文');
    const extracted = glossary.entries.filter((e) => e.origin === 'extracted').map((e) => e.term);
    expect(extracted).toEqual(expect.arrayContaining(['相互纠缠', '阿尔伯特·赫希曼', '部落协商']));
    expect(glossary.lookup('entanglement').entries[0]?.term).toBe('相互纠缠');
    expect(glossary.lookup('Albert O. Hirschman').entries[0]?.term).toBe('阿尔伯特·赫希曼');
    expect(glossary.lookup('hub and spoke').entries[0]?.term).toBe('中心—轴辐');
  });

  it('never answers an unknown term with nothing', () => {
    const result = glossary.lookup('量子计算机');
    expect(result.entries).toEqual([]);
    expect(result.suggestions.length).toBeGreaterThan(0);
    expect(glossary.lookup('   ').suggestions.length).toBeGreaterThan(0);
  });

  it('lets the curated file correct an extracted entry', () => {
    const g = Glossary.build(passages, documents, [{ term: '中心—轴辐', aliases: ['hub-and-spoke system'], definition: '美国主导的网络结构。' }]);
    const entry = g.lookup('hub-and-spoke system').entries[0];
    expect(entry.origin).toBe('curated');
    expect(entry.definition).toBe('美国主导的网络结构。');
    expect(entry.aliases).toContain('hub and spoke');
  });

  it('survives toJSON/fromJSON', () => {
    const copy = Glossary.fromJSON(JSON.parse(JSON.stringify(glossary.toJSON())));
    expect(copy.lookup('MSP').entries[0].term).toBe('矿产安全伙伴关系');
    expect(copy.expandQuery('What is the Minerals Security Partnership?')).toEqual(glossary.expandQuery('What is the Minerals Security Partnership?'));
  });
});

describe('expandQuery', () => {
  it('adds the Chinese names of the terms an English question uses', () => {
    expect(glossary.expandQuery('What is the Minerals Security Partnership?')).toContain('矿产安全伙伴关系');
    expect(glossary.expandQuery('Where do lithium and rare earths come from?')).toEqual(expect.arrayContaining(['锂', '稀土']));
    expect(glossary.expandQuery('What does the Inflation Reduction Act require?')).toEqual(expect.arrayContaining(['通胀削减法案', 'IRA']));
    expect(glossary.expandQuery('tariffs on solar cells after Section 201')).toEqual(expect.arrayContaining(['关税', '太阳能电池', '201调查']));
  });

  it('reaches the simplified text from a traditional alias', () => {
    expect(glossary.expandQuery('金屬北約是什麼？')).toContain('矿产安全伙伴关系');
  });

  it('reads the longest name, not its words, and capital codes only in capitals', () => {
    const expanded = glossary.expandQuery('What is the Minerals Security Partnership?');
    expect(expanded).not.toContain('安全');
    expect(glossary.expandQuery('tell us about it')).not.toContain('美国');
    expect(glossary.expandQuery('what did the US do')).toContain('美国');
  });

  it('gives a Taiwan word its mainland form, and leaves simplified text alone', () => {
    const variants = (q: string) => glossary.expandQueryGroups(q).filter((g) => g.variant).map((g) => [g.source, g.forms[0]]);
    expect(variants('台灣的晶片產業')).toContainEqual(['晶片', '芯片']);
    expect(variants('中國生產的矽錠')).toContainEqual(['矽', '硅']);
    // twp would rewrite 程序 (→ 进程) and 核心 (→ 内核), words both sides use
    expect(variants('美国出口管制的审批程序和核心目标是什么？')).toEqual([]);
  });

  it('maps table numbers to the paper’s labels', () => {
    expect(glossary.expandQuery('What does Table 3 show?')).toContain('表3');
  });
});

describe('choices', () => {
  it('stays within Discord limits and is fast', () => {
    for (const prefix of ['', '矿', 'a', 'de', '脱勾', 'x'.repeat(300), 'MSP']) {
      const choices = glossary.choices(prefix);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const c of choices) {
        expect([...c.name].length).toBeLessThanOrEqual(100);
        expect([...c.value].length).toBeLessThanOrEqual(100);
        expect(c.value.length).toBeGreaterThan(0);
      }
    }
    expect(glossary.choices('').length).toBe(25);
    expect(glossary.choices('friend').map((c) => c.value)).toContain('友岸外包');
    expect(glossary.choices('金屬北')[0].value).toBe('矿产安全伙伴关系');
  });

  it('offers values that lookup resolves', () => {
    for (const c of glossary.choices('min')) expect(glossary.lookup(c.value).entries.length).toBeGreaterThan(0);
  });
});

describe('curated file', () => {
  it('turns broken JSON into a warning and a missing file into nothing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'glossary-'));
    expect(loadCuratedGlossary(dir)).toEqual({ entries: [], warnings: [] });
    writeFileSync(path.join(dir, 'glossary.json'), '{"entries": [ {"term": "x", ');
    const broken = loadCuratedGlossary(dir);
    expect(broken.entries).toEqual([]);
    expect(broken.warnings[0]).toMatch(/not valid JSON/);
    writeFileSync(path.join(dir, 'glossary.json'), JSON.stringify({ entries: [{ aliases: ['no term'] }, { term: '锂', aliases: ['lithium', 3] }] }));
    const partial = loadCuratedGlossary(dir);
    expect(partial.entries).toEqual([{ term: '锂', aliases: ['lithium'] }]);
    expect(partial.warnings).toHaveLength(1);
  });
});

describe('English names of the terms in a sentence', () => {
  it('glosses a term only where the sentence has it as words: 国会 is not in 中美两国会出现', () => {
    expect(glossary.englishNames('中美两国会出现新的竞争').map((n) => n.term)).not.toContain('国会');
    expect(glossary.englishNames('美国国会通过了法案').map((n) => n.english)).toContain('Congress');
  });
});
