import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { searchKey, toTraditional } from '../text/searchKey.js';
import { chineseWords } from '../text/segment.js';
import { isCjkChar, keySegments, tokensOfKey } from './corpusTokens.js';
import { configJson, SPECIAL_TOKENS, tokenizerConfigJson, tokenizerJson } from './corpusTokenizerFiles.js';
import { staticEmbeddingOnnx } from './onnxStaticModel.js';
import { type SparseMatrix, truncatedSvd } from './svd.js';

/**
 * The offline corpus model: per-token vectors learnt from the corpus itself (PPMI over a ±window of
 * characters/words plus characters sharing an Intl.Segmenter word, reduced by a seeded truncated SVD),
 * written as a Gather-only ONNX model + BERT tokenizer that transformers.js loads like a hub model.
 */

export interface CorpusModelOptions {
  outDir: string;
  dimensions?: number;
  seed?: number;
}

export interface CorpusModelInfo {
  /** `corpus:<sha8>` — changes whenever the model's bytes would. */
  modelId: string;
  dir: string;
  vocabSize: number;
  dimensions: number;
}

export interface CorpusModelTable {
  vocab: string[];
  dimensions: number;
  /** vocab.length × dimensions, row-major. */
  table: Float32Array;
}

export const CORPUS_MODEL_MAX_TOKENS = 512;
/**
 * Training knobs. Defaults measured by dense-only Recall@5 over the corpus's blank-line paragraphs on the dev
 * questions: 256 dims 0.83 (128 dims 0.70–0.74; 384 no better); eigenWeight 0.5 → 0.70, 1 → 0.65.
 */
export interface CorpusTraining {
  /** Co-occurrence window in tokens either side, weighted 1/distance. */
  window: number;
  /** Extra co-occurrence weight for two characters inside one segmented word (关 + 税 in 关税). */
  sameWordWeight: number;
  /** Context-distribution smoothing (Levy et al. 2015): damps PMI of rare contexts. */
  contextAlpha: number;
  /** Singular-value exponent for the token vectors: 0 (whitened) kept rarer, topical directions and retrieved best. */
  eigenWeight: number;
  /** SIF-style token weight a/(a+p): frequent, contentless characters (的, 了) barely move a mean. */
  sifA: number;
  /** Randomized-SVD power iterations: more cost ~1 s each and did not retrieve better. */
  powerIterations: number;
}

export const DEFAULT_TRAINING: CorpusTraining = {
  window: 3,
  sameWordWeight: 1,
  contextAlpha: 0.75,
  eigenWeight: 0,
  sifA: 1e-3,
  powerIterations: 1,
};

