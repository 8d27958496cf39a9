import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { TextEmbedder } from './embedder-api.js';
import { cachedModelDir, type DownloadListener, HUB_REVISION, hubEndpoint, modelCacheDir, onnxFileOf } from './hub.js';
import { resolveModelSetting } from './modelSetting.js';
import { poolTokenStates, type TokenMask, type TokenStates } from './pooling.js';
import { CORPUS_PRESET_NAME, EMBEDDING_PRESETS, type EmbeddingPreset } from './presets.js';

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
  /**
   * Folder transformers.js reads the model from (`env.localModelPath`): the hub cache for a hub model
   * (`<cache>/<org>/<model>/…`), the parent of a local model directory.
   */
  localModelPath: string;
  /** Hub download cache (`env.cacheDir`, file cache on); null for a local model directory (no cache). */
  cacheDir: string | null;
  /** Download what is not in the cache (`env.allowRemoteModels`). */
  allowRemoteModels: boolean;
  /** Hub host for downloads (`env.remoteHost`, from HF_ENDPOINT); null for a local model directory. */
  remoteHost: string | null;
  /** Download progress (transformers.js `progress_callback`); given only when downloading. */
  onDownload?: DownloadListener;
}

/** Loads a feature-extraction pipeline for a model name; injectable so tests can record the calls. */
export type PipelineFactory = (modelName: string, options: PipelineLoadOptions) => Promise<FeatureExtractor>;

export interface EmbedderLoadOptions {
  /**
   * EMBEDDING_MODEL: a hub preset name or alias (`Xenova/multilingual-e5-small`), `corpus` (with modelDir),
   * or the path of a local model directory in the transformers.js layout.
   */
  model: string;
  /** Directory of the trained corpus model (required for `corpus`). */
  modelDir?: string;
  /** Hub download cache; default `$LODESTONE_MODEL_CACHE` or `~/.cache/lodestone/models`. */
  cacheDir?: string;
  /** Hub host; default `$HF_ENDPOINT` or https://huggingface.co. */
  endpoint?: string;
  /** Allow downloads from the hub (default true for hub presets; never for a local directory). */
  allowRemoteModels?: boolean;
  onDownload?: DownloadListener;
  pipelineFactory?: PipelineFactory;
}

/** Where an embedder's files came from, as the index records it. */
export type ModelOrigin =
  | { kind: 'hub'; hubId: string; revision: string; endpoint: string; dir: string; onnxFile: string }
  | { kind: 'dir'; dir: string; onnxFile: string };

export function defaultModelCacheDir(): string {
  return modelCacheDir();
}

/**
 * transformers.js `env` for one load. It is one global object, so every field that matters is set here, the
 * same way for every load: models are read from `localModelPath` (the hub cache, or a local model's parent),
 * hub files are cached under `cacheDir` in the hub's layout, downloads (when allowed) come from `remoteHost`.
 * `allowLocalModels` stays on for hub models too — with it off, transformers.js refuses to read even its own
 * cache once remote models are disabled ("both local and remote models are disabled").
 */
export function transformersEnvFor(options: PipelineLoadOptions): Record<string, unknown> {
  const slash = (dir: string) => (dir.endsWith('/') ? dir : `${dir}/`);
  return {
    allowLocalModels: true,
    localModelPath: slash(options.localModelPath),
    allowRemoteModels: options.allowRemoteModels,
    remoteHost: slash(options.remoteHost ?? hubEndpoint({})),
    remotePathTemplate: '{model}/resolve/{revision}/',
    useBrowserCache: false,
    useCustomCache: false,
    useFSCache: options.cacheDir !== null,
    ...(options.cacheDir !== null ? { cacheDir: options.cacheDir } : {}),
  };
}

/** Loads one at a time: the settings of one load must not change under another that is still fetching files. */
let loadQueue: Promise<unknown> = Promise.resolve();

