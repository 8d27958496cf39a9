/**
 * Numbers written in Chinese numerals, as the values a question's Arabic numbers are compared with: 二〇二七
 * (digit by digit) is 2027, 百分之六十 is 60 (a share), 三十六 is 36, 百日 is 100, 1.2万 is 12000.
 */
const DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000, 萬: 10000, 亿: 1e8, 億: 1e8 };
const RUN = /[〇零一二两兩三四五六七八九十百千万萬亿億]+/gu;

/** The value of one run of Chinese numerals, or undefined when it is not one number. */
export function chineseNumberValue(run: string): number | undefined {
  const chars = [...run];
  if (chars.every((c) => c in DIGIT)) return chars.length > 1 ? Number(chars.map((c) => DIGIT[c]).join('')) : DIGIT[chars[0]];
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const c of chars) {
    if (c in DIGIT) {
      digit = DIGIT[c];
      continue;
    }
    const unit = UNIT[c];
    if (unit >= 10000) {
      total = (total + section + (digit ?? 0)) * unit;
      section = 0;
    } else {
      section += (digit ?? 1) * unit;
    }
    digit = undefined;
  }
  return total + section + (digit ?? 0);
}

/** Every number a text writes in Chinese numerals (the Arabic ones are numbersIn's), as Arabic strings. */
export function chineseNumbersIn(text: string): string[] {
  // 百分之六十 is the share 60, not 100 and 60
  return [...text.replace(/百分之/gu, ' ').matchAll(RUN)].map((m) => chineseNumberValue(m[0])).filter((v): v is number => v !== undefined).map(String);
}
