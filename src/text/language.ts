import { toSimplified, toTraditional } from './searchKey.js';
import type { QuestionLang } from '../core/answer.js';

const HAN_GLOBAL = /\p{Script=Han}/gu;
const LATIN_GLOBAL = /[A-Za-z]/g;

/**
 * Script of a question: English when it has more Latin letters than Han characters;
 * traditional when converting to simplified changes more characters than converting to traditional.
 */
export function detectLang(text: string): QuestionLang {
  const han = text.match(HAN_GLOBAL) ?? [];
  const latin = text.match(LATIN_GLOBAL)?.length ?? 0;
  if (han.length === 0 || latin > han.length * 2) return 'en';
  const hanText = han.join('');
  const changedBySimplifying = diffCount(hanText, toSimplified(hanText));
  // nothing to simplify is simplified whatever traditionalising would change: the simplified → traditional
  // converter (~0.1 s to build) is then never built, in a simplified-Chinese user's first answer
  if (changedBySimplifying === 0) return 'zh-Hans';
  const changedByTraditionalising = diffCount(hanText, toTraditional(hanText));
  return changedBySimplifying > changedByTraditionalising ? 'zh-Hant' : 'zh-Hans';
}

function diffCount(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  let n = Math.abs(ca.length - cb.length);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) n++;
  return n;
}
