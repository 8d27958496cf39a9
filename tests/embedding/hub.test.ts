import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHubEmbedder } from '../../src/embedding/select.js';
import type { DownloadProgress } from '../../src/embedding/hub.js';
import { openIndexStore } from '../../src/index/open.js';
import { createLibrarian, type LibrarianService } from '../../src/service/librarian.js';
import { indexIsStale, ingest } from '../../src/service/ingest.js';
import { buildHubModel, startHubServer, type HubServer } from '../support/hub-server.js';
import { makeWorkspace, removeWorkspace, type Workspace } from '../support/workspace.js';

/**
 * The default hub model path with the real transformers.js pipeline, against a loopback server in the hub's
 * layout (HF_ENDPOINT) that serves a small model built from the corpus under the default preset's name.
 * The tests run in order: download, offline from the cache, no network at all, a lost cache.
 */

const E5 = 'Xenova/multilingual-e5-small';
const savedEnv = { ...process.env };
let ws: Workspace;
let home: string;
let cacheDir: string;
let servedDir: string;
let hub: HubServer;
const librarians: LibrarianService[] = [];

async function generationOf(indexDir: string): Promise<string | undefined> {
  return openIndexStore(indexDir).current();
}

async function open(extra: { model?: string; onWarning?: (w: string) => void } = {}): Promise<LibrarianService> {
  const librarian = await createLibrarian({ corpusDir: ws.corpusDir, indexDir: ws.indexDir, model: E5, composer: null, ...extra });
  librarians.push(librarian);
  return librarian;
}

beforeAll(async () => {
  ws = makeWorkspace('hub');
  home = path.join(ws.root, 'home');
  fs.mkdirSync(home);
  servedDir = await buildHubModel(path.join(ws.root, 'served', E5));
  hub = await startHubServer({ [E5]: servedDir });
  // the line .env.example ships: `~` must be the home directory, not a folder named `~`
  process.env.HOME = home;
  process.env.LODESTONE_MODEL_CACHE = '~/.cache/lodestone/models';
  process.env.HF_ENDPOINT = hub.url;
  cacheDir = path.join(home, '.cache', 'lodestone', 'models');
}, 120_000);

afterAll(async () => {
  for (const l of librarians) await l.close();
  await hub?.close();
  process.env = savedEnv;
  removeWorkspace(ws);
});

