import { describe, expect, it } from 'vitest';
import { checkCitations, sentenceSupport } from '../../src/answer/citationCheck.js';

const P1 = '中国海关总署的行业数据显示,以光电、信息与通信、电子、柔性制造和先进材料五个行业为代表的降幅最为明显,分别从2017年的23%、60%下降至2022年的6.4%、41.6%。';
const P2 = '2018年,美国决定对中国太阳能电池和光伏组件征收 30% 关税。';
const passages = new Map([
  [1, P1],
  [2, P2],
]);

describe('sentenceSupport', () => {
  it.each([
    ['terms and numbers in the passage', '信息与通信行业的比例从60%下降至41.6%。', [P1], true],
    ['traditional script against a simplified passage', '信息與通信行業的比例從60%下降至41.6%。', [P1], true],
    ['a number the passage does not contain', '信息与通信行业的比例从60%下降至38%。', [P1], false],
    ['terms the passage does not contain', '日本政府指定了十一种特定重要物资并提供补贴。', [P1], false],
    ['English sentence quoting the passage verbatim', 'The US imposed a tariff on “太阳能电池和光伏组件” in 2018.', [P2], true],
    ['English sentence with a quote not in the passage', 'The US imposed a tariff on “风力发电机组” in 2018.', [P2], false],
  ])('%s', (_name, sentence, texts, supported) => {
    expect(sentenceSupport(sentence, texts).supported).toBe(supported);
  });
});

describe('checkCitations', () => {
  it('removes a fabricated [7] and keeps the supported sentence', () => {
    const result = checkCitations('信息与通信行业从60%降到41.6%[1]。光伏组件被征收30%关税[7]。', passages);
    expect(result.text).toBe('信息与通信行业从60%降到41.6%[1]。');
    expect(result.fabricated).toBe(1);
    expect(result.dropped).toBe(1);
    expect(result.cited).toEqual([1]);
  });

  it('drops a sentence its passage does not support, counts it, and keeps the rest', () => {
    const result = checkCitations('美国对光伏组件征收30%关税[2]。美国同时对中国稀土实施了全面禁运[1]。', passages);
    expect(result.text).toBe('美国对光伏组件征收30%关税[2]。');
    expect(result.dropped).toBe(1);
    expect(result.sentences[1]).toMatchObject({ supported: false, reason: 'terms-not-in-passage' });
  });

  it('keeps a short uncited lead-in but drops an uncited claim', () => {
    const result = checkCitations('根据文献：\n美国对光伏组件征收30%关税[2]。\n美国还对稀土加征了百分之五十的关税。', passages);
    expect(result.text).toContain('根据文献：');
    expect(result.text).toContain('[2]');
    expect(result.text).not.toContain('稀土');
    expect(result.dropped).toBe(1);
  });

  it('accepts [1, 2] lists and drops only the invalid numbers', () => {
    const result = checkCitations('光电等行业降幅明显，光伏组件被征收30%关税[1, 2, 9]。', passages);
    expect(result.fabricated).toBe(1);
    expect(result.text).toBe('光电等行业降幅明显，光伏组件被征收30%关税[1][2]。');
  });

  it('supports nothing in a reply without citations', () => {
    expect(checkCitations('I cannot find this in the documents, but it is probably 42%.', passages).cited).toEqual([]);
  });
});

describe('support must come from one place in the passage', () => {
  const LONG =
    '美国早在 2011 年和 2014 年就对中国光伏产品发起过两次“双反”调查。2017 年，美国启动了“201 调查”。' +
    '2018 年美国宣布对中国太阳能电池和光伏组件征收 30% 关税。实际上，美国在 2019 年之前已经针对中国绿色产业链实施了贸易壁垒政策。' +
    '拜登政府执政以来，针对中国供应链的“脱钩断链”意图日益明显。2022 年 8 月，拜登政府签署了《通胀削减法案》。';

  it.each([
    ['a claim the passage makes', '美国在2018年对中国太阳能电池和光伏组件征收30%关税。', true],
    ['the passage’s own words and numbers recombined into a claim it never makes', '美国已于2019年对中国全面禁运所有矿产。', false],
  ])('%s', (_name, sentence, supported) => {
    expect(sentenceSupport(`${sentence}[1]`, [LONG]).supported).toBe(supported);
  });
});
