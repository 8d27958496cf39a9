import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { expandHome, resolvePathSetting } from '../../src/core/paths.js';
import { type FeatureExtractor, type PipelineFactory, type PipelineLoadOptions, transformersEnvFor } from '../../src/embedding/embedder.js';
import { hubEndpoint, hubFileUrl, modelCacheDir } from '../../src/embedding/hub.js';
import { modelRequestKey, resolveModelSetting } from '../../src/embedding/modelSetting.js';
import { loadHubEmbedder } from '../../src/embedding/select.js';

const root = mkdtempSync(join(tmpdir(), 'lodestone-select-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A pipeline that records how it was asked to load and answers with vectors of `dims` components. */
function recordingFactory(dims = 8): { factory: PipelineFactory; loads: { model: string; options: PipelineLoadOptions }[] } {
  const loads: { model: string; options: PipelineLoadOptions }[] = [];
  const factory: PipelineFactory = async (model, options) => {
    loads.push({ model, options });
    const extractor = (async (texts: string[]) => ({ data: new Float32Array(texts.length * 3 * dims).fill(1), dims: [texts.length, 3, dims] })) as unknown as FeatureExtractor;
    return extractor;
  };
  return { factory, loads };
}

function fillCache(cacheDir: string, hubId: string): void {
  const dir = join(cacheDir, hubId);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) writeFileSync(join(dir, f), '{}');
}

describe('loading a hub preset', () => {
  it('from a full cache: no probe, downloads off, read from the cache folder', async () => {
    const cacheDir = join(root, 'cache-full');
    fillCache(cacheDir, 'Xenova/multilingual-e5-small');
    let probed = false;
    const { factory, loads } = recordingFactory(384);
    const embedder = await loadHubEmbedder('Xenova/multilingual-e5-small', { cacheDir, pipelineFactory: factory, isHubReachable: async () => ((probed = true), true) });
    expect(probed).toBe(false);
    expect(embedder.modelId).toBe('Xenova/multilingual-e5-small');
    expect(loads[0].options).toMatchObject({ cacheDir, localModelPath: cacheDir, allowRemoteModels: false, quantized: true });
  });

  it('a partial cache is not a cache: the hub is asked first', async () => {
    const cacheDir = join(root, 'cache-partial');
    fillCache(cacheDir, 'Xenova/multilingual-e5-small');
    rmSync(join(cacheDir, 'Xenova/multilingual-e5-small/tokenizer_config.json'));
    const probes: string[] = [];
    const { factory, loads } = recordingFactory();
    await loadHubEmbedder('e5-small', { cacheDir, endpoint: 'https://hf-mirror.com', pipelineFactory: factory, isHubReachable: async (id, host) => (probes.push(`${host} ${id}`), true) });
    expect(probes).toEqual(['https://hf-mirror.com Xenova/multilingual-e5-small']);
    expect(loads[0].options).toMatchObject({ allowRemoteModels: true, remoteHost: 'https://hf-mirror.com' });
  });

  it('not cached and unreachable: fails in one line naming the host and the cache, without trying to load', async () => {
    const cacheDir = join(root, 'cache-empty');
    const { factory, loads } = recordingFactory();
    await expect(loadHubEmbedder('bge-small-zh', { cacheDir, endpoint: 'https://hf-mirror.com', pipelineFactory: factory, isHubReachable: async () => false })).rejects.toThrow(
      `https://hf-mirror.com is unreachable and the model is not in ${join(cacheDir, 'Xenova', 'bge-small-zh-v1.5')}`,
    );
    expect(loads).toEqual([]);
  });

  it('a failed download is reported by its first line', async () => {
    const failing: PipelineFactory = async () => {
      throw new Error('Could not locate file: "https://hf-mirror.com/Xenova/x/resolve/main/onnx/model_quantized.onnx".\n    at handleError (hub.js:238)');
    };
    await expect(loadHubEmbedder('minilm', { cacheDir: join(root, 'cache-x'), pipelineFactory: failing, isHubReachable: async () => true })).rejects.toThrow(/^Could not locate file: ".*onnx"\.$/);
  });

  it('the dimensions are the model’s output width, not the preset table’s', async () => {
    const cacheDir = join(root, 'cache-dims');
    fillCache(cacheDir, 'Xenova/multilingual-e5-small');
    const { factory } = recordingFactory(100);
    const embedder = await loadHubEmbedder('Xenova/multilingual-e5-small', { cacheDir, pipelineFactory: factory });
    expect(embedder.dimensions).toBe(100);
    expect((await embedder.embedQuery('x')).length).toBe(100);
  });

  it('refuses an unknown model name instead of guessing', async () => {
    await expect(loadHubEmbedder('gpt-embedder-9000')).rejects.toBeInstanceOf(ConfigError);
    await expect(loadHubEmbedder('gpt-embedder-9000')).rejects.toThrow(/unknown embedding model "gpt-embedder-9000".*multilingual-e5-small.*local model directory/);
  });
});

describe('transformers.js settings, one place for every load', () => {
  it('keeps local models on for hub models (the cache is read through them) and sets the host from HF_ENDPOINT', () => {
    const hubEnv = transformersEnvFor({ quantized: true, localModelPath: '/c', cacheDir: '/c', allowRemoteModels: false, remoteHost: 'https://hf-mirror.com' });
    expect(hubEnv).toMatchObject({ allowLocalModels: true, allowRemoteModels: false, localModelPath: '/c/', cacheDir: '/c', useFSCache: true, remoteHost: 'https://hf-mirror.com/' });
    const dirEnv = transformersEnvFor({ quantized: false, localModelPath: '/models', cacheDir: null, allowRemoteModels: false, remoteHost: null });
    expect(dirEnv).toMatchObject({ allowLocalModels: true, allowRemoteModels: false, localModelPath: '/models/', useFSCache: false });
  });

  it('HF_ENDPOINT: default huggingface.co, trailing slash dropped, a malformed value is a ConfigError', () => {
    expect(hubEndpoint({})).toBe('https://huggingface.co');
    expect(hubEndpoint({ HF_ENDPOINT: 'https://hf-mirror.com/' })).toBe('https://hf-mirror.com');
    expect(hubFileUrl('https://hf-mirror.com', 'Xenova/bge-small-zh-v1.5', 'onnx/model_quantized.onnx')).toBe('https://hf-mirror.com/Xenova/bge-small-zh-v1.5/resolve/main/onnx/model_quantized.onnx');
    expect(() => hubEndpoint({ HF_ENDPOINT: 'hf-mirror.com' })).toThrow(ConfigError);
    expect(() => hubEndpoint({ HF_ENDPOINT: 'ftp://hf-mirror.com' })).toThrow(/http\(s\)/);
  });
});

describe('path settings and model settings', () => {
  it('a leading ~ is the home directory', () => {
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('~/.cache/lodestone/models', '/home/u')).toBe('/home/u/.cache/lodestone/models');
    expect(expandHome('~other/x', '/home/u')).toBe('~other/x');
    expect(expandHome('/abs/~/x', '/home/u')).toBe('/abs/~/x');
    expect(resolvePathSetting(' ~/m ', '/home/u')).toBe('/home/u/m');
    expect(modelCacheDir({ LODESTONE_MODEL_CACHE: '~/models' })).toBe(join(homedir(), 'models'));
    expect(modelCacheDir({})).toBe(join(homedir(), '.cache', 'lodestone', 'models'));
  });

  it('EMBEDDING_MODEL resolves to one request per model, whatever the spelling', () => {
    const key = (s?: string) => modelRequestKey(resolveModelSetting(s));
    expect(new Set([key(undefined), key(''), key('  '), key('Xenova/multilingual-e5-small'), key('e5-small'), key('multilingual-e5-small')])).toEqual(new Set(['Xenova/multilingual-e5-small']));
    expect(key('corpus')).toBe('corpus');
    expect(key('corpus:1a2b3c4d')).toBe('corpus');
    expect(key('./models/e5')).toBe(`dir:${join(process.cwd(), 'models/e5')}`);
    expect(key('/opt/models/e5')).toBe('dir:/opt/models/e5');
  });
});
