import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FeatureExtractor, type PipelineFactory, type PipelineLoadOptions, transformersPipelineFactory } from '../../src/embedding/embedder.js';
import { chooseEmbedder, corpusModelDir } from '../../src/embedding/select.js';

// A small corpus keeps these tests fast; the full-corpus model is covered in corpusModel.test.ts.
const texts = [
  '中美“脱钩”加速了关键矿产供应链的重组。美国与盟友建立矿产安全伙伴关系。',
  '稀土、锂、钴、镍是新能源产业的关键矿产。中国在稀土加工环节占据主导地位。',
  '美國對中國太陽能電池和光伏組件加徵關稅。',
  'Critical minerals partnership between the United States and its allies.',
];
const root = mkdtempSync(join(tmpdir(), 'lodestone-select-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Real transformers.js for the local corpus model; the hub "fails" the way an offline machine does. */
function offlineHub(seen: { model: string; options: PipelineLoadOptions }[]): PipelineFactory {
  return async (model, options) => {
    seen.push({ model, options });
    if (options.localModelPath === null) throw new Error('fetch failed\n    at node:internal/deps/undici');
    return transformersPipelineFactory(model, options);
  };
}

describe('chooseEmbedder', () => {
  it('trains and loads the corpus model when EMBEDDING_MODEL=corpus, without warnings', async () => {
    const indexDir = join(root, 'explicit');
    const warnings: string[] = [];
    const embedder = await chooseEmbedder({ model: 'corpus', indexDir, texts, onWarning: (w) => warnings.push(w), dimensions: 16 });
    expect(embedder.modelId).toMatch(/^corpus:[0-9a-f]{8}$/);
    expect(embedder.dimensions).toBe(16);
    expect(warnings).toEqual([]);
    const vector = await embedder.embedQuery('关键矿产');
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);

    // Later queries load the trained model from the index without the texts, and get the same id.
    const reloaded = await chooseEmbedder({ model: 'corpus', indexDir });
    expect(reloaded.modelId).toBe(embedder.modelId);
    expect(corpusModelDir(indexDir)).toBe(join(indexDir, 'model', 'lodestone-corpus'));
  });

  it('falls back to the corpus model with one warning that says how to choose, when the hub is unreachable', async () => {
    const warnings: string[] = [];
    const cacheDir = join(root, 'empty-cache');
    const start = performance.now();
    const embedder = await chooseEmbedder({
      indexDir: join(root, 'offline'),
      texts,
      cacheDir,
      dimensions: 16,
      onWarning: (w) => warnings.push(w),
      isHubReachable: async () => false,
    });
    expect(performance.now() - start).toBeLessThan(5000);
    expect(embedder.modelId).toMatch(/^corpus:/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('could not load Xenova/multilingual-e5-small');
    expect(warnings[0]).toContain('EMBEDDING_MODEL=corpus');
    expect(warnings[0]).toContain(cacheDir);
    expect(warnings[0]).not.toContain('\n');
  });

  it('falls back when the hub answers but the download fails, quoting the first line of the error', async () => {
    const warnings: string[] = [];
    const seen: { model: string; options: PipelineLoadOptions }[] = [];
    const embedder = await chooseEmbedder({
      model: 'bge-small-zh',
      indexDir: join(root, 'broken-download'),
      texts,
      dimensions: 16,
      cacheDir: join(root, 'empty-cache'),
      onWarning: (w) => warnings.push(w),
      isHubReachable: async () => true,
      pipelineFactory: offlineHub(seen),
    });
    expect(seen.map((s) => s.model)).toEqual(['Xenova/bge-small-zh-v1.5', 'lodestone-corpus']);
    expect(seen[1].options.allowRemoteModels).toBe(false);
    expect(embedder.modelId).toMatch(/^corpus:/);
    expect(warnings).toEqual([expect.stringContaining('could not load Xenova/bge-small-zh-v1.5 from the Hugging Face hub (fetch failed)')]);
  });

  it('uses a hub model already in the cache without asking the network', async () => {
    const cacheDir = join(root, 'cache');
    const modelDir = join(cacheDir, 'Xenova', 'multilingual-e5-small');
    mkdirSync(join(modelDir, 'onnx'), { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', 'onnx/model_quantized.onnx']) writeFileSync(join(modelDir, f), '{}');
    let probed = false;
    let loadedWith: PipelineLoadOptions | undefined;
    const embedder = await chooseEmbedder({
      indexDir: join(root, 'cached'),
      cacheDir,
      isHubReachable: async () => ((probed = true), true),
      pipelineFactory: async (_model, options) => {
        loadedWith = options;
        return (async () => ({ data: new Float32Array(384), dims: [1, 1, 384] })) as unknown as FeatureExtractor;
      },
    });
    expect(embedder.modelId).toBe('Xenova/multilingual-e5-small');
    expect(probed).toBe(false);
    expect(loadedWith).toMatchObject({ cacheDir, allowRemoteModels: false, quantized: true });
  });

  it('refuses an unknown model name instead of guessing', async () => {
    await expect(chooseEmbedder({ model: 'gpt-embedder-9000', indexDir: join(root, 'x') })).rejects.toThrow(/unknown embedding model/);
  });
});
