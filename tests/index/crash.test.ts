import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIndex, writeIndex } from '../../src/index/store.js';
import { FakeEmbedder, sampleCorpus } from './fixtures.js';

const writer = path.join(import.meta.dirname, 'crash-writer.ts');

function runWriter(dir: string, mode: string, killAfterMs?: number): Promise<{ signal: NodeJS.Signals | null; written: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      // kill at a varied moment inside a later write, once at least one write has finished
      if (killAfterMs !== undefined && out.includes('wrote 0')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, written: (out.match(/wrote/g) ?? []).length }));
  });
}

async function seed(dir: string): Promise<void> {
  const embedder = new FakeEmbedder();
  const { documents, passages } = sampleCorpus();
  const vectors = await embedder.embedPassages(passages.map((p) => p.text));
  writeIndex(dir, { documents, passages, vectors, embedderModelId: embedder.modelId, dims: 64, corpusFingerprint: 'before', chunkerVersion: 'test' });
}

describe('an ingest killed mid-write', () => {
  it('leaves the previous index loadable when killed after writing files, before the commit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-crash-'));
    await seed(dir);
    const { signal } = await runWriter(dir, 'kill-before-commit');
    expect(signal).toBe('SIGKILL');
    expect(fs.readdirSync(dir).some((n) => n.startsWith('.tmp-'))).toBe(true); // the half-written generation
    expect(loadIndex(dir).manifest.corpusFingerprint).toBe('before');
  });

  it('always leaves a complete, verifiable index when killed at arbitrary moments', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-crash-'));
    await seed(dir);
    for (const delay of [0, 7, 23, 41]) {
      const { signal } = await runWriter(dir, 'loop', delay);
      expect(signal).toBe('SIGKILL');
      const index = loadIndex(dir); // throws on any truncated or mismatched file
      expect(index.passages.length).toBe(index.manifest.passageCount);
      expect(index.manifest.corpusFingerprint).toMatch(/^child-\d+$/);
    }
  }, 60_000);
});
