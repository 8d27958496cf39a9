import { describe, expect, it } from 'vitest';
import { Embedder, type FeatureExtractor, type PipelineLoadOptions } from '../../src/embedding/embedder.js';
import { EMBEDDING_PRESETS, resolvePreset } from '../../src/embedding/presets.js';

/**
 * A fake transformers.js pipeline: every text becomes tokens [CLS] w1 … wn [SEP] padded to the longest text;
 * token t of text b has the vector [b+1, t+1, 0, …] so pooling mistakes (wrong rows, padding counted) show.
 */
function fakePipeline(dimensions: number) {
  const calls: { model: string; options: PipelineLoadOptions; texts: string[][]; poolingAsked: string[] } = {
    model: '',
    options: undefined as unknown as PipelineLoadOptions,
    texts: [],
    poolingAsked: [],
  };
  const lengths = (texts: string[]) => texts.map((t) => t.split(/\s+/).filter(Boolean).length + 2);
  const extractor = (async (texts: string[], options: { pooling: string }) => {
    calls.texts.push(texts);
    calls.poolingAsked.push(options.pooling);
    const sequence = Math.max(...lengths(texts));
    const data = new Float32Array(texts.length * sequence * dimensions);
    texts.forEach((_, b) => {
      for (let t = 0; t < sequence; t++) {
        data[(b * sequence + t) * dimensions] = b + 1;
        data[(b * sequence + t) * dimensions + 1] = t + 1;
      }
    });
    return { data, dims: [texts.length, sequence, dimensions] };
  }) as unknown as FeatureExtractor;
  extractor.tokenizer = (texts: string[]) => {
    const lens = lengths(texts);
    const sequence = Math.max(...lens);
    const mask = new BigInt64Array(texts.length * sequence);
    lens.forEach((len, b) => {
      for (let t = 0; t < len; t++) mask[b * sequence + t] = 1n;
    });
    return { input_ids: { data: mask, dims: [texts.length, sequence] }, attention_mask: { data: mask, dims: [texts.length, sequence] } };
  };
  const factory = async (model: string, options: PipelineLoadOptions) => {
    calls.model = model;
    calls.options = options;
    return extractor;
  };
  /** Forget the one call the loader makes to measure the output width. */
  const loaded = <T>(embedder: T): T => {
    calls.texts.length = 0;
    calls.poolingAsked.length = 0;
    return embedder;
  };
  return { calls, factory, loaded };
}

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

