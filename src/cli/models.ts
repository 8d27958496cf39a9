import { UserInputError } from '../core/errors.js';
import { cachedModelBytes, cachedModelDir, hubEndpoint, isHubModelCached, modelCacheDir } from '../embedding/hub.js';
import { modelRequestKey, resolveModelSetting } from '../embedding/modelSetting.js';
import { CORPUS_PRESET_NAME, DEFAULT_EMBEDDING_MODEL, EMBEDDING_PRESETS } from '../embedding/presets.js';
import { loadHubEmbedder } from '../embedding/select.js';
import { openIndexStore } from '../index/open.js';
import { downloadReporter, megabytes } from './download.js';
import { progressReporter } from './progress.js';
import type { Dirs } from './options.js';

export interface ModelListing {
  /** EMBEDDING_MODEL as set ('' = unset) and what it resolves to. */
  setting: string;
  resolves: string;
  cacheDir: string;
  endpoint: string;
  indexDir: string;
  presets: { name: string; dimensions: number; default: boolean; selected: boolean; cached: boolean; bytes: number; dir: string | null }[];
  index: { modelId: string; dimensions: number; passages: number; builtAt: string; requested: string | null } | null;
}

/** `lodestone models list`: the presets, which are in the cache, what EMBEDDING_MODEL picks, and the index's model. */
export async function listModels(dirs: Dirs, env: NodeJS.ProcessEnv = process.env): Promise<ModelListing> {
  const setting = (env.EMBEDDING_MODEL ?? '').trim();
  const request = resolveModelSetting(setting);
  const cacheDir = modelCacheDir(env);
  const presets = Object.values(EMBEDDING_PRESETS).map((preset) => {
    const hub = preset.name !== CORPUS_PRESET_NAME;
    const cached = hub && isHubModelCached(cacheDir, preset);
    return {
      name: preset.name,
      dimensions: preset.dimensions,
      default: preset.name === DEFAULT_EMBEDDING_MODEL,
      selected: request.kind === 'hub' ? request.preset.name === preset.name : request.kind === 'corpus' && !hub,
      cached,
      bytes: hub ? cachedModelBytes(cacheDir, preset) : 0,
      dir: hub ? cachedModelDir(cacheDir, preset.hubId) : null,
    };
  });
  const manifest = await openIndexStore(dirs.indexDir)
    .manifest()
    .catch(() => undefined);
  const requested = typeof manifest?.build?.modelRequest === 'string' ? manifest.build.modelRequest : null;
  return {
    setting,
    resolves: request.kind === 'dir' ? request.dir : modelRequestKey(request),
    cacheDir,
    endpoint: hubEndpoint(env),
    indexDir: dirs.indexDir,
    presets,
    index: manifest
      ? { modelId: manifest.modelId, dimensions: manifest.dimensions, passages: manifest.passageCount, builtAt: manifest.builtAt, requested }
      : null,
  };
}

export function modelListingText(listing: ModelListing): string {
  const width = Math.max(...listing.presets.map((p) => p.name.length)) + 2;
  const lines = [`${'  preset'.padEnd(width + 12)}dims  state`];
  for (const p of listing.presets) {
    const state =
      p.name === CORPUS_PRESET_NAME
        ? 'trained by ingest from corpus/, kept in the index (offline)'
        : p.cached
          ? `cached, ${megabytes(p.bytes)} in ${p.dir}`
          : p.bytes > 0
            ? `partly cached (${megabytes(p.bytes)}): \`npx lodestone models pull ${p.name}\``
            : 'not cached';
    const mark = p.selected ? '*' : ' ';
    const dims = p.name === CORPUS_PRESET_NAME ? '—' : String(p.dimensions);
    lines.push(`${mark} ${(p.name + (p.default ? ' (default)' : '')).padEnd(width + 10)}${dims.padEnd(6)}${state}`);
  }
  lines.push('');
  const setting = listing.setting ? `EMBEDDING_MODEL=${listing.setting}` : 'EMBEDDING_MODEL unset';
  lines.push(`model:  ${setting} → ${listing.resolves}${listing.resolves.startsWith('/') ? ' (local model directory)' : ''}`);
  lines.push(`cache:  ${listing.cacheDir} (LODESTONE_MODEL_CACHE)`);
  lines.push(`hub:    ${listing.endpoint} (HF_ENDPOINT)`);
  const index = listing.index;
  if (!index) {
    lines.push(`index:  none in ${listing.indexDir} yet (\`npx lodestone ingest\` builds it)`);
  } else {
    let note = '';
    if (index.requested && index.requested !== index.modelId && index.modelId.startsWith('corpus:') && !index.requested.startsWith('dir:') && index.requested !== CORPUS_PRESET_NAME) {
      note = ` — ${index.requested} could not be loaded when it was built; \`npx lodestone ingest\` switches once it can`;
    }
    lines.push(`index:  ${index.modelId}, ${index.dimensions} dimensions, ${index.passages} passages, built ${index.builtAt} (${listing.indexDir})${note}`);
  }
  return lines.join('\n');
}

/**
 * `lodestone models pull [preset]`: downloads a hub preset into the cache ahead of time (for a server that
 * will be offline, or to see the download finish before starting) and prints where it went.
 */
export async function pullModel(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const setting = name?.trim() || env.EMBEDDING_MODEL?.trim() || DEFAULT_EMBEDDING_MODEL;
  const request = resolveModelSetting(setting);
  if (request.kind === 'corpus') throw new UserInputError('the corpus model is not downloaded: ingest trains it from corpus/ (choose a hub preset to pull)');
  if (request.kind === 'dir') throw new UserInputError(`${request.dir} is a local model directory: it is used where it is, nothing to pull`);
  const { preset } = request;
  const cacheDir = modelCacheDir(env);
  const endpoint = hubEndpoint(env);
  const dir = cachedModelDir(cacheDir, preset.hubId);
  if (isHubModelCached(cacheDir, preset)) return `${preset.hubId} is already cached in ${dir} (${megabytes(cachedModelBytes(cacheDir, preset))})`;
  const progress = progressReporter();
  const reporter = downloadReporter(progress);
  try {
    const embedder = await loadHubEmbedder(preset.name, { cacheDir, endpoint, onDownload: reporter.onDownload });
    return `pulled ${preset.hubId} from ${endpoint} into ${dir} (${reporter.files} files, ${megabytes(cachedModelBytes(cacheDir, preset))}, ${embedder.dimensions}-dimensional vectors)`;
  } catch (error) {
    throw new Error(`could not pull ${preset.hubId}: ${(error as Error).message}`);
  } finally {
    progress.stop();
  }
}
