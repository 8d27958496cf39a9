import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { trainCorpusModel } from './corpusModel.js';
import { defaultModelCacheDir, Embedder, type PipelineFactory } from './embedder.js';
import { CORPUS_PRESET_NAME, DEFAULT_EMBEDDING_MODEL, resolvePreset } from './presets.js';

/** Where ingest keeps the trained corpus model inside an index directory. */
export function corpusModelDir(indexDir: string): string {
  return join(indexDir, 'model', 'lodestone-corpus');
}

/** How long the hub reachability check may take before Lodestone decides it is offline. */
const HUB_PROBE_TIMEOUT_MS = 3000;

/** True when the hub answers for this model's config within a few seconds. */
export async function probeHub(hubId: string, timeoutMs = HUB_PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    const response = await fetch(`https://huggingface.co/${hubId}/resolve/main/config.json`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** The files transformers.js would load for a hub preset are already in the cache: no network needed. */
async function isCached(cacheDir: string, hubId: string, quantized: boolean): Promise<boolean> {
  const onnxFile = quantized ? 'model_quantized.onnx' : 'model.onnx';
  const files = ['config.json', 'tokenizer.json', join('onnx', onnxFile)];
  try {
    await Promise.all(files.map((f) => access(join(cacheDir, hubId, f))));
    return true;
  } catch {
    return false;
  }
}

export interface ChooseEmbedderOptions {
  /** EMBEDDING_MODEL; default `Xenova/multilingual-e5-small`. `corpus` trains/loads the offline model. */
  model?: string;
  indexDir: string;
  /**
   * Corpus texts (passage texts or cleaned documents) to train the corpus model on. Given ⇒ (re)train
   * (deterministic: same texts, same bytes); omitted ⇒ load the model already in the index.
   */
  texts?: string[];
  onWarning?: (message: string) => void;
  cacheDir?: string;
  dimensions?: number;
  seed?: number;
  pipelineFactory?: PipelineFactory;
  /** Reachability check for the hub (injectable for tests; default a HEAD request with a 3 s timeout). */
  isHubReachable?: (hubId: string) => Promise<boolean>;
}

/**
 * The embedder ingest and queries use: the configured hub model when it is cached or the hub is reachable,
 * otherwise (one warning line) the corpus model. Unknown model names throw.
 */
export async function chooseEmbedder(opts: ChooseEmbedderOptions): Promise<Embedder> {
  const preset = resolvePreset(opts.model?.trim() || DEFAULT_EMBEDDING_MODEL);
  const modelDir = corpusModelDir(opts.indexDir);
  const loadCorpus = async () => {
    if (opts.texts) await trainCorpusModel(opts.texts, { outDir: modelDir, dimensions: opts.dimensions, seed: opts.seed });
    return Embedder.load({ model: CORPUS_PRESET_NAME, modelDir, pipelineFactory: opts.pipelineFactory });
  };
  if (preset.name === CORPUS_PRESET_NAME) return loadCorpus();

  const cacheDir = opts.cacheDir ?? defaultModelCacheDir();
  try {
    return await loadHubEmbedder(preset.name, { cacheDir, pipelineFactory: opts.pipelineFactory, isHubReachable: opts.isHubReachable });
  } catch (error) {
    opts.onWarning?.(
      `embedding: could not load ${preset.hubId} from the Hugging Face hub (${(error as Error).message}); using the corpus model. ` +
        `Set EMBEDDING_MODEL=corpus to choose it explicitly, or pre-download the model into ${cacheDir}.`,
    );
    return loadCorpus();
  }
}

/**
 * A hub preset's embedder: from the cache without any network when its files are there, else downloaded
 * once a quick HEAD request shows the hub is reachable — so an offline machine fails in seconds, not after
 * a long fetch. Throws with a one-line reason otherwise (callers fall back to the corpus model).
 */
export async function loadHubEmbedder(
  model: string,
  opts: { cacheDir?: string; pipelineFactory?: PipelineFactory; isHubReachable?: (hubId: string) => Promise<boolean> } = {},
): Promise<Embedder> {
  const preset = resolvePreset(model);
  const cacheDir = opts.cacheDir ?? defaultModelCacheDir();
  const cached = await isCached(cacheDir, preset.hubId, preset.quantized);
  if (!cached && !(await (opts.isHubReachable ?? probeHub)(preset.hubId))) throw new Error('offline?');
  try {
    return await Embedder.load({ model: preset.name, cacheDir, allowRemoteModels: !cached, pipelineFactory: opts.pipelineFactory });
  } catch (error) {
    throw new Error(firstLine((error as Error).message));
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0].trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
