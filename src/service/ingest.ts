import fs from 'node:fs';
import path from 'node:path';
import type { DocumentInfo, Passage, PassageKind } from '../core/passage.js';
import type { TextEmbedder } from '../embedding/embedder-api.js';
import { resolvePreset } from '../embedding/presets.js';
import { sha256 } from '../core/hash.js';
import type { IndexSnapshot } from '../index/api.js';
import { openIndexStore } from '../index/open.js';
import { passageEmbeddingInput } from '../retrieval/query.js';
import { corpusFingerprint } from './ingest-fingerprint.js';

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  /** EMBEDDING_MODEL setting: a preset name, `corpus`, or unset for the default. */
  model?: string;
  onProgress?: (stage: string, done: number, total: number) => void;
  onWarning?: (msg: string) => void;
  /** Ignore the previous index: re-chunk, retrain the corpus model, re-embed everything. */
  force?: boolean;
  /** Seams for tests; the defaults are the real chunker and embedders. */
  deps?: Partial<IngestDeps>;
}

export interface IngestSummary {
  documents: number;
  passages: number;
  byKind: Partial<Record<PassageKind, number>>;
  seconds: number;
  stageSeconds: { load: number; chunk: number; train: number; embed: number; index: number };
  /** Model id the vectors were made with. */
  model: string;
  /** Documents whose content hash matched the previous index. */
  reusedDocuments: number;
  /** Passages embedded in this run (the rest kept their previous vectors). */
  embeddedPassages: number;
  reusedPassages: number;
  /** Generation directory written and its size. */
  generation: string;
  indexBytes: number;
  warnings: string[];
}

export interface IngestDeps {
  buildPassages(corpusDir: string): Promise<{ documents: DocumentInfo[]; passages: Passage[]; warnings: string[] }>;
  /** Train the offline corpus model from passage texts into `outDir`. */
  trainCorpusModel(texts: string[], outDir: string): Promise<{ modelId: string }>;
  loadEmbedder(spec: { model: string; modelDir?: string }): Promise<TextEmbedder>;
  chunkerVersion(): Promise<string>;
}

const defaultDeps: IngestDeps = {
  async buildPassages(corpusDir) {
    const { buildPassages } = await import('../chunking/build.js');
    return buildPassages(corpusDir);
  },
  async trainCorpusModel(texts, outDir) {
    const { trainCorpusModel } = await import('../embedding/corpusModel.js');
    return trainCorpusModel(texts, { outDir });
  },
  async loadEmbedder(spec) {
    if (wantsCorpusModel(spec.model)) {
      const { Embedder } = await import('../embedding/embedder.js');
      return Embedder.load(spec);
    }
    // hub models: from the cache offline, else only after a quick reachability check
    const { loadHubEmbedder } = await import('../embedding/select.js');
    return loadHubEmbedder(spec.model);
  },
  async chunkerVersion() {
    const chunking = (await import('../chunking/build.js')) as Record<string, unknown>;
    return typeof chunking.CHUNKER_VERSION === 'string' ? chunking.CHUNKER_VERSION : '1';
  },
};

/** The model setting as recorded in the manifest ('' = the default). */
function modelSetting(model: string | undefined): string {
  return (model ?? '').trim();
}

function wantsCorpusModel(setting: string): boolean {
  try {
    return setting !== '' && resolvePreset(setting).hubId === 'corpus';
  } catch {
    return false;
  }
}

/** True when index/ is missing, unreadable, built from other corpus files/chunker, or with another model setting. */
export async function indexIsStale(corpusDir: string, indexDir: string, model?: string, deps: Partial<IngestDeps> = {}): Promise<boolean> {
  const manifest = await openIndexStore(indexDir).manifest();
  if (!manifest) return true;
  const chunkerVersion = await (deps.chunkerVersion ?? defaultDeps.chunkerVersion)();
  if (manifest.corpusFingerprint !== corpusFingerprint(corpusDir, chunkerVersion)) return true;
  const recorded = typeof manifest.build?.modelSetting === 'string' ? manifest.build.modelSetting : undefined;
  const setting = modelSetting(model);
  if (recorded === setting) return false;
  // another spelling of the same model (e.g. `corpus` vs unset falling back to it) is not a change
  return !(wantsCorpusModel(setting) ? manifest.modelId.startsWith('corpus:') : manifest.modelId === setting);
}

