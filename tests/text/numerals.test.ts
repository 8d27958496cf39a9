import { describe, expect, it } from 'vitest';
import { chineseNumberValue, chineseNumbersIn } from '../../src/text/numerals.js';

describe('Chinese numerals', () => {
  it.each([
    ['二〇二七', 2027],
    ['六十', 60],
    ['三十六', 36],
    ['百', 100],
    ['一百零五', 105],
    ['十', 10],
    ['两千', 2000],
    ['三万五千', 35000],
    ['七', 7],
  ])('%s is %d', (run, value) => {
    expect(chineseNumberValue(run)).toBe(value);
  });
  it('finds the numbers a sentence writes', () => {
    expect(chineseNumbersIn('报告建议在二〇二七年前实现百分之六十的回收率，百日评估')).toEqual(['2027', '60', '100']);
  });
});
