import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { resolvePathSetting } from '../core/paths.js';
import type { EmbeddingPreset } from './presets.js';

/**
 * Where hub models come from (HF_ENDPOINT, e.g. a mirror such as https://hf-mirror.com) and where they are
 * kept (LODESTONE_MODEL_CACHE), in the hub's own layout: `<cache>/<org>/<model>/<file>`, the same paths
 * transformers.js reads and writes, so a cache filled on one machine can be copied to another.
 */

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';
/** Lodestone downloads the `main` revision; the index records it beside the model's file hash. */
export const HUB_REVISION = 'main';

/** The hub host: HF_ENDPOINT without trailing slashes, default https://huggingface.co. A malformed value is a ConfigError. */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.HF_ENDPOINT?.trim();
  if (!raw) return DEFAULT_HF_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`HF_ENDPOINT="${raw}" is not a URL; set it to the hub or a mirror, e.g. https://hf-mirror.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`HF_ENDPOINT="${raw}" must be an http(s) URL, e.g. https://hf-mirror.com`);
  }
  return raw.replace(/\/+$/, '');
}

/** The hub download cache: LODESTONE_MODEL_CACHE (a leading `~` is the home directory), default `~/.cache/lodestone/models`. */
export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.LODESTONE_MODEL_CACHE?.trim();
  return raw ? resolvePathSetting(raw) : join(homedir(), '.cache', 'lodestone', 'models');
}

/** URL of one file of a hub model, as transformers.js builds it (`{host}/{model}/resolve/{revision}/{file}`). */
export function hubFileUrl(endpoint: string, hubId: string, file: string, revision = HUB_REVISION): string {
  return `${endpoint.replace(/\/+$/, '')}/${hubId}/resolve/${encodeURIComponent(revision)}/${file}`;
}

/** The ONNX file transformers.js loads for a preset: the int8 `model_quantized.onnx` or `model.onnx`. */
export function onnxFileOf(quantized: boolean): string {
  return quantized ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
}

/** The files a feature-extraction pipeline reads for a hub preset (all of them required). */
export function hubModelFiles(preset: Pick<EmbeddingPreset, 'quantized'>): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFileOf(preset.quantized)];
}

/** Directory of a hub model inside the cache. */
export function cachedModelDir(cacheDir: string, hubId: string): string {
  return join(cacheDir, ...hubId.split('/'));
}

/** Every file the pipeline needs is in the cache (non-empty): it loads with no network at all. */
export function isHubModelCached(cacheDir: string, preset: Pick<EmbeddingPreset, 'hubId' | 'quantized'>): boolean {
  const dir = cachedModelDir(cacheDir, preset.hubId);
  return hubModelFiles(preset).every((file) => {
    const full = join(dir, file);
    return existsSync(full) && statSync(full).size > 0;
  });
}

/** Bytes the cached files of a model take (0 when absent). */
export function cachedModelBytes(cacheDir: string, preset: Pick<EmbeddingPreset, 'hubId' | 'quantized'>): number {
  const dir = cachedModelDir(cacheDir, preset.hubId);
  return hubModelFiles(preset).reduce((sum, file) => {
    const full = join(dir, file);
    return sum + (existsSync(full) ? statSync(full).size : 0);
  }, 0);
}

/** How long the reachability check may take before Lodestone decides the hub is out of reach. */
export const HUB_PROBE_TIMEOUT_MS = 3000;

/** True when the hub (or mirror) answers for this model's config.json within a few seconds. */
export async function probeHub(hubId: string, opts: { endpoint?: string; timeoutMs?: number } = {}): Promise<boolean> {
  try {
    const response = await fetch(hubFileUrl(opts.endpoint ?? hubEndpoint(), hubId, 'config.json'), {
      method: 'HEAD',
      signal: AbortSignal.timeout(opts.timeoutMs ?? HUB_PROBE_TIMEOUT_MS),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** One step of a model download, from transformers.js's `progress_callback`. */
export interface DownloadProgress {
  /** Hub id, e.g. `Xenova/multilingual-e5-small`. */
  model: string;
  /** File inside the model, e.g. `onnx/model_quantized.onnx`. */
  file: string;
  /** Bytes received so far, and the file's size (0 until known). */
  loaded: number;
  total: number;
  /** The file is complete. */
  done: boolean;
}

export type DownloadListener = (progress: DownloadProgress) => void;
