/**
 * Numbers written in Chinese numerals, as the values a question's Arabic numbers are compared with: 二〇二七
 * (digit by digit) is 2027, 百分之六十 is 60 (a share), 三十六 is 36, 百日 is 100. The numeral characters are
 * language data (lang/zh.json), read once.
 */
import { zhData, type LangFile } from './lang.js';

type NumeralData = NonNullable<LangFile['numerals']>;

let data: (NumeralData & { run: RegExp }) | undefined;

function numerals(): NumeralData & { run: RegExp } {
  if (data) return data;
  // (the language file lang.ts has read already, not a second read)
  const read = zhData().numerals;
  if (!read) throw new Error('lang/zh.json has no numerals');
  const chars = [...Object.keys(read.digits), ...Object.keys(read.units)].join('');
  data = { ...read, run: new RegExp(`[${chars}]+`, 'gu') };
  return data;
}

/** The value of one run of Chinese numerals. */
export function chineseNumberValue(run: string): number | undefined {
  const { digits, units } = numerals();
  const chars = [...run];
  if (chars.length === 0 || chars.some((c) => !(c in digits) && !(c in units))) return undefined;
  if (chars.every((c) => c in digits)) return chars.length > 1 ? Number(chars.map((c) => digits[c]).join('')) : digits[chars[0]];
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const c of chars) {
    if (c in digits) {
      digit = digits[c];
      continue;
    }
    const unit = units[c];
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
  const { run, sharePrefix } = numerals();
  // 百分之六十 is the share 60, not 100 and 60
  return [...text.split(sharePrefix).join(' ').matchAll(run)].map((m) => chineseNumberValue(m[0])).filter((v): v is number => v !== undefined).map(String);
}
