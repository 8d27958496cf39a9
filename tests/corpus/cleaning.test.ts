import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isBoilerplateLine } from '../../src/corpus/boilerplate.js';
import { parseNumberedHeading } from '../../src/corpus/headings.js';
import { endsSentence, parseFootnoteLine } from '../../src/corpus/markup.js';
import { loadCorpus, type LoadedDocument } from '../../src/corpus/load.js';
import { chunkDocumentWithReport, type ChunkReport } from '../../src/chunking/chunk.js';
import type { Passage } from '../../src/core/passage.js';

const CORPUS = path.resolve('corpus');
let web: ChunkReport;
let paper: ChunkReport;
let paperDoc: LoadedDocument;
let all: Passage[];

beforeAll(async () => {
  const { documents } = await loadCorpus(CORPUS);
  const byId = Object.fromEntries(documents.map((d) => [d.info.id, d]));
  paperDoc = byId.zhou2024;
  web = chunkDocumentWithReport(byId.jxw2025);
  paper = chunkDocumentWithReport(paperDoc);
  all = [...web.passages, ...paper.passages];
});

const only = (predicate: (p: Passage) => boolean) => {
  const found = all.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('boilerplate lines', () => {
  it.each([
    ['[加西網正招聘多名全職sales 待遇優]', true],
    ['已經有 11 人參與評論了, 我也來說幾句吧', true],
    ['| 分享: |', true],
    ['| 注: | 在此頁閱讀全文 |', true],
    ['| 延伸閱讀 | 更多... |', true],
    ['推薦:', true],
    ['(截稿：2023年10月 责任编辑：赵远良)', true],
    ['▍美國的武器化:網絡壓制體系化與供應鏈重構', false],
    ['[中美博弈] 壹場跨國追捕,揭開最赤裸的中美博弈序幕', false],
    ['MSP的核心任務是在成員國之間共享項目信息、協調融資、共同投資，並推廣高環境、社會和治理(ESG)標准，以分享成果。', false],
    ['资料来源：笔者自制。', false],
    ['二 分享经济的兴起', false],
    ['| 分享经济 | 12% |', false],
    ['分享到微信', true],
  ])('%s → %s', (line, expected) => {
    expect(isBoilerplateLine(line)).toBe(expected);
  });
});

describe('the web article', () => {
  it('keeps no boilerplate and each repeated paragraph once', () => {
    for (const p of web.passages) {
      for (const junk of ['加西網正招聘', '參與評論', '我也來說幾句', '在此頁閱讀全文', '分享:', '推薦:', '延伸閱讀']) {
        expect(p.text).not.toContain(junk);
      }
    }
    expect(web.passages.filter((p) => p.text.includes('不難看出,此類操作具備明確的實施門檻'))).toHaveLength(1);
    expect(web.passages.filter((p) => p.text.includes('2022年成立的MSP旨在形成'))).toHaveLength(1);
    expect(web.stats.repeatedParagraphs).toBe(6);
    expect(web.passages).toHaveLength(7);
  });

  it('keeps the paragraph that appears only once (before the repeated part), and the ▍ section', () => {
    const first = only((p) => p.text.startsWith('武器化運作通常通過關鍵樞紐監控與產業鏈梗阻制造兩個環節形成閉環'));
    expect(first.sectionPath).toEqual([]);
    const law = only((p) => p.text.includes('《國防生產法》是冷戰時期的產物'));
    expect(law.sectionPath).toEqual(['美國的武器化:網絡壓制體系化與供應鏈重構']);
    expect(law.label).toMatch(/^加西網 2025 · 美國的武器化¶2$/);
  });

  it('quotes the traditional original and searches by a simplified key', () => {
    const law = only((p) => p.text.includes('《國防生產法》'));
    expect(law.searchKey).toContain('《国防生产法》');
    expect(law.text).not.toContain('国防生产法');
  });
});

describe('no passage text twice', () => {
  it('across the whole corpus', () => {
    const texts = all.map((p) => p.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
  });
});

describe('the paper: section tree from numbering, not from #', () => {
  it.each([
    ['一 问题的提出', 1, '一'],
    ['（一）选择性“脱钩”战略的理论分析框架', 2, '（一）'],
    ['(三) 安全认知与美国对华选择性“脱钩”', 2, '（三）'],
    ['1. 数据来源', 3, '1.'],
  ])('%s is depth %i', (line, depth, numbering) => {
    expect(parseNumberedHeading(line)).toMatchObject({ depth, numbering });
  });
  it.each(['一是不可逆性。', '第四，基于中美在数字竞争领域“脱钩”的视角。学界对“脱钩”的基本判断', '一个清洁、零碳和互联的未来世界决定了中美之间的战略博弈并不限于单一技术领域'])(
    '%s is not a heading',
    (line) => expect(parseNumberedHeading(line)).toBeUndefined(),
  );

  it('puts ##, ###, #### and unmarked (四) headings of the same depth at the same depth', () => {
    const solar = only((p) => p.text.includes('美国早在 2011 年和 2014 年'));
    expect(solar.sectionPath).toEqual(['四 美国对华选择性“脱钩”的案例分析', '（一）美国在绿色经济领域的对华“脱钩”行为']);
    expect(solar.id).toMatch(/^zhou2024:4\.1:p[0-9a-f]{4}$/);
    expect(solar.label).toBe('周亚敏 2024 · 四（一）¶3');
    const digital = only((p) => p.kind === 'paragraph' && p.text.startsWith('美国在数字技术创新方面长期占据着领先地位'));
    expect(digital.sectionPath[1]).toBe('（二）美国在数字经济领域的对华“脱钩”行为'); // marked "##"
    const unmarked = only((p) => p.text.startsWith('美国对华实施选择性“脱钩”时采取了差异化的“脱钩”措施'));
    expect(unmarked.sectionPath).toEqual(['三 外源性因素、安全认知、竞争优势与美国对华选择性“脱钩”', '（四）竞争优势与美国对华选择性“脱钩”']);
    expect(unmarked.label).toBe('周亚敏 2024 · 三（四）¶1');
    const conclusion = paper.passages.filter((p) => p.sectionPath[0] === '五 结论' && p.kind === 'paragraph');
    expect(conclusion.length).toBeGreaterThanOrEqual(2);
    expect(conclusion.every((p) => p.sectionPath.length === 1)).toBe(true);
  });

  it('reads a "#### 第四，…" line as the start of a paragraph, not a heading', () => {
    const p = only((x) => x.text.includes('第四，基于中美在数字竞争领域“脱钩”的视角。学界对“脱钩”的基本判断是,中美两国会出现'));
    expect(p.sectionPath).toEqual(['二 文献评述']);
  });
});

describe('the paper: paragraphs cut by page breaks', () => {
  it('joins the paragraph cut by the first footnote block into one passage', () => {
    const p = only((x) => x.text.includes('美国对华采取选择性“脱钩”战略的核心驱动力及行为模式是什么？'));
    expect(p.sectionPath).toEqual(['一 问题的提出']);
    expect(all.some((x) => x.text.startsWith('心驱动力'))).toBe(false);
  });

  it('joins every paragraph a footnote block, figure or table interrupts', () => {
    expect(paper.stats.joinedParagraphs).toBe(28);
    // every Chinese body passage ends a sentence: none stops mid-sentence at a page break
    const body = paper.passages.filter((p) => p.kind === 'paragraph' && !p.id.includes('-en:'));
    for (const p of body) expect(endsSentence(p.text), `${p.label}: …${p.text.slice(-20)}`).toBe(true);
    // a word split across a page ("多元" | "化")
    only((x) => x.text.includes('达成该目标的三大支柱路径是实现多元化供应链、发展替代品及提高循环利用'));
  });
});

describe('the paper: footnotes', () => {
  const raw = readFileSync(path.join(CORPUS, 'zhou2024-green-digital-decoupling.md'), 'utf8');
  const rawLines = raw.split('\n');
  const noteLines = rawLines.filter((l) => parseFootnoteLine(l.trim()));
  const markerCount = rawLines.filter((l) => !parseFootnoteLine(l.trim())).reduce((n, l) => n + (l.match(/<sup>/g) ?? []).length, 0);

  it('resolves every marker (count markers and footnotes)', () => {
    expect(markerCount).toBe(133);
    expect(noteLines).toHaveLength(133);
    expect(paper.stats.markers).toBe(markerCount);
    expect(paper.stats.resolvedMarkers).toBe(markerCount);
    const footnotes = paper.passages.filter((p) => p.kind === 'footnote');
    expect(footnotes).toHaveLength(paper.stats.distinctFootnotes); // identical repeats merged
    expect(footnotes.length).toBe(129);
    // each body marker contributes one link (the title's * has no paragraph to link)
    const links = paper.passages.reduce((n, p) => n + p.footnotes.length, 0);
    const uncited = footnotes.filter((f) => f.citedBy.length === 0);
    expect(uncited.map((f) => f.label)).toEqual(['周亚敏 2024 · 注*']);
    expect(links).toBeGreaterThanOrEqual(markerCount - 1);
  });

  it('links both ways', () => {
    const byId = new Map(all.map((p) => [p.id, p]));
    for (const p of all) {
      for (const f of p.footnotes) {
        expect(byId.get(f)?.kind).toBe('footnote');
        expect(byId.get(f)?.citedBy).toContain(p.id);
      }
      for (const c of p.citedBy) expect(byId.get(c)?.footnotes).toContain(p.id);
    }
  });

  it('sends each marker to the first footnote block after it that carries its number', () => {
    const byId = new Map(all.map((p) => [p.id, p]));
    const cited = (p: Passage) => p.footnotes.map((id) => byId.get(id)!);
    const opening = only((p) => p.text.startsWith('自2017年美国《国家安全战略》报告将中国定位为“战略竞争者”以来'));
    const notes = cited(opening);
    expect(notes.map((n) => n.label)).toEqual(['周亚敏 2024 · 注①（一）', '周亚敏 2024 · 注②（一）', '周亚敏 2024 · 注③（一）']);
    expect(notes[0].text).toContain('National Security Strategy of the United States of America');
    expect(notes[2].text).toContain('海关统计数据在线查询平台');
    // ① before 表1 → the one-note block right after the table; ① after the table → the next page's ①
    const beforeTable = only((p) => p.text.startsWith('美国对华实施选择性“脱钩”时采取了差异化的“脱钩”措施'));
    expect(cited(beforeTable).map((n) => n.text.slice(0, 12))).toEqual(['镓作为芯片关键材料，中国']);
    const afterTable = only((p) => p.text.startsWith('任何一种经济形态的蓬勃发展都离不开技术、制造和市场三要素的支撑'));
    expect(cited(afterTable)[0].text).toMatch(/^美国绿色技术占优的重点领域/);
    // a footnote the paper repeats verbatim is one passage cited from both places
    const usgs = only((p) => p.kind === 'footnote' && p.text.startsWith('U. S. Geological Survey') && p.text.includes('访问时间：2023 年 9 月 25 日'));
    expect(usgs.citedBy.length).toBeGreaterThanOrEqual(2);
    expect(usgs.id).toMatch(/^zhou2024:n[0-9a-f]{4,}$/);
  });

  it('keeps markers out of the quoted text', () => {
    for (const p of all) expect(p.text).not.toMatch(/<sup>|\uE000|\uE001|\*\*/);
  });
});

describe('the paper: tables and figures', () => {
  it('makes each table row a passage naming its table, with its column headers', () => {
    const rows = paper.passages.filter((p) => p.kind === 'table-row');
    const perTable = rows.reduce<Record<string, number>>((m, p) => ({ ...m, [p.table!]: (m[p.table!] ?? 0) + 1 }), {});
    expect(perTable).toEqual({ 表1: 4, 表2: 2, 表3: 6, 表4: 6 });
    for (const r of rows) {
      expect(r.text.startsWith(r.table!)).toBe(true);
      expect(r.label).toMatch(new RegExp(`^周亚敏 2024 · ${r.table} 第\\d行$`));
    }
    const cobalt = only((p) => p.kind === 'table-row' && p.text.includes('关键矿物：钴'));
    expect(cobalt.text).toBe('表3 2021年美国6种主要关键矿物的进口来源及构成｜关键矿物：钴｜回收比例：24%｜主要进口来源地及比例：挪威(20%)、加拿大(16%)、日本(13%)和芬兰(11%)');
    // merged header cells and row-spanned first column
    const chinaGreen = only((p) => p.table === '表1' && p.text.includes('国别：中国') && p.text.includes('领域：绿色竞争'));
    expect(chinaGreen.text).toContain('竞争优势及对比·技术：++｜竞争优势及对比·制造：+++｜竞争优势及对比·市场：+++');
    only((p) => p.table === '表4' && p.text.includes('“全球基础设施和投资伙伴关系”') && p.text.includes('成员：加拿大、法国、德国、意大利、日本、英国和美国'));
  });

  it('keeps captions with their notes, and figure captions as short passages', () => {
    const t1 = only((p) => p.id === 'zhou2024:t1');
    expect(t1.kind).toBe('caption');
    expect(t1.text).toContain('中美两国各自竞争优势及“脱钩”策略组合');
    expect(t1.text).toContain('“+”越多表明竞争优势越大');
    const t3 = only((p) => p.id === 'zhou2024:t3');
    expect(t3.text).toContain('由于铜和镍的分布范围比较广泛');
    const t2 = only((p) => p.id === 'zhou2024:t2');
    expect(t2.text.startsWith('表2 ')).toBe(true); // "表 2" normalised
    for (const n of [1, 2]) {
      const fig = only((p) => p.id === `zhou2024:fig${n}`);
      expect(fig).toMatchObject({ kind: 'caption', table: `图${n}`, label: `周亚敏 2024 · 图${n}` });
      expect(fig.text.length).toBeLessThan(80);
    }
  });
});

describe('the paper: abstracts and the stray English abstract', () => {
  it('keeps the paper’s own Chinese and English abstracts', () => {
    const zh = paper.passages.filter((p) => p.kind === 'abstract' && p.id.startsWith('zhou2024:abs:'));
    expect(zh.map((p) => p.text).join('')).toContain('绿色经济和数字经济是当今时代国家间竞争的两大核心领域');
    const en = paper.passages.filter((p) => p.kind === 'abstract' && p.id.startsWith('zhou2024:abs-en:'));
    const enText = en.map((p) => p.text).join(' ');
    expect(enText).toContain('Green competition and digital competition are the two core areas');
    expect(enText).toContain('digital economy. The trade theory'); // "econo-" | "my." rejoined
    expect(en[0].label).toMatch(/^周亚敏 2024 · Abstract/);
  });

  it('does not attribute the other paper’s "sanctions deadlock" abstract to this paper', () => {
    for (const p of all) {
      expect(p.text).not.toMatch(/sanctions deadlock|Pang Qin|economic sanction/);
    }
    expect(paper.stats.strayLines).toBe(3);
  });

  it('drops the catalogue codes, byline and editorial note', () => {
    for (const p of paper.passages) expect(p.text).not.toMatch(/中图分类号|1006-9550|截稿|责任编辑/);
    expect(paper.passages.some((p) => p.text === '周亚敏')).toBe(false);
  });
});
