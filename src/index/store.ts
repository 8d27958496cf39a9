import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { DocumentInfo, Passage } from '../core/passage.js';
import { DenseIndex, tuneEf, type DenseHit } from './dense.js';
import { passageLine, PassageLines } from './passageLines.js';
import { IndexError } from '../core/errors.js';
import { DEFAULT_BM25, LexicalIndex, passageTerms, type Bm25Params, type LexicalMeta } from './lexical.js';
import { DEFAULT_HNSW, INDEX_FORMAT_VERSION, type IndexManifest } from './manifest.js';
import type { DenseStore, IndexInput, IndexSnapshot, IndexStore, LexicalStore, StagedIndex, WrittenIndex } from './api.js';

export type { IndexInput, WrittenIndex } from './api.js';


/**
 * Layout: `<indexDir>/CURRENT` names the live generation (`gen-000007`); each generation directory holds
 * manifest.json, documents.json, passages.jsonl, vectors.f32, hnsw.bin, lexical.json + postings.bin and, for the
 * offline corpus model, model/. A generation is written complete under `.tmp-<pid>-…`, renamed into
 * place, and only then does CURRENT switch (write aside + rename): a writer killed at any moment
 * leaves CURRENT pointing at a complete older generation.
 */
const CURRENT = 'CURRENT';
const FILES = {
  manifest: 'manifest.json',
  documents: 'documents.json',
  passages: 'passages.jsonl',
  vectors: 'vectors.f32',
  hnsw: 'hnsw.bin',
  lexical: 'lexical.json',
  postings: 'postings.bin',
  model: 'model',
  attachments: 'attachments',
} as const;
/** Older generations kept after a commit, for readers that resolved CURRENT just before the switch. */
const KEEP_OLD_GENERATIONS = 2;

/** Builds a generation and commits it (synchronous; the file store's `write` is this behind the seam). */
export function writeIndex(indexDir: string, input: IndexInput): WrittenIndex {
  return stageIndex(indexDir, input).commit();
}

export interface StagedFiles {
  /** The staging directory holding every file of the generation. */
  dir: string;
  manifest: IndexManifest;
  commit(): WrittenIndex;
  discard(): void;
}

export interface StageOptions {
  /**
   * `external`: no hnswlib graph (hnsw.bin) is built; the vectors are searched by another engine (pgvector),
   * which records its own parameters in the manifest.
   */
  dense?: 'hnswlib' | 'external';
}