describe('a hub model with the real transformers.js', () => {
  it('first ingest downloads it from HF_ENDPOINT into the cache, and the index names it', async () => {
    const warnings: string[] = [];
    const downloads: DownloadProgress[] = [];
    const summary = await ingest({ corpusDir: ws.corpusDir, indexDir: ws.indexDir, model: E5, onWarning: (w) => warnings.push(w), onDownload: (p) => downloads.push(p) });
    expect(warnings).toEqual([]);
    expect(summary.model).toBe(E5);

    const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];
    for (const file of files) {
      expect(hub.requests).toContain(`GET /${E5}/resolve/main/${file}`);
      expect(fs.readFileSync(path.join(cacheDir, E5, file))).toEqual(fs.readFileSync(path.join(servedDir, file)));
    }
    expect(fs.existsSync(path.join(process.cwd(), '~'))).toBe(false);

    // progress for every file, ending complete
    const onnx = downloads.filter((d) => d.file === 'onnx/model_quantized.onnx');
    expect(onnx.length).toBeGreaterThan(1);
    expect(onnx.at(-1)).toMatchObject({ model: E5, done: true, loaded: fs.statSync(path.join(servedDir, 'onnx/model_quantized.onnx')).size });

    const manifest = (await openIndexStore(ws.indexDir).manifest())!;
    expect(manifest.modelId).toBe(E5);
    // the served model is 48-dimensional: dimensions come from the model's output, not the preset table (384)
    expect(manifest.dimensions).toBe(48);
    expect(manifest.build?.modelOrigin).toMatchObject({ kind: 'hub', hubId: E5, revision: 'main', endpoint: hub.url, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('with the hub gone, a start answers from the cache with the same model: no warning, no new generation', async () => {
    await hub.close();
    const before = await generationOf(ws.indexDir);
    const asked = hub.requests.length;
    const warnings: string[] = [];
    const librarian = await open({ onWarning: (w) => warnings.push(w) });
    const answer = await librarian.ask('稀土加工');
    expect(warnings).toEqual([]);
    expect(librarian.describe().model).toBe(E5);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(await generationOf(ws.indexDir)).toBe(before);
    expect(hub.requests.length).toBe(asked);
    // dense search took part (the cached model embedded the question)
    const results = await librarian.search('稀土加工', 5);
    expect(results.some((r) => r.denseRank !== undefined)).toBe(true);
  });

  it('EMBEDDING_MODEL unset, spelt in full or as an alias is the same model: the index is not stale', async () => {
    delete process.env.EMBEDDING_MODEL;
    for (const setting of [undefined, '', E5, 'e5-small', 'xenova/MULTILINGUAL-e5-small']) {
      expect(await indexIsStale(ws.corpusDir, ws.indexDir, setting), String(setting)).toBe(false);
    }
    expect(await indexIsStale(ws.corpusDir, ws.indexDir, 'corpus')).toBe(true);
    expect(await indexIsStale(ws.corpusDir, ws.indexDir, 'bge-small-zh')).toBe(true);
  });

  it('with no HF_ENDPOINT and no network at all, the cached model loads without a single request', async () => {
    delete process.env.HF_ENDPOINT;
    const realFetch = globalThis.fetch;
    const fetched: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      throw new TypeError('fetch failed (no network in this test)');
    }) as typeof fetch;
    try {
      const embedder = await loadHubEmbedder(E5);
      expect(embedder.modelId).toBe(E5);
      const vector = await embedder.embedQuery('关键矿产');
      expect(vector.length).toBe(48);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
      expect(embedder.origin).toMatchObject({ kind: 'hub', endpoint: 'https://huggingface.co' });
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(fetched).toEqual([]);
  });

  it('when the index’s model cannot be loaded at all, one warning and lexical answers from that same index', async () => {
    process.env.HF_ENDPOINT = hub.url; // stopped: connection refused
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const before = await generationOf(ws.indexDir);
    const warnings: string[] = [];
    const librarian = await open({ onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/the index's model Xenova\/multilingual-e5-small cannot be loaded \(.*unreachable.*\).*words alone.*models pull/);
    expect(warnings[0]).not.toContain('\n');

    const answer = await librarian.ask('稀土加工');
    expect(answer.citations.length).toBeGreaterThan(0);
    const results = await librarian.search('稀土加工', 5);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.denseRank === undefined && r.lexicalRank !== undefined)).toBe(true);
    expect(librarian.describe().model).toBe(E5);
    expect(warnings).toHaveLength(1);

    // an explicit ingest of the unchanged corpus keeps that index rather than rebuilding with another model
    const summary = await ingest({ corpusDir: ws.corpusDir, indexDir: ws.indexDir, model: E5, onWarning: (w) => warnings.push(w) });
    expect(summary.model).toBe(E5);
    expect(await generationOf(ws.indexDir)).toBe(before);
    expect(warnings[1]).toMatch(/could not load Xenova\/multilingual-e5-small .*index built with it is kept/);
    expect((await openIndexStore(ws.indexDir).manifest())!.modelId).toBe(E5);
  });

  it('not cached and the hub unreachable: ingest warns once and uses the corpus model, quickly', async () => {
    const other = makeWorkspace('hub-offline');
    try {
      const warnings: string[] = [];
      const summary = await ingest({ corpusDir: other.corpusDir, indexDir: other.indexDir, model: E5, onWarning: (w) => warnings.push(w) });
      expect(summary.model).toMatch(/^corpus:/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/could not load Xenova\/multilingual-e5-small \(.*unreachable.*\); using the offline corpus model.*EMBEDDING_MODEL=corpus.*HF_ENDPOINT.*models pull/);
      // the same request in another spelling neither rebuilds nor retrains
      expect(await indexIsStale(other.corpusDir, other.indexDir, undefined)).toBe(false);
      const again = await ingest({ corpusDir: other.corpusDir, indexDir: other.indexDir, model: '', onWarning: () => undefined });
      expect(again).toMatchObject({ model: summary.model, embeddedPassages: 0 });
      expect(again.stageSeconds.train).toBeLessThan(summary.stageSeconds.train);
    } finally {
      removeWorkspace(other);
    }
  });
});

describe('a local model directory as EMBEDDING_MODEL', () => {
  it('ingests and answers with it, written with `~`, and a changed directory is another model', async () => {
    const local = makeWorkspace('hub-local');
    const modelDir = path.join(home, 'models', 'my-encoder');
    fs.cpSync(servedDir, modelDir, { recursive: true });
    try {
      const setting = '~/models/my-encoder';
      const warnings: string[] = [];
      const summary = await ingest({ corpusDir: local.corpusDir, indexDir: local.indexDir, model: setting, onWarning: (w) => warnings.push(w) });
      expect(warnings).toEqual([]);
      expect(summary.model).toMatch(/^local:my-encoder@[0-9a-f]{12}$/);
      const manifest = (await openIndexStore(local.indexDir).manifest())!;
      expect(manifest.dimensions).toBe(48);
      expect(manifest.build?.modelOrigin).toMatchObject({ kind: 'dir', dir: modelDir });
      expect(await indexIsStale(local.corpusDir, local.indexDir, setting)).toBe(false);
      expect(await indexIsStale(local.corpusDir, local.indexDir, modelDir)).toBe(false);

      const librarian = await createLibrarian({ corpusDir: local.corpusDir, indexDir: local.indexDir, model: setting, composer: null, onWarning: (w) => warnings.push(w) });
      librarians.push(librarian);
      expect(warnings).toEqual([]);
      const results = await librarian.search('关键矿产', 5);
      expect(results.some((r) => r.denseRank !== undefined)).toBe(true);

      // other weights in the same folder: the index is stale, not silently wrong
      const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
      fs.writeFileSync(path.join(modelDir, 'config.json'), JSON.stringify({ ...config, note: 'retrained' }));
      expect(await indexIsStale(local.corpusDir, local.indexDir, setting)).toBe(true);
    } finally {
      removeWorkspace(local);
    }
  });

  it('a directory that is not a model is a clear configuration error', async () => {
    const empty = path.join(home, 'not-a-model');
    fs.mkdirSync(empty, { recursive: true });
    await expect(ingest({ corpusDir: ws.corpusDir, indexDir: path.join(ws.root, 'index-bad'), model: empty })).rejects.toThrow(
      /not-a-model is not a model directory: config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model\.onnx missing/,
    );
  });
});