describe('embedding presets through an injected pipeline', () => {
  const table = [
    { model: 'Xenova/multilingual-e5-small', dims: 384, query: 'query: 脱钩是什么', passage: 'passage: 中美 脱钩', pooling: 'mean' },
    { model: 'Xenova/bge-small-zh-v1.5', dims: 512, query: '为这个句子生成表示以用于检索相关文章：脱钩是什么', passage: '中美 脱钩', pooling: 'cls' },
    { model: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2', dims: 384, query: '脱钩是什么', passage: '中美 脱钩', pooling: 'mean' },
  ] as const;

  for (const row of table) {
    it(`${row.model}: prefixes, hub loading and ${row.pooling} pooling`, async () => {
      const { calls, factory, loaded } = fakePipeline(row.dims);
      const embedder = loaded(await Embedder.load({ model: row.model, cacheDir: '/tmp/lodestone-test-cache', endpoint: 'https://hf-mirror.com', pipelineFactory: factory }));
      expect(embedder.modelId).toBe(row.model);
      expect(embedder.dimensions).toBe(row.dims);
      expect(calls.model).toBe(row.model);
      expect(calls.options).toMatchObject({ quantized: true, cacheDir: '/tmp/lodestone-test-cache', allowRemoteModels: true, localModelPath: '/tmp/lodestone-test-cache', remoteHost: 'https://hf-mirror.com' });

      const query = await embedder.embedQuery('脱钩是什么');
      expect(calls.texts[0]).toEqual([row.query]);
      expect(query).toBeInstanceOf(Float32Array);
      expect(query.length).toBe(row.dims);

      // Two passages of different length in one batch: padding must not count in a mean.
      const [short, long] = await embedder.embedPassages(['中美 脱钩', '中美 脱钩 关税 稀土 供应链']);
      expect(calls.texts[1]).toEqual([row.passage, row.passage.replace('中美 脱钩', '中美 脱钩 关税 稀土 供应链')]);
      expect(calls.poolingAsked.every((p) => p === 'none')).toBe(true);
      if (row.pooling === 'cls') {
        expect(Array.from(short.slice(0, 2))).toEqual(unit([1, 1]).map((x) => expect.closeTo(x, 6)));
        expect(Array.from(long.slice(0, 2))).toEqual(unit([2, 1]).map((x) => expect.closeTo(x, 6)));
      } else {
        const shortTokens = row.passage.split(' ').length + 2; // e5: 'passage:' is one more word
        const meanPosition = (shortTokens + 1) / 2;
        expect(Array.from(short.slice(0, 2))).toEqual(unit([1, meanPosition]).map((x) => expect.closeTo(x, 6)));
        const longTokens = shortTokens + 3;
        expect(Array.from(long.slice(0, 2))).toEqual(unit([2, (longTokens + 1) / 2]).map((x) => expect.closeTo(x, 6)));
      }
      expect(Math.hypot(...long)).toBeCloseTo(1, 5);
    });
  }

  it('embeds passages in batches and reports progress after each batch', async () => {
    const { calls, factory, loaded } = fakePipeline(384);
    const embedder = loaded(await Embedder.load({ model: 'Xenova/multilingual-e5-small', pipelineFactory: factory }));
    const texts = Array.from({ length: 40 }, (_, i) => `段落 ${i}`);
    const progress: [number, number][] = [];
    const vectors = await embedder.embedPassages(texts, (done, total) => progress.push([done, total]));
    expect(vectors).toHaveLength(40);
    expect(calls.texts.map((batch) => batch.length)).toEqual([16, 16, 8]);
    expect(progress).toEqual([[16, 40], [32, 40], [40, 40]]);
  });

  it('returns passage vectors in input order although batches are grouped by length', async () => {
    const { calls, factory, loaded } = fakePipeline(384);
    const embedder = loaded(await Embedder.load({ model: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2', pipelineFactory: factory }));
    const long = '中美 脱钩 关税 稀土 供应链 矿产 联盟'; // 7 words + [CLS]/[SEP] = 9 tokens
    const [longVector, shortVector] = await embedder.embedPassages([long, '脱钩']);
    expect(calls.texts[0]).toEqual(['脱钩', long]); // shortest first inside the batch
    // The fake marks batch row b with b+1 in component 0; component 1 is the mean token position.
    expect(Array.from(longVector.slice(0, 2))).toEqual(unit([2, 5]).map((x) => expect.closeTo(x, 6)));
    expect(Array.from(shortVector.slice(0, 2))).toEqual(unit([1, 2]).map((x) => expect.closeTo(x, 6)));
  });

  it('takes its dimensions from the model’s output, not from the preset table', async () => {
    const { factory } = fakePipeline(768);
    const embedder = await Embedder.load({ model: 'Xenova/multilingual-e5-small', pipelineFactory: factory });
    expect(embedder.dimensions).toBe(768);
    expect((await embedder.embedQuery('x')).length).toBe(768);
  });

  it('resolves names and aliases, and names the choices for an unknown model', () => {
    expect(resolvePreset('xenova/MULTILINGUAL-e5-small').hubId).toBe('Xenova/multilingual-e5-small');
    expect(resolvePreset('bge-small-zh').pooling).toBe('cls');
    expect(resolvePreset('corpus').quantized).toBe(false);
    expect(resolvePreset('corpus:1a2b3c4d').name).toBe('corpus');
    expect(() => resolvePreset('bert-base-uncased')).toThrow(/unknown embedding model "bert-base-uncased".*multilingual-e5-small/);
    for (const preset of Object.values(EMBEDDING_PRESETS)) expect(preset.maxTokens).toBeGreaterThan(0);
  });
});