/** The real factory: transformers.js `pipeline('feature-extraction', …)`, one code path for every model. */
export const transformersPipelineFactory: PipelineFactory = (modelName, options) => {
  const run = loadQueue
    .catch(() => undefined)
    .then(async () => {
      const { pipeline, env } = await import('@xenova/transformers');
      Object.assign(env, transformersEnvFor(options));
      const extractor = await pipeline('feature-extraction', modelName, {
        quantized: options.quantized,
        ...(options.onDownload ? { progress_callback: progressCallback(modelName, options.onDownload) } : {}),
      });
      return extractor as unknown as FeatureExtractor;
    });
  loadQueue = run;
  return run;
};

/** transformers.js progress events → DownloadProgress (per file: bytes so far, then done). */
function progressCallback(model: string, listener: DownloadListener): (event: Record<string, unknown>) => void {
  const sizes = new Map<string, { loaded: number; total: number }>();
  return (event) => {
    const file = typeof event.file === 'string' ? event.file : undefined;
    if (!file) return;
    if (event.status === 'progress') {
      const loaded = Number(event.loaded) || 0;
      const total = Number(event.total) || 0;
      sizes.set(file, { loaded, total });
      listener({ model, file, loaded, total, done: false });
    } else if (event.status === 'done') {
      const size = sizes.get(file) ?? { loaded: 0, total: 0 };
      listener({ model, file, loaded: size.loaded, total: size.total || size.loaded, done: true });
    }
  };
}

interface ModelDirConfig {
  hidden_size?: number;
  lodestone?: { fingerprint?: string };
}

/** The generic way to call a local model that is no known preset: mean pooling, no prefixes. */
function localPreset(dir: string, quantized: boolean): EmbeddingPreset {
  let maxTokens = 512;
  try {
    const tokenizerConfig = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as { model_max_length?: number };
    if (Number.isInteger(tokenizerConfig.model_max_length) && tokenizerConfig.model_max_length! > 0) maxTokens = Math.min(tokenizerConfig.model_max_length!, 8192);
  } catch {
    // transformers.js reports a missing tokenizer_config.json when it loads
  }
  return { name: 'local', hubId: dir, dimensions: 0, pooling: 'mean', queryPrefix: '', passagePrefix: '', maxTokens, quantized, batchSize: 16 };
}

/** A local directory named like a preset (`…/Xenova/multilingual-e5-small`, a copied hub cache) is called like it. */
function presetForDirectory(dir: string, quantized: boolean): EmbeddingPreset {
  const tail = `${basename(dirname(dir))}/${basename(dir)}`.toLowerCase();
  for (const preset of Object.values(EMBEDDING_PRESETS)) {
    if (preset.name === CORPUS_PRESET_NAME) continue;
    const id = preset.hubId.toLowerCase();
    if (id === tail || id.split('/').pop() === basename(dir).toLowerCase()) return { ...preset, quantized };
  }
  return localPreset(dir, quantized);
}

/** What a model directory must hold for transformers.js; a ConfigError naming what is missing otherwise. */
function inspectModelDir(dir: string): { onnxFile: string; quantized: boolean; config: ModelDirConfig } {
  const layout = 'config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (or onnx/model_quantized.onnx)';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(`embedding model directory ${dir} does not exist (it needs ${layout})`);
  const missing = ['config.json', 'tokenizer.json', 'tokenizer_config.json'].filter((f) => !existsSync(join(dir, f)));
  const quantized = existsSync(join(dir, onnxFileOf(true)));
  if (!quantized && !existsSync(join(dir, onnxFileOf(false)))) missing.push('onnx/model.onnx');
  if (missing.length) throw new ConfigError(`${dir} is not a model directory: ${missing.join(', ')} missing (it needs ${layout})`);
  let config: ModelDirConfig;
  try {
    config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ModelDirConfig;
  } catch (error) {
    throw new ConfigError(`cannot read ${join(dir, 'config.json')}: ${(error as Error).message}`);
  }
  return { onnxFile: onnxFileOf(quantized), quantized, config };
}

const hashes = new Map<string, string>();

