import { describe, expect, it } from 'vitest';
import { detectLang } from '../../src/text/language.js';

describe('detectLang', () => {
  it.each([
    ['美国能源部2020年发布的关键矿物供应链战略提出了哪三大支柱？', 'zh-Hans'],
    ['美國能源部2020年發布的關鍵礦物供應鏈戰略提出了哪三大支柱？', 'zh-Hant'],
    ['中国生产了全球多少太阳能电池', 'zh-Hans'],
    ['中國', 'zh-Hant'],
    ['中文', 'zh-Hans'], // the same in both scripts: simplified
    ['What roles does Japan play in US critical-mineral partnerships?', 'en'],
    ['Which pillars does the 2020 DOE strategy name (战略)?', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(detectLang(text)).toBe(lang);
  });
});