/** Writes every file of a new generation under `.tmp-<pid>-…`; nothing is visible until `commit`. */
export function stageIndex(indexDir: string, input: IndexInput, options: StageOptions = {}): StagedFiles {
  const { passages, vectors, dims } = input;
  if (vectors.length !== passages.length) {
    throw new IndexError(`${passages.length} passages but ${vectors.length} vectors`);
  }
  for (const v of vectors) if (v.length !== dims) throw new IndexError(`a vector has ${v.length} dimensions, expected ${dims}`);
  const ids = new Set<string>();
  for (const p of passages) {
    if (ids.has(p.id)) throw new IndexError(`duplicate passage id ${p.id}`);
    ids.add(p.id);
  }

  fs.mkdirSync(indexDir, { recursive: true });
  const staging = path.join(indexDir, `.tmp-${process.pid}-${Date.now().toString(36)}`);
  fs.mkdirSync(staging);
  const discard = () => fs.rmSync(staging, { recursive: true, force: true });
  try {
    let hnswParams = input.hnsw ?? DEFAULT_HNSW;
    const bm25 = input.bm25 ?? DEFAULT_BM25;
    writeFileSynced(path.join(staging, FILES.documents), JSON.stringify(input.documents));
    writePassageLines(path.join(staging, FILES.passages), passages);
    writeFileSynced(path.join(staging, FILES.vectors), packVectors(vectors, dims));
    let efChoice: ReturnType<typeof tuneEf> | undefined;
    if (options.dense !== 'external') {
      const dense = DenseIndex.build(vectors, dims, input.hnsw ?? DEFAULT_HNSW);
      // ef by measurement on these vectors (explicit params from a caller are kept as they are)
      efChoice = input.hnsw ? undefined : tuneEf(dense, vectors);
      if (efChoice) hnswParams = { ...hnswParams, ef: efChoice.ef };
      dense.write(path.join(staging, FILES.hnsw));
      fsyncFile(path.join(staging, FILES.hnsw));
    }
    const lexical = buildLexical(passages, bm25);
    writeFileSynced(path.join(staging, FILES.lexical), JSON.stringify(lexical.metaJSON()));
    writeFileSynced(path.join(staging, FILES.postings), lexical.postingsBytes());
    if (input.modelDir) {
      fs.cpSync(input.modelDir, path.join(staging, FILES.model), { recursive: true });
    }
    for (const [name, file] of Object.entries(input.attachments ?? {})) {
      if (!/^[\w.-]+$/.test(name)) throw new IndexError(`attachment name "${name}" is not a plain file name`);
      fs.mkdirSync(path.join(staging, FILES.attachments), { recursive: true });
      fs.copyFileSync(file, path.join(staging, FILES.attachments, name));
    }

    const manifest: IndexManifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      modelId: input.embedderModelId,
      dimensions: dims,
      passageCount: passages.length,
      documentCount: input.documents.length,
      corpusFingerprint: input.corpusFingerprint,
      chunkerVersion: input.chunkerVersion,
      builtAt: new Date().toISOString(),
      hnsw: hnswParams,
      bm25,
      checksums: checksumTree(staging),
      ...(input.build || efChoice ? { build: { ...input.build, ...(efChoice ? { hnswRecallAt10: efChoice.recall, hnswTuningQueries: efChoice.queries } : {}) } } : {}),
    };
    writeFileSynced(path.join(staging, FILES.manifest), JSON.stringify(manifest, null, 2));
    fsyncDir(staging);
    input.beforeCommit?.(staging);
    return {
      dir: staging,
      manifest,
      discard,
      commit: () => {
        try {
          const generation = commitGeneration(indexDir, staging);
          pruneGenerations(indexDir, generation);
          const dir = path.join(indexDir, generation);
          return { dir, generation, manifest, bytes: treeSize(dir) };
        } catch (error) {
          discard();
          throw error;
        }
      },
    };
  } catch (error) {
    discard();
    throw error;
  }
}

/** Lexical index of the passages, with section heading / table / citing-paragraph context. */
export function buildLexical(passages: Passage[], bm25: Bm25Params = DEFAULT_BM25): LexicalIndex {
  const byId = new Map(passages.map((p) => [p.id, p]));
  // one passage's terms at a time: all of them at once do not fit a heap at a million passages
  return LexicalIndex.buildFrom(passages.length, (i) => passageTerms(passages[i], (id) => byId.get(id)), bm25);
}

function commitGeneration(indexDir: string, staging: string): string {
  for (let n = latestGenerationNumber(indexDir) + 1; ; n++) {
    const generation = `gen-${String(n).padStart(6, '0')}`;
    try {
      fs.renameSync(staging, path.join(indexDir, generation));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') continue; // another writer took this number
      throw error;
    }
    fsyncDir(indexDir);
    const pointerTmp = path.join(indexDir, `.${CURRENT}.tmp-${process.pid}`);
    writeFileSynced(pointerTmp, generation + '\n');
    fs.renameSync(pointerTmp, path.join(indexDir, CURRENT));
    fsyncDir(indexDir);
    return generation;
  }
}

