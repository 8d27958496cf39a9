import fs from 'node:fs';
import path from 'node:path';
import { countByKind, type DocumentInfo, type Passage, type PassageKind } from '../core/passage.js';
import { ConfigError } from '../core/errors.js';
import type { TextEmbedder } from '../embedding/embedder-api.js';
import type { DownloadListener } from '../embedding/hub.js';
import { modelRequestKey, resolveModelSetting, settingKey, type ModelRequest } from '../embedding/modelSetting.js';
import { sha256 } from '../core/hash.js';
import type { IndexSnapshot } from '../index/api.js';
import { openIndexStore } from '../index/open.js';
import { passageEmbeddingInput } from '../retrieval/query.js';
import { corpusFingerprint } from './ingest-fingerprint.js';
import { CURATED_FILE, loadCuratedGlossary } from '../glossary/curated.js';
import { writeIndexLexicon, type DictionaryLookup, type LexiconRecord } from '../glossary/lexicon.js';

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  /** EMBEDDING_MODEL setting: a preset name, `corpus`, a local model directory, or unset for the default. */
  model?: string;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Progress of a hub model download (first use of a preset). */
  onDownload?: DownloadListener;
  onWarning?: (msg: string) => void;
  /** Ignore the previous index: re-chunk, retrain the corpus model, re-embed everything. */
  force?: boolean;
  /** Seams for tests; the defaults are the real chunker and embedders. */
  deps?: Partial<IngestDeps>;
  /** Where built English–Chinese lexicons are cached by word list (default ~/.cache/lodestone/lexicon; '' = none). */
  lexiconCacheDir?: string;
  /**
   * The documents table's version `corpusDir` was written from (DATABASE_URL: src/service/collectionBuild.ts): part of
   * the index fingerprint and recorded in the manifest, so a builder knows which state of the table is published.
   */
  documentsVersion?: number;
  /** Checked just before the generation is published; throws to publish nothing (the build lock was lost). */
  publishGuard?: () => Promise<void>;
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
  /** The English–Chinese lexicon (CC-CEDICT glosses of the corpus's words): `built` when the dictionary was opened. */
  lexicon?: { words: number; built: boolean; seconds: number };
}

