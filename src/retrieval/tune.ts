import type { FusionParams } from './fusion.js';
import { firstEvidenceRank, type EvalQuestion } from './evaluate.js';
import { rankResults, type Retriever } from './hybrid.js';

export interface FusionTrial {
  params: FusionParams;
  recall5: number;
  mrr: number;
}

/**
 * Grid search of the fusion parameters over a whole question set (never per question): candidate lists
 * are computed once per question, then re-fused for every (k, denseWeight). Returns trials best first
 * (Recall@5, then MRR).
 */
export async function tuneFusion(
  retriever: Retriever,
  questions: EvalQuestion[],
  grid: { k: number[]; denseWeight: number[] } = { k: [5, 10, 20, 30, 60, 100], denseWeight: [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] },
): Promise<FusionTrial[]> {
  const scored = questions.filter((q) => q.kind !== 'none' && q.evidence.length > 0);
  const lists = await Promise.all(scored.map((q) => retriever.candidates(q.question, 50)));
  const trials: FusionTrial[] = [];
  for (const k of grid.k) {
    for (const denseWeight of grid.denseWeight) {
      const params = { k, denseWeight };
      let hits = 0;
      let rr = 0;
      scored.forEach((q, i) => {
        const rank = firstEvidenceRank(rankResults(lists[i], 'hybrid', params, 10).map((r) => r.passage), q.evidence);
        if (rank > 0 && rank <= 5) hits++;
        if (rank > 0) rr += 1 / rank;
      });
      trials.push({ params, recall5: hits / Math.max(1, scored.length), mrr: rr / Math.max(1, scored.length) });
    }
  }
  return trials.sort((a, b) => b.recall5 - a.recall5 || b.mrr - a.mrr);
}
