import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadReporter } from '../../src/cli/download.js';
import { progressReporter } from '../../src/cli/progress.js';
import { buildHubModel, startHubServer, type HubServer } from '../support/hub-server.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'bin/lodestone.js');
const E5 = 'Xenova/multilingual-e5-small';
let root: string;
let hub: HubServer;
let cacheDir: string;

async function lodestone(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, '--index', path.join(root, 'index'), ...args], {
      cwd: root,
      env: { ...process.env, EMBEDDING_MODEL: '', HF_ENDPOINT: hub.url, LODESTONE_MODEL_CACHE: cacheDir, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-models-'));
  cacheDir = path.join(root, 'cache');
  const served = await buildHubModel(path.join(root, 'served', E5));
  hub = await startHubServer({ [E5]: served });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('lodestone models', () => {
  it('list: the presets, none cached yet, the hub and the cache, no index', async () => {
    const { code, stdout } = await lodestone(['models', 'list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\* Xenova\/multilingual-e5-small \(default\)\s+384\s+not cached/);
    expect(stdout).toMatch(/Xenova\/bge-small-zh-v1\.5\s+512\s+not cached/);
    expect(stdout).toMatch(/corpus .*trained by ingest/);
    expect(stdout).toContain(`cache:  ${cacheDir} (LODESTONE_MODEL_CACHE)`);
    expect(stdout).toContain(`hub:    ${hub.url} (HF_ENDPOINT)`);
    expect(stdout).toMatch(/index:  none in .* yet/);
  });

  it('pull fills the cache from HF_ENDPOINT and says where; a second pull finds it there', async () => {
    const pulled = await lodestone(['models', 'pull']);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout.trim()).toMatch(new RegExp(`^pulled ${E5} from ${hub.url} into ${path.join(cacheDir, E5)} \\(4 files, [\\d.]+ (MB|kB), 48-dimensional vectors\\)$`));
    // in a pipe: a plain line per file, no bar
    expect(pulled.stderr).toContain(`downloading ${E5}/onnx/model_quantized.onnx`);
    expect(pulled.stderr).not.toContain('\r');
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) {
      expect(hub.requests).toContain(`GET /${E5}/resolve/main/${f}`);
      expect(fs.statSync(path.join(cacheDir, E5, f)).size).toBeGreaterThan(0);
    }
    const again = await lodestone(['models', 'pull', 'e5-small']);
    expect(again.stdout).toContain(`${E5} is already cached in ${path.join(cacheDir, E5)}`);
  });

  it('list after an ingest: cached state and the index’s model', async () => {
    fs.cpSync(path.join(repo, 'corpus'), path.join(root, 'corpus'), { recursive: true });
    const ingested = await lodestone(['ingest'], { HF_ENDPOINT: 'http://127.0.0.1:9' });
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(ingested.stderr).not.toContain('warning');
    expect(ingested.stdout).toContain(`with ${E5}`);
    const { stdout } = await lodestone(['models', 'list', '--json']);
    const listing = JSON.parse(stdout);
    expect(listing.presets.find((p: { name: string }) => p.name === E5)).toMatchObject({ cached: true, selected: true, default: true });
    expect(listing.index).toMatchObject({ modelId: E5, dimensions: 48, requested: E5 });
  });

  it('pull of something that is not a hub preset says so in one line, exit 2', async () => {
    const corpus = await lodestone(['models', 'pull', 'corpus']);
    expect(corpus.code).toBe(2);
    expect(corpus.stderr.trim()).toMatch(/^error: the corpus model is not downloaded/);
    const unknown = await lodestone(['models', 'pull', 'gpt-embedder-9000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('download progress', () => {
  const events = (file: string, size: number) => [
    { model: E5, file, loaded: size / 2, total: size, done: false },
    { model: E5, file, loaded: size, total: size, done: true },
  ];

  it('on a terminal: a line naming the file and a bar in MB', () => {
    let out = '';
    const progress = progressReporter({ write: (t: string) => (out += t), isTTY: true, columns: 100 });
    const downloads = downloadReporter(progress);
    for (const e of events('onnx/model_quantized.onnx', 118_000_000)) downloads.onDownload(e);
    progress.stop();
    expect(out).toContain(`downloading ${E5}/onnx/model_quantized.onnx (118.0 MB)\n`);
    expect(out).toMatch(/downloading\s+\[[█░]+\] 59\.0\/118\.0 MB/);
    expect(out).toMatch(/downloading\s+\[█+\] 118\.0\/118\.0 MB/);
    expect(downloads.files).toBe(1);
  });

  it('in a pipe: one plain line per file, however the events interleave', () => {
    let out = '';
    const downloads = downloadReporter(progressReporter({ write: (t: string) => (out += t), isTTY: false }, { interactive: false }));
    const [a1, a2] = events('tokenizer.json', 1000);
    const [b1, b2] = events('config.json', 200);
    for (const e of [a1, b1, a2, b2]) downloads.onDownload(e);
    expect(out).toBe(`downloading ${E5}/tokenizer.json (1 kB)\ndownloading ${E5}/config.json (1 kB)\n`);
  });
});
