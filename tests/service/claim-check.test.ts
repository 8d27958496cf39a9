/** Librarian.findSources over the repo's corpus: what "Find sources for this" and `lodestone check` tell a reader. */
import { describe, expect, it } from 'vitest';
import type { LibrarianService } from '../../src/service/librarian.js';
import { withLibrarian } from '../support/workspace.js';

let librarian: LibrarianService;
withLibrarian('claims', (l) => (librarian = l));

const quotes = (list: { quote: string }[]) => list.map((e) => e.quote).join('\n');

describe('findSources', () => {
  it('a claim copied from the paper with the wrong year: the passage gives 2021, the claim 2019; nothing supports it', async () => {
    const check = await librarian.findSources('2019年2月，美国总统拜登签署了第14017号行政令《美国供应链》。');
    expect(check.verdict).toBe('different-figures');
    const [finding] = check.findings;
    expect(finding.supporting).toEqual([]);
    expect(finding.conflicting[0]).toMatchObject({ claimFigures: ['2019'], passageFigures: ['2021'] });
    expect(finding.conflicting[0].quote).toContain('2021年2月,美国总统拜登签署了第14017号行政令');
    // the 2017 Trump order shares the words "美国总统…签署…行政令" but is not the same statement
    expect(finding.conflicting).toHaveLength(1);
  });

  it('the same claim with the right year is supported, by that passage first; traditional script too', async () => {
    for (const claim of ['2021年2月，美国总统拜登签署了第14017号行政令《美国供应链》。', '2021年2月，美國總統拜登簽署了第14017號行政令。']) {
      const check = await librarian.findSources(claim);
      expect(check.verdict).toBe('supported');
      expect(check.findings[0].supporting[0].quote).toContain('2021年2月,美国总统拜登签署了第14017号行政令');
      expect(check.findings[0].conflicting).toEqual([]);
    }
  });

  it('a wrong share is told apart from the right ones of the same sentence', async () => {
    const check = await librarian.findSources('中国占美国贸易总额的比例从2017年的16.3%下降至2022年的10%。');
    expect(check.verdict).toBe('different-figures');
    expect(check.findings[0].conflicting[0]).toMatchObject({ claimFigures: ['10%'], passageFigures: ['12.9%'] });
  });

  it('English claims are read through the glossary: a wrong year and a wrong share are found in the Chinese passages', async () => {
    const year = await librarian.findSources('In February 2019 President Biden signed Executive Order 14017 on America’s supply chains.');
    expect(year.lang).toBe('en');
    expect(year.verdict).toBe('different-figures');
    expect(year.findings[0].conflicting[0]).toMatchObject({ claimFigures: ['2019'], passageFigures: ['2021'] });
    const share = await librarian.findSources("China's share of US trade fell from 16.3% in 2017 to 10% in 2022.");
    expect(share.findings[0].conflicting[0]).toMatchObject({ claimFigures: ['10%'], passageFigures: ['12.9%'] });
    const right = await librarian.findSources('The Minerals Security Partnership was founded in 2022.');
    expect(right.verdict).toBe('supported');
    expect(quotes(right.findings[0].supporting)).toMatch(/矿产安全伙伴关系|MSP/);
  });

  it('a claim whose subject no passage joins to its other words is not supported (镓 one sentence away from 出口限制)', async () => {
    for (const claim of ['中国限制镓的出口。', 'The US may restrict exports of gallium.']) {
      const check = await librarian.findSources(claim);
      expect(check.verdict, claim).toBe('unsupported');
      expect(check.findings[0].closest.length).toBeGreaterThan(0);
    }
    const onGallium = await librarian.findSources('美国、欧盟和日本等发达经济体均高度依赖中国的镓供应链。');
    expect(onGallium.verdict).toBe('supported');
  });

  it('a claim the documents know nothing about is unsupported, with the closest passages', async () => {
    const check = await librarian.findSources('法国的首都是巴黎。');
    expect(check.verdict).toBe('unsupported');
    expect(check.findings[0].supporting).toEqual([]);
    expect(check.findings[0].closest.length).toBeGreaterThan(0);
  });

  it('each sentence of a message is checked on its own; a thank-you is no claim', async () => {
    const check = await librarian.findSources('2022年，美国宣布与澳大利亚、加拿大等国建立矿产安全伙伴关系。谢谢！美国从中国进口了价值49.8亿美元的锂电池。');
    expect(check.findings.map((f) => f.verdict)).toEqual(['supported', 'supported']);
    expect(check.verdict).toBe('supported');
    // overlapping passages holding the same sentence are shown once
    const shown = check.findings[1].supporting.map((e) => e.quote);
    expect(new Set(shown).size).toBe(shown.length);
  });

  it('bad input is a UserInputError, as for ask', async () => {
    await expect(librarian.findSources('   ')).rejects.toThrow(/empty/);
  });
});
