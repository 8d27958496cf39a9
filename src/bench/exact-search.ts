import type { VectorMatrix } from './synthetic.js';

export interface Neighbour {
  position: number;
  score: number;
}

/**
 * Exact top-k by cosine over unit vectors: one pass over a flat Float32Array keeping the k best.
 * The yardstick for recall and, timed, the "plain brute-force scan" baseline.
 */
export function exactTopK(matrix: VectorMatrix, query: Float32Array, k: number): Neighbour[] {
  const { dims, count, data } = matrix;
  const best: Neighbour[] = [];
  let floor = -Infinity;
  for (let r = 0; r < count; r++) {
    let s = 0;
    const offset = r * dims;
    for (let d = 0; d < dims; d++) s += data[offset + d] * query[d];
    if (best.length < k) {
      insertSorted(best, { position: r, score: s });
      floor = best[best.length - 1].score;
    } else if (s > floor) {
      best.pop();
      insertSorted(best, { position: r, score: s });
      floor = best[best.length - 1].score;
    }
  }
  return best;
}

function insertSorted(list: Neighbour[], item: Neighbour): void {
  let i = list.length;
  while (i > 0 && list[i - 1].score < item.score) i--;
  list.splice(i, 0, item);
}

/**
 * Share of the exact top-k an approximate answer found. A returned neighbour scoring at least the
 * exact k-th score also counts: with ties at the boundary either one is a correct answer.
 */
export function recallAtK(exact: readonly Neighbour[], approx: readonly Neighbour[], k: number): number {
  const wanted = Math.min(k, exact.length);
  if (wanted === 0) return 1;
  const exactSet = new Set(exact.slice(0, k).map((h) => h.position));
  const kth = exact[wanted - 1].score;
  let found = 0;
  for (const h of approx.slice(0, k)) if (exactSet.has(h.position) || h.score >= kth - 1e-6) found++;
  return Math.min(1, found / wanted);
}