// One ingest per index directory at a time within this process (watch + start could overlap).
const running = new Map<string, Promise<unknown>>();

/**
 * Builds index/ from corpus/, incrementally: a passage whose embedding input is unchanged keeps its
 * previous vector (same model), so an unchanged document keeps its passages and vectors and an edited
 * one only re-embeds what changed; deleted documents simply are not in the new generation.
 *
 * The corpus model: when the previous index used it and the model setting is unchanged, it is carried
 * over as is (words new to the corpus fall back to their characters / [UNK]) — retraining would change
 * every vector and defeat incremental ingest. `force`, a different model setting, or no usable previous
 * index trains a new one from the passages.
 */
export async function ingest(opts: IngestOptions): Promise<IngestSummary> {
  const key = path.resolve(opts.indexDir);
  const previousRun = running.get(key) ?? Promise.resolve();
  const run = previousRun.catch(() => undefined).then(() => ingestNow(opts));
  running.set(key, run);
  try {
    return await run;
  } finally {
    if (running.get(key) === run) running.delete(key);
  }
}

async function ingestNow(opts: IngestOptions): Promise<IngestSummary> {
  const deps: IngestDeps = { ...defaultDeps, ...opts.deps };
  const warnings: string[] = [];
  const warn = (msg: string) => {
    warnings.push(msg);
    opts.onWarning?.(msg);
  };
  const progress = opts.onProgress ?? (() => undefined);
  const started = performance.now();
  const stage = { load: 0, chunk: 0, train: 0, embed: 0, index: 0 };
  let t = performance.now();
  const lap = (name: keyof typeof stage) => {
    const now = performance.now();
    stage[name] += (now - t) / 1000;
    t = now;
  };

  // load: what the previous index holds, and the corpus fingerprint
  progress('load', 0, 1);
  if (!fs.existsSync(opts.corpusDir)) throw new Error(`corpus folder ${opts.corpusDir} does not exist`);
  const chunkerVersion = await deps.chunkerVersion();
  const fingerprint = corpusFingerprint(opts.corpusDir, chunkerVersion);
  const setting = modelSetting(opts.model);
  const store = openIndexStore(opts.indexDir);
  let previous: IndexSnapshot | undefined;
  if (!opts.force && (await store.manifest())) {
    try {
      previous = await store.load();
    } catch (error) {
      warn(`previous index not reused: ${(error as Error).message}`);
    }
  }
  const previousSetting = typeof previous?.manifest.build?.modelSetting === 'string' ? previous.manifest.build.modelSetting : undefined;
  progress('load', 1, 1);
  lap('load');

  // chunk
  progress('chunk', 0, 1);
  const built = await deps.buildPassages(opts.corpusDir);
  for (const w of built.warnings) warn(w);
  const { documents, passages } = built;
  if (passages.length === 0) throw new Error(`no passages in ${opts.corpusDir}: add .md or .txt documents`);
  progress('chunk', 1, 1);
  lap('chunk');

  // train / choose the embedder
  fs.mkdirSync(opts.indexDir, { recursive: true });
  const inputs = passages.map((p) => passageEmbeddingInput(p));
  let embedder: TextEmbedder | undefined;
  let modelDir: string | undefined;
  let scratchModelDir: string | undefined;
  const sameSetting = previous !== undefined && previousSetting === setting;
  const useCorpusModel = async (): Promise<TextEmbedder> => {
    if (sameSetting && previous?.modelDir && previous.manifest.modelId.startsWith('corpus:')) {
      modelDir = previous.modelDir;
    } else {
      progress('train', 0, 1);
      scratchModelDir = path.join(opts.indexDir, `.tmp-${process.pid}-model-${Date.now().toString(36)}`);
      await deps.trainCorpusModel(inputs, scratchModelDir);
      modelDir = scratchModelDir;
      progress('train', 1, 1);
    }
    return deps.loadEmbedder({ model: 'corpus', modelDir });
  };
  try {
    if (setting === '' || !wantsCorpusModel(setting)) {
      try {
        embedder = await deps.loadEmbedder({ model: setting || resolvePreset('').name });
      } catch (error) {
        const name = resolvePreset(setting).hubId;
        const { defaultModelCacheDir } = await import('../embedding/embedder.js');
        warn(
          `embedding: could not load ${name} from the Hugging Face hub (${(error as Error).message}); using the offline corpus model. ` +
            `Set EMBEDDING_MODEL=corpus to choose it, or EMBEDDING_MODEL=<preset> once the model is downloaded into ${defaultModelCacheDir()}.`,
        );
      }
    }
    embedder ??= await useCorpusModel();
    lap('train');

    // embed what is new
    const reusable = new Map<string, Float32Array>();
    if (previous && previous.manifest.modelId === embedder.modelId) {
      for (const p of previous.passages) {
        const v = previous.vectorOf(p.id);
        if (v) reusable.set(reuseKey(p.id, passageEmbeddingInput(p)), v);
      }
    }
    const vectors: (Float32Array | undefined)[] = passages.map((p, i) => reusable.get(reuseKey(p.id, inputs[i])));
    const missing = vectors.flatMap((v, i) => (v ? [] : [i]));
    progress('embed', 0, missing.length);
    if (missing.length) {
      const fresh = await embedder.embedPassages(missing.map((i) => inputs[i]), (done, total) => progress('embed', done, total));
      missing.forEach((i, j) => (vectors[i] = fresh[j]));
    }
    progress('embed', missing.length, missing.length);
    lap('embed');

    // index
    progress('index', 0, 1);
    const previousHashes = new Map((previous?.documents ?? []).map((d) => [d.id, d.contentHash]));
    const reusedDocuments = previous && previous.manifest.modelId === embedder.modelId ? documents.filter((d) => previousHashes.get(d.id) === d.contentHash).length : 0;
    const written = await store.write({
      documents,
      passages,
      vectors: vectors as Float32Array[],
      embedderModelId: embedder.modelId,
      dims: embedder.dimensions,
      corpusFingerprint: fingerprint,
      chunkerVersion,
      modelDir,
      build: { modelSetting: setting, embeddedPassages: missing.length, warnings: warnings.length },
    });
    progress('index', 1, 1);
    lap('index');

    const byKind: Partial<Record<PassageKind, number>> = {};
    for (const p of passages) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
    return {
      documents: documents.length,
      passages: passages.length,
      byKind,
      seconds: (performance.now() - started) / 1000,
      stageSeconds: stage,
      model: embedder.modelId,
      reusedDocuments,
      embeddedPassages: missing.length,
      reusedPassages: passages.length - missing.length,
      generation: written.generation,
      indexBytes: written.bytes,
      warnings,
    };
  } finally {
    if (scratchModelDir) fs.rmSync(scratchModelDir, { recursive: true, force: true });
  }
}

/** A vector is reused only for the same passage id with the same embedding input. */
function reuseKey(id: string, input: string): string {
  return `${id}\0${sha256(input)}`;
}

export interface CorpusWatcher {
  close(): void;
}

/**
 * `ingest --watch`: re-ingests when a file in corpus/ changes (debounced, one run at a time, a change
 * during a run triggers one more run). Errors are reported as warnings; watching goes on.
 */
export function watchCorpus(
  opts: Omit<IngestOptions, 'force'> & { debounceMs?: number },
  onIngested: (summary: IngestSummary) => void,
): CorpusWatcher {
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let again = false;
  let closed = false;
  const run = async (): Promise<void> => {
    if (closed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      if (await indexIsStale(opts.corpusDir, opts.indexDir, opts.model, opts.deps)) onIngested(await ingest(opts));
    } catch (error) {
      opts.onWarning?.(`re-ingest failed: ${(error as Error).message}`);
    } finally {
      busy = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), opts.debounceMs ?? 300);
  };
  const watcher = fs.watch(opts.corpusDir, { recursive: true }, schedule);
  watcher.on('error', (error) => opts.onWarning?.(`watching ${opts.corpusDir} failed: ${error.message}`));
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}
