import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { TextEmbedder } from './embedder-api.js';
import { poolTokenStates, type TokenMask, type TokenStates } from './pooling.js';
import { CORPUS_PRESET_NAME, type EmbeddingPreset, resolvePreset } from './presets.js';

/**
 * What Lodestone needs from a transformers.js feature-extraction pipeline: the callable (always asked for
 * pooling 'none'; pooling happens in pooling.ts) and its tokenizer (for the attention mask and token counts).
 */
export interface FeatureExtractor {
  (texts: string[], options: { pooling: 'none'; normalize: false }): Promise<TokenStates>;
  tokenizer: (texts: string[], options: { padding: boolean; truncation: boolean }) => { input_ids: TokenMask; attention_mask: TokenMask };
}

export interface PipelineLoadOptions {
  quantized: boolean;
  /** Where hub downloads are cached; null for a local model directory. */
  cacheDir: string | null;
  /** Parent directory of a local model (transformers.js `env.localModelPath`); null for hub models. */
  localModelPath: string | null;
  allowRemoteModels: boolean;
}

/** Loads a feature-extraction pipeline for a model name; injectable so tests can record the calls. */
export type PipelineFactory = (modelName: string, options: PipelineLoadOptions) => Promise<FeatureExtractor>;

export interface EmbedderLoadOptions {
  /** Preset name (EMBEDDING_MODEL): a hub id such as `Xenova/multilingual-e5-small`, or `corpus`. */
  model: string;
  /** Directory of the trained corpus model (required for `corpus`). */
  modelDir?: string;
  /** Hub download cache; default `$LODESTONE_MODEL_CACHE` or `~/.cache/lodestone/models`. */
  cacheDir?: string;
  /** Allow downloads from the hub (default true for hub presets; never for the corpus model). */
  allowRemoteModels?: boolean;
  pipelineFactory?: PipelineFactory;
}

export function defaultModelCacheDir(): string {
  return process.env.LODESTONE_MODEL_CACHE || join(homedir(), '.cache', 'lodestone', 'models');
}

/**
 * The real factory: transformers.js `pipeline('feature-extraction', …)`, one code path for every model.
 * transformers.js keeps its settings in one global `env`, so they are set right before each load.
 */
export const transformersPipelineFactory: PipelineFactory = async (modelName, options) => {
  const { pipeline, env } = await import('@xenova/transformers');
  env.allowRemoteModels = options.allowRemoteModels;
  if (options.cacheDir) env.cacheDir = options.cacheDir;
  // Hub models are looked up only in the cache and on the hub (no "Unable to load from local path" noise).
  env.allowLocalModels = options.localModelPath !== null;
  if (options.localModelPath) {
    env.localModelPath = options.localModelPath.endsWith('/') ? options.localModelPath : `${options.localModelPath}/`;
  }
  const extractor = await pipeline('feature-extraction', modelName, { quantized: options.quantized });
  return extractor as unknown as FeatureExtractor;
};

interface CorpusModelConfig {
  hidden_size: number;
  lodestone?: { fingerprint?: string };
}

export class Embedder implements TextEmbedder {
  private constructor(
    readonly modelId: string,
    readonly dimensions: number,
    readonly preset: EmbeddingPreset,
    private readonly extractor: FeatureExtractor,
  ) {}

  static async load(opts: EmbedderLoadOptions): Promise<Embedder> {
    const preset = resolvePreset(opts.model);
    const factory = opts.pipelineFactory ?? transformersPipelineFactory;
    if (preset.name === CORPUS_PRESET_NAME) {
      if (!opts.modelDir) throw new Error('the corpus embedding model needs its directory (modelDir); run ingest to train it');
      const config = await readCorpusConfig(opts.modelDir);
      const fingerprint = config.lodestone?.fingerprint;
      if (!fingerprint) throw new Error(`${opts.modelDir}/config.json is not a Lodestone corpus model (no fingerprint)`);
      const extractor = await factory(basename(opts.modelDir), {
        quantized: false,
        cacheDir: null,
        localModelPath: dirname(opts.modelDir),
        allowRemoteModels: false,
      });
      return new Embedder(`${CORPUS_PRESET_NAME}:${fingerprint}`, config.hidden_size, preset, extractor);
    }
    const extractor = await factory(preset.hubId, {
      quantized: preset.quantized,
      cacheDir: opts.cacheDir ?? defaultModelCacheDir(),
      localModelPath: null,
      allowRemoteModels: opts.allowRemoteModels ?? true,
    });
    return new Embedder(preset.hubId, preset.dimensions, preset, extractor);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedBatch([this.preset.queryPrefix + text]);
    return vector;
  }

  async embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    // Batches of similar length: padding to the longest text in a batch is wasted model work.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length || a - b);
    const vectors: Float32Array[] = new Array(texts.length);
    const size = this.preset.batchSize;
    for (let start = 0; start < order.length; start += size) {
      const ids = order.slice(start, start + size);
      const batch = await this.embedBatch(ids.map((i) => this.preset.passagePrefix + texts[i]));
      ids.forEach((id, j) => (vectors[id] = batch[j]));
      onProgress?.(Math.min(start + size, texts.length), texts.length);
    }
    return vectors;
  }

  /** Tokens the model sees for a passage (prefix and special tokens included, before truncation). */
  tokenCount(text: string): number {
    const { input_ids } = this.extractor.tokenizer([this.preset.passagePrefix + text], { padding: false, truncation: false });
    return input_ids.dims[input_ids.dims.length - 1];
  }

  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const states = await this.extractor(texts, { pooling: 'none', normalize: false });
    // The mask only matters for mean pooling over a padded batch; one text has no padding.
    const mask =
      this.preset.pooling === 'mean' && texts.length > 1
        ? this.extractor.tokenizer(texts, { padding: true, truncation: true }).attention_mask
        : undefined;
    const vectors = poolTokenStates(states, this.preset.pooling, mask);
    const got = states.dims[2];
    if (got !== this.dimensions) throw new Error(`model ${this.modelId} returned ${got}-dimensional vectors, expected ${this.dimensions}`);
    return vectors;
  }
}

async function readCorpusConfig(modelDir: string): Promise<CorpusModelConfig> {
  try {
    return JSON.parse(await readFile(join(modelDir, 'config.json'), 'utf8')) as CorpusModelConfig;
  } catch (error) {
    throw new Error(`cannot read the corpus embedding model in ${modelDir}: ${(error as Error).message}`);
  }
}
