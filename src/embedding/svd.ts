/**
 * Truncated SVD of a sparse matrix in plain TypeScript (randomized range finder with power iterations,
 * Halko et al. 2011), deterministic for a given seed: no native dependencies, no threads.
 */

/** Compressed sparse rows: row r's entries are cols/values[rowStart[r] .. rowStart[r+1]). */
export interface SparseMatrix {
  rows: number;
  cols: number;
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
}

/** Small seeded PRNG (mulberry32): same seed, same stream on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-12);
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Y (rows×l) = M · X (cols×l); dense matrices row-major. */
function multiply(m: SparseMatrix, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(m.rows * l);
  for (let r = 0; r < m.rows; r++) {
    const yo = r * l;
    for (let p = m.rowStart[r]; p < m.rowStart[r + 1]; p++) {
      const v = m.values[p];
      const xo = m.colIndex[p] * l;
      for (let j = 0; j < l; j++) y[yo + j] += v * x[xo + j];
    }
  }
  return y;
}

/** Y (cols×l) = Mᵀ · X (rows×l). */
function multiplyTransposed(m: SparseMatrix, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(m.cols * l);
  for (let r = 0; r < m.rows; r++) {
    const xo = r * l;
    for (let p = m.rowStart[r]; p < m.rowStart[r + 1]; p++) {
      const v = m.values[p];
      const yo = m.colIndex[p] * l;
      for (let j = 0; j < l; j++) y[yo + j] += v * x[xo + j];
    }
  }
  return y;
}

/**
 * Orthonormalise the l columns of a row-major n×l matrix in place (modified Gram–Schmidt; a second pass
 * restores orthogonality lost to rounding, needed only for the final basis). Columns are copied out contiguously first: strided access made this the slowest step.
 */
function orthonormaliseColumns(a: Float64Array, n: number, l: number, passes: number): void {
  const cols: Float64Array[] = [];
  for (let j = 0; j < l; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = a[i * l + j];
    cols.push(col);
  }
  for (let pass = 0; pass < passes; pass++) {
    for (let j = 0; j < l; j++) {
      const col = cols[j];
      for (let k = 0; k < j; k++) {
        const other = cols[k];
        let dot = 0;
        for (let i = 0; i < n; i++) dot += col[i] * other[i];
        for (let i = 0; i < n; i++) col[i] -= dot * other[i];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += col[i] * col[i];
      norm = Math.sqrt(norm);
      const scale = norm > 1e-12 ? 1 / norm : 0;
      for (let i = 0; i < n; i++) col[i] *= scale;
    }
  }
  for (let j = 0; j < l; j++) {
    const col = cols[j];
    for (let i = 0; i < n; i++) a[i * l + j] = col[i];
  }
}

/** Eigen-decomposition of a symmetric l×l matrix (cyclic Jacobi). Returns eigenvalues and column eigenvectors. */
function symmetricEigen(s: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q] * a[p * l + q];
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q] - a[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i];
  return { values, vectors: v };
}

/**
 * Top-k left singular vectors and singular values of m. `left` is row-major rows×k, columns ordered by
 * descending singular value; each column's sign is fixed so its largest-magnitude entry is positive.
 */
export function truncatedSvd(
  m: SparseMatrix,
  k: number,
  opts: { seed: number; oversample?: number; powerIterations?: number },
): { left: Float64Array; singularValues: Float64Array; k: number } {
  const rank = Math.min(k, m.rows, m.cols);
  const l = Math.min(rank + (opts.oversample ?? 10), m.rows, m.cols);
  const normal = gaussian(seededRandom(opts.seed));
  const omega = new Float64Array(m.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = normal();

  const iterations = opts.powerIterations ?? 1;
  let y = multiply(m, omega, l);
  orthonormaliseColumns(y, m.rows, l, iterations === 0 ? 2 : 1);
  for (let it = 0; it < iterations; it++) {
    const z = multiplyTransposed(m, y, l);
    orthonormaliseColumns(z, m.cols, l, 1);
    y = multiply(m, z, l);
    orthonormaliseColumns(y, m.rows, l, it === iterations - 1 ? 2 : 1);
  }
  // B = Qᵀ M, held transposed (cols×l); eigen-decompose B Bᵀ (l×l) for B's left singular vectors.
  const bt = multiplyTransposed(m, y, l);
  const gram = new Float64Array(l * l);
  for (let c = 0; c < m.cols; c++) {
    const o = c * l;
    for (let i = 0; i < l; i++) {
      const bi = bt[o + i];
      if (bi === 0) continue;
      for (let j = i; j < l; j++) gram[i * l + j] += bi * bt[o + j];
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) gram[i * l + j] = gram[j * l + i];
  const { values, vectors } = symmetricEigen(gram, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);

  const left = new Float64Array(m.rows * rank);
  const singularValues = new Float64Array(rank);
  for (let c = 0; c < rank; c++) {
    const e = order[c];
    singularValues[c] = Math.sqrt(Math.max(values[e], 0));
    let biggest = 0;
    for (let r = 0; r < m.rows; r++) {
      let sum = 0;
      for (let j = 0; j < l; j++) sum += y[r * l + j] * vectors[j * l + e];
      left[r * rank + c] = sum;
      if (Math.abs(sum) > Math.abs(biggest)) biggest = sum;
    }
    if (biggest < 0) for (let r = 0; r < m.rows; r++) left[r * rank + c] = -left[r * rank + c];
  }
  return { left, singularValues, k: rank };
}