/** Learn the token table (pure; no I/O). */
export function trainCorpusTable(
  texts: string[],
  opts: { dimensions?: number; seed?: number; training?: Partial<CorpusTraining> } = {},
): CorpusModelTable {
  const dimensions = opts.dimensions ?? 256;
  const seed = opts.seed ?? 42;
  const { window, sameWordWeight, contextAlpha, eigenWeight, sifA, powerIterations } = { ...DEFAULT_TRAINING, ...opts.training };

  // 1. Tokens of every segment, on simplified keys, so 關稅 and 关税 are counted as one.
  const segments: string[][] = [];
  const wordsBySegment: string[][] = [];
  const rawVariants = new Set<string>();
  for (const text of texts) {
    for (const ch of text.normalize('NFKC').toLowerCase()) if (isCjkChar(ch)) rawVariants.add(ch);
    for (const seg of keySegments(searchKey(text))) {
      const tokens = tokensOfKey(seg);
      if (tokens.length === 0) continue;
      segments.push(tokens);
      wordsBySegment.push(chineseWords(seg));
    }
  }
  const frequency = new Map<string, number>();
  for (const tokens of segments) for (const t of tokens) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const trained = [...frequency.keys()].sort();
  const index = new Map<string, number>();
  trained.forEach((t, i) => index.set(t, i));
  const n = trained.length;
  if (n < 2) throw new Error('corpus model: the corpus has too little text to train on (add documents to corpus/)');

  // 2. Weighted co-occurrence counts (symmetric).
  const pairs = new Map<number, number>();
  const add = (a: number, b: number, w: number) => {
    pairs.set(a * n + b, (pairs.get(a * n + b) ?? 0) + w);
    pairs.set(b * n + a, (pairs.get(b * n + a) ?? 0) + w);
  };
  for (let s = 0; s < segments.length; s++) {
    const ids = segments[s].map((t) => index.get(t)!);
    for (let i = 0; i < ids.length; i++) {
      for (let d = 1; d <= window && i + d < ids.length; d++) add(ids[i], ids[i + d], 1 / d);
    }
    for (const word of wordsBySegment[s]) {
      const chars = [...word];
      for (let i = 0; i < chars.length; i++) {
        for (let j = i + 1; j < chars.length; j++) {
          const a = index.get(chars[i]);
          const b = index.get(chars[j]);
          if (a !== undefined && b !== undefined && a !== b) add(a, b, sameWordWeight);
        }
      }
    }
  }

  // 3. PPMI as a sparse matrix (rows in id order, columns sorted: deterministic).
  const rowSum = new Float64Array(n);
  for (const [key, c] of pairs) rowSum[Math.floor(key / n)] += c;
  const total = rowSum.reduce((a, b) => a + b, 0);
  const contextMass = Array.from(rowSum, (c) => Math.pow(c, contextAlpha));
  const contextTotal = contextMass.reduce((a, b) => a + b, 0);
  const keys = [...pairs.keys()].sort((a, b) => a - b);
  const rowStart = new Int32Array(n + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  for (const key of keys) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    const pmi = Math.log((pairs.get(key)! / total) / ((rowSum[a] / total) * (contextMass[b] / contextTotal)));
    if (pmi <= 0) continue;
    rowStart[a + 1]++;
    colIndex.push(b);
    values.push(pmi);
  }
  for (let r = 0; r < n; r++) rowStart[r + 1] += rowStart[r];
  const ppmi: SparseMatrix = { rows: n, cols: n, rowStart, colIndex: Int32Array.from(colIndex), values: Float64Array.from(values) };

  // 4. Truncated SVD → token vectors, unit length, scaled by SIF weight.
  const k = Math.min(dimensions, Math.max(1, n - 1));
  const { left, singularValues } = truncatedSvd(ppmi, k, { seed, powerIterations });
  const tokenCount = segments.reduce((a, s) => a + s.length, 0);
  const trainedRows = new Float64Array(n * dimensions);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let c = 0; c < k; c++) {
      const v = left[r * k + c] * Math.pow(singularValues[c], eigenWeight);
      trainedRows[r * dimensions + c] = v;
      norm += v * v;
    }
    const p = frequency.get(trained[r])! / tokenCount;
    const scale = norm > 0 ? sifA / (sifA + p) / Math.sqrt(norm) : 0;
    for (let c = 0; c < k; c++) trainedRows[r * dimensions + c] *= scale;
  }

  // 5. Vocabulary: specials (zero rows), trained tokens, then traditional forms sharing their simplified row.
  const vocab: string[] = [...SPECIAL_TOKENS, ...trained];
  const rowOf: number[] = [-1, -1, -1, -1, ...trained.map((_, i) => i)];
  const known = new Set(vocab);
  const variants = new Map<string, number>();
  const addVariant = (variant: string, simplified: string) => {
    const row = index.get(simplified);
    if (row === undefined || known.has(variant) || variants.has(variant)) return;
    variants.set(variant, row);
  };
  for (const ch of rawVariants) addVariant(ch, searchKey(ch));
  for (const t of trained) {
    if (!isCjkChar(t)) continue;
    const traditional = toTraditional(t);
    if ([...traditional].length === 1 && isCjkChar(traditional)) addVariant(traditional, t);
  }
  for (const variant of [...variants.keys()].sort()) {
    vocab.push(variant);
    rowOf.push(variants.get(variant)!);
  }

  const table = new Float32Array(vocab.length * dimensions);
  rowOf.forEach((row, id) => {
    if (row < 0) return;
    for (let c = 0; c < dimensions; c++) table[id * dimensions + c] = trainedRows[row * dimensions + c];
  });
  return { vocab, dimensions, table };
}

/** Train on the corpus texts and write the model directory transformers.js loads. Same texts + seed ⇒ same bytes. */
export async function trainCorpusModel(texts: string[], opts: CorpusModelOptions): Promise<CorpusModelInfo> {
  const { vocab, dimensions, table } = trainCorpusTable(texts, opts);
  const onnxBytes = staticEmbeddingOnnx(table, vocab.length, dimensions);
  const tokenizer = JSON.stringify(tokenizerJson(vocab));
  const fingerprint = createHash('sha256').update(onnxBytes).update(tokenizer).digest('hex').slice(0, 8);
  await mkdir(join(opts.outDir, 'onnx'), { recursive: true });
  await writeFile(join(opts.outDir, 'onnx', 'model.onnx'), onnxBytes);
  await writeFile(join(opts.outDir, 'tokenizer.json'), tokenizer);
  await writeFile(join(opts.outDir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(CORPUS_MODEL_MAX_TOKENS), null, 2));
  await writeFile(
    join(opts.outDir, 'config.json'),
    JSON.stringify(configJson(vocab.length, dimensions, CORPUS_MODEL_MAX_TOKENS, fingerprint), null, 2),
  );
  return { modelId: `corpus:${fingerprint}`, dir: opts.outDir, vocabSize: vocab.length, dimensions };
}