/** sha256 of a model's files (config, tokenizer, ONNX), remembered per path, size and mtime. */
export async function modelFilesHash(dir: string, onnxFile: string): Promise<string> {
  const files = ['config.json', 'tokenizer.json', onnxFile].map((f) => join(dir, f));
  const key = files.map((f) => `${f}:${statSync(f).size}:${statSync(f).mtimeMs}`).join('|');
  const known = hashes.get(key);
  if (known) return known;
  const hash = createHash('sha256');
  for (const file of files) {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  const digest = hash.digest('hex');
  hashes.set(key, digest);
  return digest;
}

/** Id of a local (non-corpus) model directory: its name and the hash of its files, so a changed model is another model. */
export async function localModelId(dir: string): Promise<string> {
  const { onnxFile, config } = inspectModelDir(dir);
  if (config.lodestone?.fingerprint) return `${CORPUS_PRESET_NAME}:${config.lodestone.fingerprint}`;
  return `local:${basename(dir)}@${(await modelFilesHash(dir, onnxFile)).slice(0, 12)}`;
}

export class Embedder implements TextEmbedder {
  private constructor(
    readonly modelId: string,
    readonly dimensions: number,
    readonly preset: EmbeddingPreset,
    readonly origin: ModelOrigin,
    private readonly extractor: FeatureExtractor,
  ) {}

  static async load(opts: EmbedderLoadOptions): Promise<Embedder> {
    const factory = opts.pipelineFactory ?? transformersPipelineFactory;
    const request = resolveModelSetting(opts.model);
    if (request.kind === 'corpus') {
      if (!opts.modelDir) throw new Error('the corpus embedding model needs its directory (modelDir); run ingest to train it');
      return Embedder.loadDirectory(opts.modelDir, factory, true);
    }
    if (request.kind === 'dir') return Embedder.loadDirectory(request.dir, factory, false);

    const { preset } = request;
    const cacheDir = opts.cacheDir ?? modelCacheDir();
    const endpoint = opts.endpoint ?? hubEndpoint();
    const allowRemoteModels = opts.allowRemoteModels ?? true;
    const extractor = await factory(preset.hubId, {
      quantized: preset.quantized,
      localModelPath: cacheDir,
      cacheDir,
      allowRemoteModels,
      remoteHost: endpoint,
      ...(allowRemoteModels && opts.onDownload ? { onDownload: opts.onDownload } : {}),
    });
    const origin: ModelOrigin = { kind: 'hub', hubId: preset.hubId, revision: HUB_REVISION, endpoint, dir: cachedModelDir(cacheDir, preset.hubId), onnxFile: onnxFileOf(preset.quantized) };
    return new Embedder(preset.hubId, await outputDimensions(extractor), { ...preset }, origin, extractor);
  }

  /** A model directory: the corpus model (its config carries a fingerprint), a copied hub model, or any other. */
  private static async loadDirectory(dir: string, factory: PipelineFactory, mustBeCorpus: boolean): Promise<Embedder> {
    const { onnxFile, quantized, config } = inspectModelDir(dir);
    const fingerprint = config.lodestone?.fingerprint;
    if (mustBeCorpus && !fingerprint) throw new Error(`${dir}/config.json is not a Lodestone corpus model (no fingerprint)`);
    const preset = fingerprint ? { ...EMBEDDING_PRESETS[CORPUS_PRESET_NAME] } : presetForDirectory(dir, quantized);
    const modelId = await localModelId(dir);
    const extractor = await factory(basename(dir), { quantized, localModelPath: dirname(dir), cacheDir: null, allowRemoteModels: false, remoteHost: null });
    const dimensions = await outputDimensions(extractor);
    return new Embedder(modelId, dimensions, { ...preset, dimensions }, { kind: 'dir', dir, onnxFile }, extractor);
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

/** The model's real output width, measured on one short text (a preset table or config can be wrong). */
async function outputDimensions(extractor: FeatureExtractor): Promise<number> {
  const states = await extractor(['a'], { pooling: 'none', normalize: false });
  const dims = states.dims[2];
  if (!Number.isInteger(dims) || dims < 1) throw new Error(`the model's output has no vector width (dims ${JSON.stringify(states.dims)})`);
  return dims;
}
