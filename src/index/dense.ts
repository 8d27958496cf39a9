import hnswlib from 'hnswlib-node';
import type { HnswParams } from './manifest.js';

const { HierarchicalNSW } = hnswlib;

export interface DenseHit {
  /** Position of the passage in the index's passage list. */
  position: number;
  /** Cosine similarity (1 − cosine distance). */
  score: number;
}

/** Nearest-neighbour search over passage vectors (HNSW, cosine space). */
export class DenseIndex {
  private constructor(
    private readonly hnsw: InstanceType<typeof HierarchicalNSW>,
    readonly size: number,
    readonly params: HnswParams,
  ) {}

  static build(vectors: Float32Array[], dims: number, params: HnswParams): DenseIndex {
    const hnsw = new HierarchicalNSW('cosine', dims);
    // a fixed seed makes a rebuilt index identical for identical vectors
    hnsw.initIndex(Math.max(1, vectors.length), params.m, params.efConstruction, 100);
    // addPoint wants a plain Array, not a Float32Array
    vectors.forEach((v, i) => hnsw.addPoint(Array.from(v), i));
    hnsw.setEf(params.ef);
    return new DenseIndex(hnsw, vectors.length, params);
  }

  static read(file: string, dims: number, size: number, params: HnswParams): DenseIndex {
    const hnsw = new HierarchicalNSW('cosine', dims);
    hnsw.readIndexSync(file);
    if (hnsw.getCurrentCount() !== size) {
      throw new Error(`HNSW file holds ${hnsw.getCurrentCount()} vectors, the manifest says ${size}`);
    }
    hnsw.setEf(params.ef);
    return new DenseIndex(hnsw, size, params);
  }

  /** The same graph searched with another ef (for tuning; the graph is shared, not copied). */
  withEf(ef: number): DenseIndex {
    const params = { ...this.params, ef };
    this.hnsw.setEf(ef);
    return new DenseIndex(this.hnsw, this.size, params);
  }

  write(file: string): void {
    this.hnsw.writeIndexSync(file);
  }

  /** Top-k by cosine similarity; `ef` overrides the tuned candidate list for this search. */
  search(vector: Float32Array | number[], k: number, efOverride?: number): DenseHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    // ef below k would silently return fewer/worse neighbours; set before every search because a
    // tuning view (withEf) may share this graph
    const ef = Math.max(efOverride ?? this.params.ef, n);
    if (this.hnsw.getEf() !== ef) this.hnsw.setEf(ef);
    const { neighbors, distances } = this.hnsw.searchKnn(Array.from(vector), n);
    return neighbors.map((position, i) => ({ position, score: 1 - distances[i] }));
  }
}

/** Exact cosine top-k over normalised-or-not vectors: the yardstick HNSW is measured against. */
export function bruteForceSearch(vectors: Float32Array[], query: Float32Array, k: number): DenseHit[] {
  const qn = norm(query) || 1;
  const hits = vectors.map((v, position) => ({ position, score: dot(v, query) / ((norm(v) || 1) * qn) }));
  hits.sort((a, b) => b.score - a.score || a.position - b.position);
  return hits.slice(0, k);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function norm(a: Float32Array): number {
  return Math.sqrt(dot(a, a));
}

/**
 * Top-k recall of HNSW against brute force, using each stored vector (and small perturbations of it)
 * as a query: how the parameters in the manifest were chosen.
 */
export function measureHnswRecall(
  vectors: Float32Array[],
  dims: number,
  params: HnswParams,
  k = 10,
  queries: Float32Array[] = vectors,
): { recall: number; msPerQuery: number } {
  const index = DenseIndex.build(vectors, dims, params);
  let found = 0;
  let wanted = 0;
  const t0 = performance.now();
  const approx = queries.map((q) => index.search(q, k));
  const ms = performance.now() - t0;
  queries.forEach((q, i) => {
    const exact = bruteForceSearch(vectors, q, k);
    // ties at the k-th score make either neighbour correct
    const kth = exact[exact.length - 1]?.score ?? 0;
    const exactSet = new Set(exact.map((h) => h.position));
    wanted += exact.length;
    for (const h of approx[i]) if (exactSet.has(h.position) || h.score >= kth - 1e-6) found++;
  });
  return { recall: wanted ? Math.min(1, found / wanted) : 1, msPerQuery: ms / Math.max(1, queries.length) };
}

export interface EfChoice {
  ef: number;
  /** Top-k recall against brute force at that ef, on the sample queries. */
  recall: number;
  queries: number;
}

/** Search-time ef values tried, smallest first: the first that reaches the target wins. */
export const EF_LADDER = [32, 64, 100, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048];

/** The ef values tried from `floor` up (at most `max`: pgvector's `hnsw.ef_search` stops at 1000). */
export function efLadder(floor: number, max = Infinity): number[] {
  return [floor, ...EF_LADDER.filter((ef) => ef > floor && ef <= max)];
}

/**
 * Sample queries for choosing ef: blends of two stored vectors (a question touching two passages),
 * deterministic for the same vectors, with their exact top-k.
 */
export function tuningQueries(vectors: Float32Array[], k: number, sample = 100): { queries: Float32Array[]; exact: DenseHit[][] } {
  const count = Math.min(sample, vectors.length);
  const stride = vectors.length / count;
  const queries: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const a = vectors[Math.floor(i * stride)];
    const b = vectors[Math.floor((i * stride * 7919 + 1) % vectors.length)];
    const q = new Float32Array(a.length);
    for (let d = 0; d < q.length; d++) q[d] = a[d] + b[d];
    queries.push(q);
  }
  return { queries, exact: queries.map((q) => bruteForceSearch(vectors, q, k)) };
}

/** Share of the exact top-k found, over all queries; ties at the k-th score make either neighbour correct. */
export function recallAgainst(exact: DenseHit[][], found: DenseHit[][]): number {
  let hits = 0;
  let wanted = 0;
  exact.forEach((truth, i) => {
    const kth = truth[truth.length - 1]?.score ?? 0;
    const ids = new Set(truth.map((h) => h.position));
    wanted += truth.length;
    for (const h of found[i]) if (ids.has(h.position) || h.score >= kth - 1e-6) hits++;
  });
  return wanted ? Math.min(1, hits / wanted) : 1;
}

/**
 * Chooses ef by measurement on the index just built (queries from `tuningQueries`): the smallest ef whose
 * top-k recall against brute force reaches `target` is kept (the largest tried otherwise). Small corpora
 * stay at the floor; a large, crowded one gets the ef it needs instead of a constant that was only right
 * for one size.
 */
export function tuneEf(index: DenseIndex, vectors: Float32Array[], options: { target?: number; k?: number; sample?: number; floor?: number } = {}): EfChoice {
  const target = options.target ?? 0.99;
  const k = Math.min(options.k ?? 10, vectors.length);
  const floor = options.floor ?? index.params.ef;
  if (vectors.length <= k || k === 0) return { ef: floor, recall: 1, queries: 0 };
  const { queries, exact } = tuningQueries(vectors, k, options.sample);
  let best: EfChoice = { ef: floor, recall: 0, queries: queries.length };
  for (const ef of efLadder(floor)) {
    const probe = index.withEf(ef);
    best = { ef, recall: recallAgainst(exact, queries.map((q) => probe.search(q, k))), queries: queries.length };
    if (best.recall >= target) break;
  }
  return best;
}
