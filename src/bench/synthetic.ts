/**
 * Synthetic corpora for the scale bench, grown from real passages so they cluster like real data.
 * Uniformly random vectors are HNSW's worst case and say nothing about real use; instead each synthetic
 * vector is a real passage vector blended with a little of two other real passages, plus slight noise:
 * it stays nearest its own passage but lies in the subspace real passages span.
 * Measured trade-off (recorded in bench/RESULTS.md): blending only with a passage's nearest neighbours
 * piles ~400 near-identical copies around each of the ~250 real passages at 100k, where a question's top
 * 10 differ by noise alone (top-1 − top-10 cosine ≈ 0.015 against 0.19 on the real corpus) and recall
 * measures tie-breaking, not search; blending across the corpus keeps neighbourhoods distinct.
 */
import { seededRandom } from '../embedding/svd.js';

// the same deterministic PRNG the corpus model is trained with: the same seed gives the same corpus everywhere
export { seededRandom };

/** Standard normal sample (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/** A dense row-major matrix of unit vectors, with per-row views for APIs that want Float32Array[]. */
export interface VectorMatrix {
  dims: number;
  count: number;
  data: Float32Array;
}

export function rows(matrix: VectorMatrix): Float32Array[] {
  const out: Float32Array[] = new Array(matrix.count);
  for (let i = 0; i < matrix.count; i++) out[i] = matrix.data.subarray(i * matrix.dims, (i + 1) * matrix.dims);
  return out;
}

export function toMatrix(vectors: readonly Float32Array[]): VectorMatrix {
  const dims = vectors[0]?.length ?? 0;
  const data = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => data.set(v, i * dims));
  return { dims, count: vectors.length, data };
}

/** For each base vector, the positions of its `k` most similar other base vectors (exact). */
export function nearestNeighbourTable(base: VectorMatrix, k: number): number[][] {
  const { dims, count, data } = base;
  const table: number[][] = [];
  for (let i = 0; i < count; i++) {
    const scores: { j: number; s: number }[] = [];
    for (let j = 0; j < count; j++) {
      if (j === i) continue;
      let s = 0;
      for (let d = 0; d < dims; d++) s += data[i * dims + d] * data[j * dims + d];
      scores.push({ j, s });
    }
    scores.sort((a, b) => b.s - a.s);
    table.push(scores.slice(0, k).map((x) => x.j));
  }
  return table;
}

export interface SynthesisOptions {
  seed: number;
  /** Length of the added isotropic noise relative to the unit vector (0.05 ⇒ cosine ≈ 0.999 to the clean blend). */
  noise?: number;
  /** How many real vectors (the passage and its neighbours) each synthetic one blends. */
  mixing?: number;
  /** Nearest real vectors a synthetic one may blend in (default: any other real passage). */
  neighbours?: number;
}

/** Where each synthetic vector came from, so a synthetic text can be made from the same passages. */
export interface SyntheticOrigin {
  from: number;
  towards: number;
  mix: number;
}

/** `n` synthetic unit vectors shaped like `base` (see the file comment). */
export function synthesiseVectors(base: VectorMatrix, n: number, options: SynthesisOptions, table = nearestNeighbourTable(base, options.neighbours ?? base.count - 1)): { matrix: VectorMatrix; origins: SyntheticOrigin[] } {
  const { dims } = base;
  const random = seededRandom(options.seed);
  const sigma = (options.noise ?? 0.05) / Math.sqrt(dims);
  const mixing = options.mixing ?? 3;
  const data = new Float32Array(n * dims);
  const origins: SyntheticOrigin[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const from = Math.floor(random() * base.count);
    const near = table[from];
    // a weighted blend dominated by `from` (weight 1–2 against u² ≤ 1 for the others)
    const members = [from];
    for (let m = 1; m < mixing && near.length; m++) members.push(near[Math.floor(random() * near.length)]);
    const weights = members.map((_, m) => (m === 0 ? 1 + random() : random() * random()));
    const total = weights.reduce((a, b) => a + b, 0);
    const row = data.subarray(r * dims, (r + 1) * dims);
    for (let d = 0; d < dims; d++) {
      let x = sigma * gaussian(random);
      for (let m = 0; m < members.length; m++) x += (weights[m] / total) * base.data[members[m] * dims + d];
      row[d] = x;
    }
    normalise(row);
    origins[r] = { from, towards: members[1] ?? from, mix: (weights[1] ?? 0) / total };
  }
  return { matrix: { dims, count: n, data }, origins };
}

/**
 * A plausible passage text made from two real ones: the sentences of `from` with a sentence of
 * `towards` spliced in and a sentence dropped, so lexical statistics stay realistic too.
 */
export function synthesiseText(texts: readonly string[], origin: SyntheticOrigin, random: () => number): string {
  const own = splitSentences(texts[origin.from] ?? '');
  const other = splitSentences(texts[origin.towards] ?? '');
  if (own.length > 1) own.splice(Math.floor(random() * own.length), 1);
  if (other.length) own.splice(Math.floor(random() * (own.length + 1)), 0, other[Math.floor(random() * other.length)]);
  return own.join('');
}

export function splitSentences(text: string): string[] {
  return text.match(/[^。！？!?；;.]+[。！？!?；;.]?/g) ?? (text ? [text] : []);
}

/**
 * Stand-in base vectors when no real passage vectors are at hand (no index, no embedder): a few hundred
 * anisotropic Gaussian clusters. Reported as such; real vectors are always preferred.
 */
export function clusteredBaseVectors(count: number, dims: number, seed: number): VectorMatrix {
  const random = seededRandom(seed);
  const topics = Math.max(1, Math.round(Math.sqrt(count)));
  const centres: Float32Array[] = [];
  for (let t = 0; t < topics; t++) centres.push(normalise(Float32Array.from({ length: dims }, () => gaussian(random))));
  const data = new Float32Array(count * dims);
  for (let r = 0; r < count; r++) {
    const centre = centres[Math.floor(random() * topics)];
    const row = data.subarray(r * dims, (r + 1) * dims);
    // a few strong directions per passage, as in real embeddings, rather than flat noise
    for (let d = 0; d < dims; d++) row[d] = centre[d] + (0.6 / Math.sqrt(dims)) * gaussian(random) * (d % 7 === 0 ? 2 : 0.7);
    normalise(row);
  }
  return { dims, count, data };
}
