/**
 * Fitting the answer-or-refuse model (src/answer/decision.ts): boosted trees for the decision, a listwise
 * linear ranker for the sentences, and the threshold per language read off the precision–recall curve. Pure and deterministic: the
 * same examples give the same file.
 */
import type { BoostedModel, LinearModel, TreeNode } from '../answer/decision.js';

export interface Example {
  x: number[];
  /** 1: answering is right (the passage cited first holds the answer); 0: refusing is (a near miss, or a wrong passage). */
  y: 0 | 1;
  /** The example's weight (each input set weighs the same in all). */
  w: number;
  group: 'zh' | 'en';
  /** A near miss (its collection lacks the answer), for the refusal figures. */
  nearMiss: boolean;
}

export interface CurvePoint {
  threshold: number;
  /** Of the answered, the share answered right. */
  precision: number;
  /** Of those answering would get right, the share answered. */
  recall: number;
  /** Near misses refused. */
  nearMissesRefused: number;
}

/** The precision–recall curve of answering over thresholds 0.05 … 0.95 (weighted). */
export function curve(examples: Example[], p: number[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  const positives = examples.reduce((s, e) => s + (e.y ? e.w : 0), 0);
  const near = examples.reduce((s, e) => s + (e.nearMiss ? e.w : 0), 0);
  for (let t = 0.05; t < 0.951; t += 0.025) {
    let answered = 0;
    let right = 0;
    let nearAnswered = 0;
    examples.forEach((e, i) => {
      if (p[i] < t) return;
      answered += e.w;
      if (e.y) right += e.w;
      if (e.nearMiss) nearAnswered += e.w;
    });
    points.push({ threshold: Math.round(t * 1000) / 1000, precision: answered ? right / answered : 1, recall: positives ? right / positives : 0, nearMissesRefused: near ? 1 - nearAnswered / near : 1 });
  }
  return points;
}

/**
 * The operating point, read off the curve as HuixiangDou reads its reject threshold: the lowest threshold that
 * refuses at least `refuseTarget` of the near misses (so as many right answers as possible are given at the
 * refusal rate the product promises), or the one that refuses most when none reaches it.
 */
export function chooseThreshold(points: CurvePoint[], refuseTarget: number): CurvePoint {
  const reaching = points.filter((p) => p.nearMissesRefused >= refuseTarget);
  if (reaching.length) return reaching.reduce((best, p) => (p.threshold < best.threshold ? p : best));
  return points.reduce((best, p) => (p.nearMissesRefused > best.nearMissesRefused ? p : best));
}

/**
 * A listwise ranker: softmax over each question's candidate sentences, fitted to put the probability on those
 * that hold the answer (each question weighs `w`). Returned as a linear model; its sigmoid orders sentences the
 * same way as the softmax does.
 */
export function fitSoftmaxRanker(questions: { x: number[][]; y: boolean[]; w: number }[], n: number, options: { iterations?: number; rate?: number; l2?: number } = {}): Omit<LinearModel, 'features'> {
  const rows = questions.flatMap((q) => q.x);
  const mean = Array.from({ length: n }, (_, j) => rows.reduce((s, x) => s + x[j], 0) / Math.max(1, rows.length));
  const scale = Array.from({ length: n }, (_, j) => Math.sqrt(rows.reduce((s, x) => s + (x[j] - mean[j]) ** 2, 0) / Math.max(1, rows.length)) || 1);
  const data = questions.map((q) => {
    const positives = q.y.filter(Boolean).length;
    return { z: q.x.map((x) => x.map((v, j) => (v - mean[j]) / scale[j])), t: q.y.map((y) => (y ? 1 / positives : 0)), w: q.w };
  });
  const totalW = data.reduce((s, q) => s + q.w, 0) || 1;
  const weights = new Array<number>(n).fill(0);
  const { iterations = 300, rate = 0.5, l2 = 1e-3 } = options;
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(n).fill(0);
    for (const q of data) {
      const s = q.z.map((z) => z.reduce((acc, v, j) => acc + v * weights[j], 0));
      const max = Math.max(...s);
      const e = s.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      q.z.forEach((z, i) => {
        const d = (e[i] / sum - q.t[i]) * q.w;
        for (let j = 0; j < n; j++) grad[j] += d * z[j];
      });
    }
    for (let j = 0; j < n; j++) weights[j] -= rate * (grad[j] / totalW + l2 * weights[j]);
  }
  // the bias does not change the order; 0 puts an average sentence at probability ½
  return { mean, scale, weights, bias: 0 };
}

