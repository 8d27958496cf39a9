import type { TextEmbedder } from '../embedding/embedder-api.js';
import type { IndexSnapshot } from '../index/api.js';
import { clusteredBaseVectors, seededRandom, synthesiseText, synthesiseVectors, toMatrix, type VectorMatrix } from './synthetic.js';

/** The real passages the synthetic corpora grow from, and the embedder that made their vectors. */
export interface ScaleBase {
  base: VectorMatrix;
  texts: string[];
  embedder?: TextEmbedder;
  /** Human-readable origin, printed with the scale table. */
  source: string;
}

/** Passage vectors and texts of a built index (through the librarian's own retriever), or a stand-in. */
export async function loadScaleBase(librarian: { searcher(o?: { expand?: boolean }): { index: Pick<IndexSnapshot, 'passages' | 'vectorOf'>; embedder: TextEmbedder } } | undefined, why?: string): Promise<ScaleBase> {
  if (librarian) {
    const { index, embedder } = librarian.searcher();
    const vectors = index.passages.flatMap((p) => index.vectorOf(p.id) ?? []);
    if (vectors.length >= 2) {
      return {
        base: toMatrix(vectors),
        texts: index.passages.map((p) => p.text),
        embedder,
        source: `${vectors.length} real passage vectors of the corpus (${embedder.modelId}, ${embedder.dimensions} dims); sizes ≤ 20k embed synthetic texts with that model, larger sizes are perturbed copies of the real vectors`,
      };
    }
  }
  const dims = 256;
  return {
    base: clusteredBaseVectors(400, dims, 11),
    texts: [],
    source: `stand-in clustered vectors (${dims} dims): no built index (${why ?? 'unknown'})`,
  };
}

/** Query vectors: varied dev questions through the real embedder, else fresh perturbed points. */
export async function scaleQueries(scaleBase: ScaleBase, questions: string[], count: number): Promise<VectorMatrix> {
  if (scaleBase.embedder) {
    const { prepareQuery } = await import('../retrieval/query.js');
    const vectors: Float32Array[] = [];
    for (const q of questions.slice(0, count)) vectors.push(await scaleBase.embedder.embedQuery(prepareQuery(q).embedText));
    return toMatrix(vectors);
  }
  return synthesiseVectors(scaleBase.base, count, { seed: 4242 }).matrix;
}

/** `n` synthetic passage texts grown from the real ones, embedded by the real embedder. */
export async function embeddedDataset(scaleBase: ScaleBase, n: number, seed: number): Promise<{ matrix: VectorMatrix; texts: string[] }> {
  if (!scaleBase.embedder) throw new Error('no embedder');
  const { origins } = synthesiseVectors(scaleBase.base, n, { seed });
  const random = seededRandom(seed + 1);
  const texts = origins.map((o) => synthesiseText(scaleBase.texts, o, random));
  const vectors = await scaleBase.embedder.embedPassages(texts);
  return { matrix: toMatrix(vectors), texts };
}