export interface IngestDeps {
  buildPassages(corpusDir: string): Promise<{ documents: DocumentInfo[]; passages: Passage[]; warnings: string[] }>;
  /** Train the offline corpus model from passage texts into `outDir`. */
  trainCorpusModel(texts: string[], outDir: string): Promise<{ modelId: string }>;
  /** `corpus` + modelDir, a hub preset (cache first, downloads only when the hub answers), or a model directory. */
  loadEmbedder(spec: { model: string; modelDir?: string; onDownload?: DownloadListener }): Promise<TextEmbedder>;
  chunkerVersion(): Promise<string>;
  /** Dictionary for the lexicon; default CC-CEDICT (bundled with the cc-cedict package) in a worker thread. */
  lookupDictionary?: DictionaryLookup;
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
    if (resolveModelSetting(spec.model).kind !== 'hub') {
      const { Embedder } = await import('../embedding/embedder.js');
      return Embedder.load({ model: spec.model, modelDir: spec.modelDir });
    }
    // hub models: from the cache offline, else only after a quick reachability check
    const { loadHubEmbedder } = await import('../embedding/select.js');
    return loadHubEmbedder(spec.model, { onDownload: spec.onDownload });
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

/**
 * The model an index was asked to be built with, as a request key (`Xenova/multilingual-e5-small`, `corpus`,
 * `dir:/abs/path`): recorded since the key existed, else resolved from the raw setting older indexes recorded.
 */
export function recordedModelRequest(build: Record<string, unknown> | undefined): string | undefined {
  if (typeof build?.modelRequest === 'string') return build.modelRequest;
  return typeof build?.modelSetting === 'string' ? settingKey(build.modelSetting) : undefined;
}

/**
 * True when index/ is missing, unreadable, built from other corpus files/chunker, or for another model. Models
 * are compared by what the setting resolves to — unset and `Xenova/multilingual-e5-small` are the same model,
 * so adding or removing that line never re-ingests; a hub model that is merely unreachable today changes nothing.
 */
export async function indexIsStale(corpusDir: string, indexDir: string, model?: string, deps: Partial<IngestDeps> = {}): Promise<boolean> {
  const manifest = await openIndexStore(indexDir).manifest();
  if (!manifest) return true;
  // no corpus folder here (a worker serving the index published to PostgreSQL): nothing to compare with
  if (!fs.existsSync(corpusDir)) return false;
  const chunkerVersion = await (deps.chunkerVersion ?? defaultDeps.chunkerVersion)();
  if (manifest.corpusFingerprint !== corpusFingerprint(corpusDir, chunkerVersion)) return true;
  const request = resolveModelSetting(model);
  if (recordedModelRequest(manifest.build) !== modelRequestKey(request)) {
    // an index from before request keys, built with this very model, is current
    return !(request.kind === 'hub' ? manifest.modelId === request.preset.hubId : request.kind === 'corpus' && manifest.modelId.startsWith('corpus:'));
  }
  if (request.kind === 'dir') {
    // the same directory with other files in it is another model
    const { localModelId } = await import('../embedding/embedder.js');
    try {
      return (await localModelId(request.dir)) !== manifest.modelId;
    } catch {
      return false; // gone: the librarian serves the index lexically and says why
    }
  }
  return false;
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
  const contentFingerprint = corpusFingerprint(opts.corpusDir, chunkerVersion);
  const fromTable = opts.documentsVersion !== undefined ? { documentsVersion: opts.documentsVersion, contentFingerprint } : undefined;
  const fingerprint = fromTable ? sha256(`${contentFingerprint}\ndocuments:${fromTable.documentsVersion}`) : contentFingerprint;
  const setting = modelSetting(opts.model);
  const request = resolveModelSetting(setting);
  const requestKey = modelRequestKey(request);
  const store = openIndexStore(opts.indexDir);
  let previous: IndexSnapshot | undefined;
  if (!opts.force && (await store.manifest())) {
    try {
      previous = await store.load();
    } catch (error) {
      warn(`previous index not reused: ${(error as Error).message}`);
    }
  }
  const previousRequest = recordedModelRequest(previous?.manifest.build);
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
  // the same model asked for (in whatever spelling): the corpus model it fell back to is kept, not retrained
  const sameRequest = previous !== undefined && previousRequest === requestKey;
  const useCorpusModel = async (): Promise<TextEmbedder> => {
    if (sameRequest && previous?.modelDir && previous.manifest.modelId.startsWith('corpus:')) {
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
    if (request.kind === 'dir') embedder = await deps.loadEmbedder({ model: request.dir });
    if (request.kind === 'hub') {
      try {
        embedder = await deps.loadEmbedder({ model: request.preset.name, onDownload: opts.onDownload });
      } catch (error) {
        if (error instanceof ConfigError) throw error;
        const kept = unchangedIndexOf(previous, request, fingerprint, opts.force);
        if (kept) {
          warn(`embedding: could not load ${request.preset.hubId} (${(error as Error).message}); the corpus is unchanged, so the index built with it is kept as it is`);
          return keptSummary(kept, documents, passages, started, stage, warnings);
        }
        warn(hubFallbackWarning(request, (error as Error).message));
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
    // the English–Chinese lexicon of the corpus's own words: CC-CEDICT is opened only when the words changed
    let lexicon: { record: LexiconRecord; built: boolean; seconds: number } | undefined;
    try {
      const curatedTerms = loadCuratedGlossary(opts.corpusDir).entries.flatMap((e) => [e.term, ...e.aliases]);
      lexicon = await writeIndexLexicon(opts.indexDir, passages, curatedTerms, { lookup: deps.lookupDictionary, cacheDir: opts.lexiconCacheDir });
    } catch (error) {
      warn(`lexicon: not built (${(error as Error).message}); English questions are bridged by the glossary alone`);
    }
    const written = await store.write({
      documents,
      passages,
      vectors: vectors as Float32Array[],
      embedderModelId: embedder.modelId,
      dims: embedder.dimensions,
      corpusFingerprint: fingerprint,
      chunkerVersion,
      modelDir,
      // the curated glossary travels with the index: a worker without corpus/ builds the same glossary
      ...(fs.existsSync(path.join(opts.corpusDir, CURATED_FILE)) ? { attachments: { [CURATED_FILE]: path.join(opts.corpusDir, CURATED_FILE) } } : {}),
      ...(opts.publishGuard ? { publishGuard: opts.publishGuard } : {}),
      build: { ...fromTable, modelSetting: setting, modelRequest: requestKey, ...(await modelRecord(embedder)), embeddedPassages: missing.length, warnings: warnings.length, ...(lexicon ? { lexicon: lexicon.record } : {}) },
    });
    progress('index', 1, 1);
    lap('index');

    return {
      documents: documents.length,
      passages: passages.length,
      byKind: countByKind(passages),
      seconds: (performance.now() - started) / 1000,
      stageSeconds: stage,
      model: embedder.modelId,
      reusedDocuments,
      embeddedPassages: missing.length,
      reusedPassages: passages.length - missing.length,
      generation: written.generation,
      indexBytes: written.bytes,
      warnings,
      ...(lexicon ? { lexicon: { words: lexicon.record.words, built: lexicon.built, seconds: lexicon.seconds } } : {}),
    };
  } finally {
    if (scratchModelDir) fs.rmSync(scratchModelDir, { recursive: true, force: true });
  }
}

/** One line: why the hub model is not used, what is used instead, and the ways out. */
function hubFallbackWarning(request: Extract<ModelRequest, { kind: 'hub' }>, reason: string): string {
  return (
    `embedding: could not load ${request.preset.hubId} (${reason}); using the offline corpus model. ` +
    `Set EMBEDDING_MODEL=corpus to choose it, HF_ENDPOINT for a hub mirror, or fetch the model ahead with \`npx lodestone models pull\``
  );
}

/** The previous index, when it was built with this hub model from this very corpus: nothing to rebuild. */
function unchangedIndexOf(previous: IndexSnapshot | undefined, request: Extract<ModelRequest, { kind: 'hub' }>, fingerprint: string, force?: boolean): IndexSnapshot | undefined {
  if (force || !previous) return undefined;
  return previous.manifest.modelId === request.preset.hubId && previous.manifest.corpusFingerprint === fingerprint ? previous : undefined;
}

function keptSummary(kept: IndexSnapshot, documents: DocumentInfo[], passages: Passage[], started: number, stageSeconds: IngestSummary['stageSeconds'], warnings: string[]): IngestSummary {
  return {
    documents: documents.length,
    passages: passages.length,
    byKind: countByKind(passages),
    seconds: (performance.now() - started) / 1000,
    stageSeconds,
    model: kept.manifest.modelId,
    reusedDocuments: documents.length,
    embeddedPassages: 0,
    reusedPassages: passages.length,
    generation: kept.generation,
    indexBytes: 0,
    warnings,
  };
}

/** What the manifest says about the model actually used: hub id + revision + file hash, or the directory + hash. */
async function modelRecord(embedder: TextEmbedder): Promise<Record<string, unknown>> {
  const origin = (embedder as { origin?: import('../embedding/embedder.js').ModelOrigin }).origin;
  if (!origin || embedder.modelId.startsWith('corpus:')) return {};
  const { modelFilesHash } = await import('../embedding/embedder.js');
  const sha256 = await modelFilesHash(origin.dir, origin.onnxFile).catch(() => undefined);
  return origin.kind === 'hub'
    ? { modelOrigin: { kind: 'hub', hubId: origin.hubId, revision: origin.revision, endpoint: origin.endpoint, sha256 } }
    : { modelOrigin: { kind: 'dir', dir: origin.dir, sha256 } };
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
