import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { Embedder, type PipelineFactory } from './embedder.js';
import { cachedModelDir, type DownloadListener, hubEndpoint, hubModelFiles, isHubModelCached, modelCacheDir, probeHub } from './hub.js';
import { resolveModelSetting } from './modelSetting.js';

export { probeHub } from './hub.js';

export interface HubLoadOptions {
  /** Default `$LODESTONE_MODEL_CACHE` or `~/.cache/lodestone/models`. */
  cacheDir?: string;
  /** Default `$HF_ENDPOINT` or https://huggingface.co. */
  endpoint?: string;
  pipelineFactory?: PipelineFactory;
  /** Reachability check (injectable for tests; default a HEAD request for config.json with a 3 s timeout). */
  isHubReachable?: (hubId: string, endpoint: string) => Promise<boolean>;
  /** Download progress of the files not yet in the cache. */
  onDownload?: DownloadListener;
}

/**
 * A hub preset's embedder, in the three states a machine can be in:
 * - every file in the cache → loaded from it with no network at all (no probe, no delay);
 * - not cached, hub (HF_ENDPOINT) reachable → downloaded into the cache, with progress, then loaded;
 * - not cached, hub unreachable → throws with a one-line reason within seconds (callers fall back or say so).
 * A malformed HF_ENDPOINT or a name that is no hub preset is a ConfigError.
 */
export async function loadHubEmbedder(model: string, opts: HubLoadOptions = {}): Promise<Embedder> {
  const request = resolveModelSetting(model);
  if (request.kind !== 'hub') throw new ConfigError(`"${model}" is not a hub model; choose a preset to download`);
  const { preset } = request;
  const cacheDir = opts.cacheDir ?? modelCacheDir();
  const endpoint = opts.endpoint ?? hubEndpoint();
  const dir = cachedModelDir(cacheDir, preset.hubId);
  const cached = isHubModelCached(cacheDir, preset);
  if (!cached && !(await (opts.isHubReachable ?? ((id, host) => probeHub(id, { endpoint: host })))(preset.hubId, endpoint))) {
    throw new Error(`${endpoint} is unreachable and the model is not in ${dir}`);
  }
  // files already there are read from the cache: only the others are downloads worth showing
  const present = new Set(hubModelFiles(preset).filter((f) => existsSync(join(dir, f))));
  const onDownload = opts.onDownload;
  try {
    return await Embedder.load({
      model: preset.name,
      cacheDir,
      endpoint,
      allowRemoteModels: !cached,
      pipelineFactory: opts.pipelineFactory,
      ...(onDownload ? { onDownload: (p) => void (present.has(p.file) || onDownload(p)) } : {}),
    });
  } catch (error) {
    throw new Error(firstLine((error as Error).message));
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0].trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