/**
 * Gradient-boosted regression trees on the log-loss (Newton leaves), the decision's model: the features interact
 * (a high coverage means little when the best sentence barely stands out), which a linear model cannot say.
 * Measured against logistic regression in four folds of the fitting data: AUC 0.914 against 0.856.
 */
export function fitBoosted(examples: Example[], n: number, options: { rounds?: number; rate?: number; depth?: number; minLeaf?: number } = {}): BoostedModel {
  const { rounds = 100, rate = 0.2, depth = 2, minLeaf = 10 } = options;
  const m = examples.length;
  // candidate split points: every value of a feature with few (a yes/no feature whose rare side matters), else
  // 19 quantiles; a split at the largest value would put everything on one side
  const cuts = Array.from({ length: n }, (_, j) => {
    const sorted = examples.map((e) => e.x[j]).sort((a, b) => a - b);
    const distinct = [...new Set(sorted)];
    const points = distinct.length <= 20 ? distinct : [...new Set(Array.from({ length: 19 }, (_, q) => sorted[Math.floor(((q + 1) / 20) * (m - 1))]))];
    return points.filter((t) => t < distinct[distinct.length - 1]);
  });
  const score = new Float64Array(m);
  const trees: TreeNode[] = [];
  const leaf = (idx: number[], g: Float64Array, h: Float64Array): TreeNode => {
    let sg = 0;
    let sh = 0;
    for (const i of idx) {
      sg += g[i];
      sh += h[i];
    }
    return { v: Math.round((sg / (sh + 1e-9)) * 1e6) / 1e6 };
  };
  const grow = (idx: number[], g: Float64Array, h: Float64Array, d: number): TreeNode => {
    if (d === 0 || idx.length < 2 * minLeaf) return leaf(idx, g, h);
    let best: { gain: number; f: number; t: number } | undefined;
    for (let f = 0; f < n; f++) {
      for (const t of cuts[f]) {
        let gl = 0;
        let hl = 0;
        let gr = 0;
        let hr = 0;
        let nl = 0;
        for (const i of idx) {
          if (examples[i].x[f] <= t) {
            gl += g[i];
            hl += h[i];
            nl++;
          } else {
            gr += g[i];
            hr += h[i];
          }
        }
        if (nl < minLeaf || idx.length - nl < minLeaf) continue;
        const gain = (gl * gl) / (hl + 1e-9) + (gr * gr) / (hr + 1e-9);
        if (!best || gain > best.gain) best = { gain, f, t };
      }
    }
    if (!best) return leaf(idx, g, h);
    const { f, t } = best;
    return { f, t, l: grow(idx.filter((i) => examples[i].x[f] <= t), g, h, d - 1), r: grow(idx.filter((i) => examples[i].x[f] > t), g, h, d - 1) };
  };
  const value = (node: TreeNode, x: number[]): number => ('v' in node ? node.v : value(x[node.f] <= node.t ? node.l : node.r, x));
  const all = examples.map((_, i) => i);
  for (let round = 0; round < rounds; round++) {
    const g = new Float64Array(m);
    const h = new Float64Array(m);
    examples.forEach((e, i) => {
      const p = 1 / (1 + Math.exp(-score[i]));
      g[i] = e.w * (e.y - p);
      h[i] = e.w * p * (1 - p);
    });
    const tree = grow(all, g, h, depth);
    trees.push(tree);
    examples.forEach((e, i) => {
      score[i] += rate * value(tree, e.x);
    });
  }
  return { base: 0, rate, trees };
}