function latestGenerationNumber(indexDir: string): number {
  let max = 0;
  for (const name of safeReaddir(indexDir)) {
    const m = /^gen-(\d+)$/.exec(name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/** Removes generations older than the kept ones and staging dirs of writers that are gone. */
function pruneGenerations(indexDir: string, current: string): void {
  const gens = safeReaddir(indexDir)
    .filter((n) => /^gen-\d+$/.test(n) && n !== current)
    .sort()
    .reverse();
  for (const old of gens.slice(KEEP_OLD_GENERATIONS)) fs.rmSync(path.join(indexDir, old), { recursive: true, force: true });
  removeDeadStaging(indexDir);
}

/** Removes the staging files and directories (`.tmp-<pid>…`) of writers that are gone. */
export function removeDeadStaging(dir: string): void {
  for (const name of safeReaddir(dir)) {
    const m = /^\.(?:CURRENT\.)?tmp-(\d+)/.exec(name);
    if (m && !processAlive(Number(m[1]))) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false; // our own staging dirs are finished or failed by now
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Nearest passages by position in the generation's passage list (hnswlib in process, or another engine). */
export type DenseSearch = (vector: Float32Array | number[], k: number, ef?: number) => Promise<DenseHit[]> | DenseHit[];

/** The index as loaded into memory; immutable, so a query holding it is never disturbed by a swap. */
export class LoadedIndex implements IndexSnapshot {
  private readonly positions: Map<string, number>;
  private readonly docById: Map<string, DocumentInfo>;

  constructor(
    readonly dir: string,
    readonly generation: string,
    readonly manifest: IndexManifest,
    readonly documents: DocumentInfo[],
    private readonly passageLines: PassageLines,
    private readonly vectors: Float32Array[],
    private readonly denseSearch: DenseSearch,
    private readonly lexicalIndex: LexicalIndex,
  ) {
    this.positions = new Map(passageLines.ids.map((id, i) => [id, i]));
    this.docById = new Map(documents.map((d) => [d.id, d]));
  }

  /** Every passage in index order (parsed on first use; a search parses only what it returns). */
  get passages(): Passage[] {
    return this.passageLines.toArray();
  }

  get passageCount(): number {
    return this.passageLines.length;
  }

  /** Directory of the corpus embedding model stored with this generation, when there is one. */
  get modelDir(): string | undefined {
    const dir = path.join(this.dir, FILES.model);
    return fs.existsSync(dir) ? dir : undefined;
  }

  byId(id: string): Passage | undefined {
    const i = this.positions.get(id);
    return i === undefined ? undefined : this.passageLines.at(i);
  }

  document(docId: string): DocumentInfo | undefined {
    return this.docById.get(docId);
  }

  vectorOf(id: string): Float32Array | undefined {
    const i = this.positions.get(id);
    return i === undefined ? undefined : this.vectors[i];
  }

  attachment(name: string): string | undefined {
    const rel = `${FILES.attachments}/${name}`;
    return rel in this.manifest.checksums ? path.join(this.dir, FILES.attachments, name) : undefined;
  }

  /** All vectors in passage order (for brute-force checks and incremental reuse). */
  allVectors(): readonly Float32Array[] {
    return this.vectors;
  }

  readonly dense: DenseStore = {
    search: async (vector, k, ef) => (await this.denseSearch(vector, k, ef)).map((h) => ({ passage: this.passageLines.at(h.position), score: h.score })),
  };

  readonly lexical: LexicalStore = {
    search: async (terms, k) => this.lexicalIndex.search(terms, k).map((h) => ({ passage: this.passageLines.at(h.position), score: h.score })),
    documentFrequency: async (term) => this.lexicalIndex.documentFrequency(term),
  };
}

/**
 * The file store: generations as directories under `indexDir` (hnswlib graph, binary BM25 postings,
 * passages as JSON lines), CURRENT switched by an atomic rename, watched with fs.watch.
 */
export class FileIndexStore implements IndexStore {
  constructor(readonly location: string) {}

  async build(input: IndexInput): Promise<StagedIndex> {
    const staged = stageIndex(this.location, input);
    const commit = async () => {
      try {
        await input.publishGuard?.();
      } catch (error) {
        staged.discard();
        throw error;
      }
      return staged.commit();
    };
    return { manifest: staged.manifest, commit, discard: async () => staged.discard() };
  }

  async write(input: IndexInput): Promise<WrittenIndex> {
    if (input.publishGuard) return (await this.build(input)).commit();
    return writeIndex(this.location, input);
  }

  async load(): Promise<LoadedIndex> {
    return loadIndex(this.location);
  }

  async current(): Promise<string | undefined> {
    return currentGeneration(this.location);
  }

  async manifest(): Promise<IndexManifest | undefined> {
    return readManifest(this.location);
  }

  watch(onChange: () => void): () => void {
    let watcher: fs.FSWatcher | undefined;
    try {
      watcher = fs.watch(this.location, (_event, name) => {
        if (!name || name === CURRENT) onChange();
      });
      watcher.on('error', () => watcher?.close());
      watcher.unref?.();
    } catch {
      // no fs.watch here: the caller's polling still works
    }
    return () => watcher?.close();
  }
}

/** Name of the generation CURRENT points at, or undefined when there is no index. */
export function currentGeneration(indexDir: string): string | undefined {
  try {
    const name = fs.readFileSync(path.join(indexDir, CURRENT), 'utf8').trim();
    return /^gen-\d+$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}


/** Reads the manifest of the current generation without loading the rest (undefined when absent/unreadable). */
export function readManifest(indexDir: string): IndexManifest | undefined {
  const generation = currentGeneration(indexDir);
  if (!generation) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(indexDir, generation, FILES.manifest), 'utf8')) as IndexManifest;
  } catch {
    return undefined;
  }
}

/** Loads and verifies the current generation. Throws IndexError saying what is wrong. */
export function loadIndex(indexDir: string): LoadedIndex {
  const generation = currentGeneration(indexDir);
  if (!generation) {
    throw new IndexError(`no index in ${indexDir}: run \`npx lodestone ingest\` first`);
  }
  return loadGeneration(path.join(indexDir, generation), generation);
}

export interface LoadOptions {
  /** Dense search of a generation whose vectors are searched outside this process (manifest `vectorStore`). */
  externalDense?: (manifest: IndexManifest, vectors: Float32Array[]) => DenseSearch;
}

/** Loads and verifies one generation directory (every file checked against the manifest's checksums). */
export function loadGeneration(dir: string, generation: string, options: LoadOptions = {}): LoadedIndex {
  const fail = (what: string): never => {
    throw new IndexError(`index ${dir} is unusable (${what}): rebuild it with \`npx lodestone ingest --force\``);
  };
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, FILES.manifest), 'utf8')) as IndexManifest;
  } catch (error) {
    return fail(`manifest unreadable: ${(error as Error).message}`);
  }
  if (!manifest || typeof manifest !== 'object') fail(`manifest is ${JSON.stringify(manifest)}, not an object`);
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    fail(`format version ${manifest.formatVersion}, this Lodestone reads ${INDEX_FORMAT_VERSION}`);
  }
  // fields a bit flip can rename or garble: each named with the value found, never "undefined floats" later on
  const wholeNumber = (field: string, value: unknown, min: number) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      fail(`manifest field "${field}" is ${value === undefined ? 'missing' : JSON.stringify(value)}, expected a whole number ≥ ${min}`);
    }
  };
  wholeNumber('dimensions', manifest.dimensions, 1);
  wholeNumber('passageCount', manifest.passageCount, 0);
  if (!manifest.hnsw || typeof manifest.hnsw !== 'object') fail(`manifest field "hnsw" is ${manifest.hnsw === undefined ? 'missing' : JSON.stringify(manifest.hnsw)}`);
  for (const key of ['m', 'efConstruction', 'ef'] as const) wholeNumber(`hnsw.${key}`, manifest.hnsw[key], 1);
  if (typeof manifest.modelId !== 'string' || manifest.modelId === '') fail(`manifest field "modelId" is ${manifest.modelId === undefined ? 'missing' : JSON.stringify(manifest.modelId)}`);
  if (!manifest.checksums || typeof manifest.checksums !== 'object') fail('manifest has no checksums');
  const external = manifest.vectorStore !== undefined;
  if (external && !options.externalDense) fail(`its vectors are searched in ${manifest.vectorStore}, which this store cannot reach (set DATABASE_URL)`);
  for (const required of [FILES.documents, FILES.passages, FILES.vectors, ...(external ? [] : [FILES.hnsw]), FILES.lexical, FILES.postings]) {
    if (!(required in manifest.checksums)) fail(`manifest lists no ${required}`);
  }
  // every file is read once: checked against the manifest, then parsed from the same bytes
  const bytes = new Map<string, Buffer>();
  for (const [file, sum] of Object.entries(manifest.checksums)) {
    let content: Buffer;
    try {
      content = fs.readFileSync(path.join(dir, file));
    } catch {
      return fail(`${file} is missing`);
    }
    if (fileChecksum(content) !== sum) fail(`${file} does not match its checksum (truncated or corrupted)`);
    if (file !== FILES.hnsw && !file.startsWith(`${FILES.model}/`) && !file.startsWith(`${FILES.attachments}/`)) bytes.set(file, content);
  }
  const text = (file: string) => bytes.get(file)!.toString('utf8');

  try {
    const documents = JSON.parse(text(FILES.documents)) as DocumentInfo[];
    const passages = PassageLines.read(bytes.get(FILES.passages)!);
    if (passages.length !== manifest.passageCount) fail(`${passages.length} passages, manifest says ${manifest.passageCount}`);
    const vectors = unpackVectors(bytes.get(FILES.vectors)!, manifest.dimensions);
    if (vectors.length !== passages.length) fail(`${vectors.length} vectors for ${passages.length} passages`);
    let dense: DenseSearch;
    if (external) dense = options.externalDense!(manifest, vectors);
    else {
      const graph = DenseIndex.read(path.join(dir, FILES.hnsw), manifest.dimensions, passages.length, manifest.hnsw);
      dense = (vector, k, ef) => graph.search(vector, k, ef);
    }
    const lexical = LexicalIndex.fromStored(JSON.parse(text(FILES.lexical)) as LexicalMeta, bytes.get(FILES.postings)!);
    if (lexical.size !== passages.length) fail(`lexical index covers ${lexical.size} passages, not ${passages.length}`);
    return new LoadedIndex(dir, generation, manifest, documents, passages, vectors, dense, lexical);
  } catch (error) {
    if (error instanceof IndexError && error.message.startsWith(`index ${dir} is unusable`)) throw error;
    return fail((error as Error).message);
  }
}

