/** String similarity for typo-tolerant lookup; works on code points so Han characters count as one. */

/** Levenshtein distance, giving up early (returns max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[y.length];
}

/** Character bigrams (single characters for one-character strings). */
export function bigrams(text: string): string[] {
  const chars = [...text];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** Dice coefficient over character bigrams, 0..1. */
export function bigramSimilarity(a: string, b: string): number {
  const ga = bigrams(a);
  const gb = bigrams(b);
  if (ga.length === 0 || gb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of ga) counts.set(g, (counts.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of gb) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(g, n - 1);
    }
  }
  return (2 * shared) / (ga.length + gb.length);
}

/**
 * Edit-distance budget for a key: Han characters carry a word each, so one wrong character in a
 * two-character term (脱勾 → 脱钩) is still a typo; Latin keys need more letters before a slip is tolerated.
 */
export function typoBudget(key: string): number {
  const n = [...key].length;
  if (/\p{Script=Han}/u.test(key)) return n < 2 ? 0 : n < 6 ? 1 : 2;
  return n <= 3 ? 0 : n <= 6 ? 1 : 2;
}
