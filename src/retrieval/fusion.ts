/** One ranked list's contribution to fusion. */
export interface RankedList<T> {
  items: T[];
  weight: number;
}

export interface FusionParams {
  /** RRF constant: larger flattens the difference between ranks. */
  k: number;
  /** Weight of the dense list (lexical gets 1 − dense). */
  denseWeight: number;
}

/**
 * Chosen on the whole dev set (tests/retrieval/tune-fusion, `tuneFusion`): a grid over k ∈ {5…100} and
 * denseWeight ∈ {0.2…0.8}; these values sit on a plateau of hybrid MRR/Recall@5 rather than on a single spike.
 */
export const DEFAULT_FUSION: FusionParams = { k: 20, denseWeight: 0.5 };

/** Weighted reciprocal rank fusion: Σ weight / (k + rank), rank from 1. Ties keep first-list order. */
export function reciprocalRankFusion<T>(lists: RankedList<T>[], key: (item: T) => string, k: number): { item: T; score: number; ranks: number[] }[] {
  const fused = new Map<string, { item: T; score: number; ranks: number[]; order: number }>();
  let order = 0;
  lists.forEach((list, li) => {
    list.items.forEach((item, i) => {
      const id = key(item);
      let entry = fused.get(id);
      if (!entry) {
        entry = { item, score: 0, ranks: lists.map(() => 0), order: order++ };
        fused.set(id, entry);
      }
      entry.score += list.weight / (k + i + 1);
      entry.ranks[li] = i + 1;
    });
  });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ item, score, ranks }) => ({ item, score, ranks }));
}
