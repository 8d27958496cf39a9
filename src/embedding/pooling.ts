/** Pooling and normalisation over a feature-extraction output, done here rather than in transformers.js
 * (its mean pooling converts the mask element by element: ~10× slower on this corpus's queries). */
import type { Pooling } from './presets.js';

/** `last_hidden_state` as the pipeline returns it with pooling 'none': [batch, sequence, dimensions]. */
export interface TokenStates {
  data: ArrayLike<number>;
  dims: number[];
}

/** Attention mask [batch, sequence] (int64 from transformers.js, so bigint or number). */
export interface TokenMask {
  data: ArrayLike<bigint | number>;
  dims: number[];
}

/** Scale to unit length in place; an all-zero vector (nothing known in the text) stays zero rather than NaN. */
export function normaliseInPlace(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i] *= scale;
  }
  return v;
}

/**
 * One L2-normalised vector per batch row. Mean pooling averages the rows whose mask is set (all rows
 * when no mask is given); CLS pooling takes the first token's row.
 */
export function poolTokenStates(states: TokenStates, pooling: Pooling, mask?: TokenMask): Float32Array[] {
  if (states.dims.length !== 3) throw new Error(`expected [batch, sequence, dimensions] model output, got [${states.dims.join(', ')}]`);
  const [batch, sequence, dimensions] = states.dims;
  const data = states.data;
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const vector = new Float32Array(dimensions);
    const base = b * sequence * dimensions;
    if (pooling === 'cls') {
      for (let c = 0; c < dimensions; c++) vector[c] = data[base + c];
    } else {
      let count = 0;
      for (let t = 0; t < sequence; t++) {
        if (mask && Number(mask.data[b * sequence + t]) === 0) continue;
        count++;
        const row = base + t * dimensions;
        for (let c = 0; c < dimensions; c++) vector[c] += data[row + c];
      }
      if (count > 0) for (let c = 0; c < dimensions; c++) vector[c] /= count;
    }
    out.push(normaliseInPlace(vector));
  }
  return out;
}