export function packVectors(vectors: Float32Array[], dims: number): Buffer {
  const out = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => out.set(v, i * dims));
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export function unpackVectors(bytes: Buffer, dims: number): Float32Array[] {
  if (dims <= 0 || bytes.byteLength % (4 * dims) !== 0) throw new IndexError(`vectors file size ${bytes.byteLength} is not a multiple of ${dims} floats`);
  // copy into an aligned buffer: Buffer slices may start at any offset
  const all = new Float32Array(new Uint8Array(bytes).buffer);
  const out: Float32Array[] = [];
  for (let i = 0; i < all.length; i += dims) out.push(all.subarray(i, i + dims));
  return out;
}

/** Checksum of every file under `dir` (relative paths, `/`-separated), manifest excluded. */
export function checksumTree(dir: string): Record<string, string> {
  const sums: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && rel !== FILES.manifest) sums[rel] = fileChecksum(fs.readFileSync(path.join(dir, rel)));
    }
  };
  walk('');
  return sums;
}

/**
 * Size and CRC-32 of a file's bytes: catches truncation and bit flips (the faults a disk or a killed
 * writer causes) at about twice the speed of sha256, which matters for a 400 MB index at start.
 */
export function fileChecksum(bytes: Uint8Array): string {
  return `${bytes.byteLength}:${crc32(bytes).toString(16).padStart(8, '0')}`;
}

export { sha256 } from '../core/hash.js';

/** Bytes of every file under `dir`. */
export function treeSize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)).size;
  }
  return total;
}

/** Passages as JSON lines, written in chunks: a large corpus's lines do not fit in one string. */
function writePassageLines(file: string, passages: Passage[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    let chunk: string[] = [];
    let size = 0;
    for (const passage of passages) {
      const line = passageLine(passage);
      chunk.push(line);
      size += line.length;
      if (size >= 4_000_000) {
        fs.writeFileSync(fd, chunk.join(''));
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length) fs.writeFileSync(fd, chunk.join(''));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeFileSynced(file: string, content: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    fsyncFile(dir);
  } catch {
    // some platforms cannot fsync a directory; the rename is still atomic
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
