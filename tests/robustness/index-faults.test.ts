/**
 * Corpus and index faults: every file of index/ truncated or bit-flipped, ingest SIGKILLed at random moments,
 * a document edited while the service runs. Outcomes allowed: a clear IndexError, an automatic rebuild on
 * start, or the previous index — never a crash at a question, never a silently different answer.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/core/answer.js';
import { IndexError } from '../../src/core/errors.js';
import { loadIndex } from '../../src/index/store.js';
import { ingest } from '../../src/service/ingest.js';
import { createLibrarian } from '../../src/service/librarian.js';
import { LONG, makeWorkspace, prng, removeWorkspace, runs, summary, type Workspace } from './support.js';

const QUESTION = '美国为什么对中国实施选择性脱钩？';
const SEED = Number(process.env.FAULT_SEED ?? 7);
const child = path.join(import.meta.dirname, 'ingest-child.ts');

let ws: Workspace;
let pristine: string; // a copy of the healthy index dir
let generation: string;
let files: string[]; // files of the generation, relative, plus ../CURRENT
let healthy: Answer;

const citationIds = (a: Answer) => a.citations.map((c) => c.id);

function copyIndex(to: string): string {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(pristine, to, { recursive: true });
  return to;
}

type Fault = { kind: 'truncate' | 'bitflip'; file: string; offset: number; bit: number };

/** Applies a fault to `<indexDir>/<generation>/<file>` (CURRENT lives beside the generation). */
function inject(indexDir: string, fault: Fault): void {
  const target = fault.file === 'CURRENT' ? path.join(indexDir, 'CURRENT') : path.join(indexDir, generation, fault.file);
  const bytes = fs.readFileSync(target);
  if (fault.kind === 'truncate') fs.truncateSync(target, Math.min(fault.offset, Math.max(0, bytes.length - 1)));
  else {
    bytes[fault.offset % bytes.length] ^= 1 << fault.bit;
    fs.writeFileSync(target, bytes);
  }
}

function randomFaults(perFileAndKind: number, seed: number): Fault[] {
  const random = prng(seed);
  const faults: Fault[] = [];
  for (const file of files) {
    const size = fs.statSync(file === 'CURRENT' ? path.join(pristine, 'CURRENT') : path.join(pristine, generation, file)).size;
    for (const kind of ['truncate', 'bitflip'] as const) {
      for (let i = 0; i < perFileAndKind; i++) faults.push({ kind, file, offset: Math.floor(random() * size), bit: Math.floor(random() * 8) });
    }
  }
  return faults;
}

beforeAll(async () => {
  ws = makeWorkspace('faults');
  await ingest({ corpusDir: ws.corpusDir, indexDir: ws.indexDir, model: 'corpus' });
  pristine = path.join(ws.root, 'pristine-index');
  fs.cpSync(ws.indexDir, pristine, { recursive: true });
  generation = fs.readFileSync(path.join(pristine, 'CURRENT'), 'utf8').trim();
  files = [...(fs.readdirSync(path.join(pristine, generation), { recursive: true }) as string[])]
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => fs.statSync(path.join(pristine, generation, f)).isFile())
    .sort();
  files.push('CURRENT');
  const librarian = await createLibrarian({ corpusDir: ws.corpusDir, indexDir: ws.indexDir, model: 'corpus', composer: null, autoIngest: false });
  healthy = await librarian.ask(QUESTION);
  expect(healthy.supported).toBe(true);
});
afterAll(() => removeWorkspace(ws));

describe('a damaged index', () => {
  it('every file truncated or bit-flipped at random offsets is refused with a clear IndexError, or (manifest) changes nothing read', () => {
    const dir = copyIndex(path.join(ws.root, 'damaged'));
    const reference = loadIndex(pristine);
    const faults = randomFaults(runs(3, 20), SEED);
    const outcome = { injected: 0, refused: 0, loadedUnchanged: 0 };
    const byFile: Record<string, number> = {};
    for (const fault of faults) {
      copyIndex(dir);
      inject(dir, fault);
      outcome.injected++;
      try {
        const index = loadIndex(dir);
        // only the manifest's unchecked fields (build time, …) and CURRENT's trailing newline may change and still load
        expect(['manifest.json', 'CURRENT'], `${fault.kind} of ${fault.file} at ${fault.offset} loaded`).toContain(fault.file);
        expect(index.passages).toEqual(reference.passages);
        expect(index.documents).toEqual(reference.documents);
        expect(index.allVectors()).toEqual(reference.allVectors());
        outcome.loadedUnchanged++;
      } catch (error) {
        expect(error, `${fault.kind} of ${fault.file} at ${fault.offset}: ${(error as Error).stack}`).toBeInstanceOf(IndexError);
        expect((error as Error).message).toMatch(/ingest/); // says what to do
        outcome.refused++;
        byFile[fault.file] = (byFile[fault.file] ?? 0) + 1;
      }
    }
    summary('index file faults (loadIndex)', { files: files.length, ...outcome, refusedByFile: byFile });
    expect(outcome.refused).toBeGreaterThan(faults.length / 2);
  });

  it('start (createLibrarian, autoIngest) rebuilds a broken index with a clear warning and answers as before', async () => {
    const chosen: Fault[] = [
      { kind: 'truncate', file: 'passages.jsonl', offset: 1000, bit: 0 },
      { kind: 'bitflip', file: 'hnsw.bin', offset: 4242, bit: 3 },
      { kind: 'truncate', file: 'manifest.json', offset: 200, bit: 0 },
    ];
    if (LONG) for (const f of randomFaults(1, SEED + 1)) chosen.push(f);
    const figures = { injected: 0, rebuilt: 0, sameAnswer: 0, crashed: 0 };
    const failures: string[] = [];
    for (const fault of chosen) {
      const dir = copyIndex(path.join(ws.root, 'restart'));
      inject(dir, fault);
      figures.injected++;
      const warnings: string[] = [];
      try {
        const librarian = await createLibrarian({ corpusDir: ws.corpusDir, indexDir: dir, model: 'corpus', composer: null, onWarning: (w) => warnings.push(w) });
        const generationAfter = fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim();
        if (generationAfter !== generation || fault.file === 'CURRENT') figures.rebuilt++;
        expect(() => loadIndex(dir)).not.toThrow();
        const answer = await librarian.ask(QUESTION);
        if (citationIds(answer).join() === citationIds(healthy).join() && answer.text === healthy.text) figures.sameAnswer++;
        else failures.push(`${fault.kind} ${fault.file}: a different answer after the rebuild`);
        if (fault.file !== 'manifest.json' && fault.file !== 'CURRENT') {
          // the damage was reported, not silently papered over
          expect(warnings.join('\n'), `${fault.kind} ${fault.file}`).toMatch(/checksum|unusable|corrupt|truncat|not reused|rebuil/i);
        }
      } catch (error) {
        figures.crashed++;
        failures.push(`${fault.kind} of ${fault.file} at ${fault.offset}: ${(error as Error).name}: ${(error as Error).message.slice(0, 160)}`);
      }
    }
    summary('index faults on start (autoIngest)', figures);
    expect(failures).toEqual([]);
  }, 180_000);

  it('without autoIngest, a broken index stops start with a one-line IndexError that says to re-ingest', async () => {
    const dir = copyIndex(path.join(ws.root, 'no-auto'));
    inject(dir, { kind: 'bitflip', file: 'vectors.f32', offset: 99, bit: 1 });
    const error = await createLibrarian({ corpusDir: ws.corpusDir, indexDir: dir, model: 'corpus', composer: null, autoIngest: false }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/vectors\.f32.*checksum|checksum.*vectors\.f32/);
    expect((error as Error).message).toMatch(/lodestone ingest/);
    expect((error as Error).message).not.toContain('\n');
  });
});

/** Where a kill may land: after the child reports `stage`, within `maxDelayMs`. */
const KILL_POINTS: { stage: string; maxDelayMs: number }[] = [
  { stage: 'ready', maxDelayMs: 1500 },
  { stage: 'chunk', maxDelayMs: 400 },
  { stage: 'train', maxDelayMs: 4000 },
  { stage: 'embed', maxDelayMs: 1200 },
  { stage: 'index', maxDelayMs: 250 },
];

function runKilledIngest(corpusDir: string, indexDir: string, at: { stage: string; delayMs: number }): Promise<{ stage: string; done: boolean; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, corpusDir, indexDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (d) => {
      out += d;
      const reached = at.stage === 'ready' ? out.includes('ready') : out.includes(`stage ${at.stage}`);
      if (!timer && reached) timer = setTimeout(() => proc.kill('SIGKILL'), at.delayMs);
    });
    proc.stderr.resume();
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      clearTimeout(timer);
      const stages = [...out.matchAll(/^stage (\w+)$/gm)].map((m) => m[1]);
      resolve({ stage: stages.at(-1) ?? 'start', done: out.includes('done'), signal });
    });
  });
}

describe('an ingest killed with SIGKILL', () => {
  it('at random moments leaves an index that loads and answers as before; the next ingest cleans up', async () => {
    const dir = copyIndex(path.join(ws.root, 'killed'));
    const random = prng(SEED + 2);
    const kills = runs(3, 12);
    const figures = { kills: 0, finishedBeforeKill: 0, loadedAfter: 0, sameAnswer: 0, stages: {} as Record<string, number> };
    const reference = loadIndex(pristine);
    for (let i = 0; i < kills; i++) {
      const point = KILL_POINTS[LONG ? Math.floor(random() * KILL_POINTS.length) : [0, 2, 4][i % 3]];
      const result = await runKilledIngest(ws.corpusDir, dir, { stage: point.stage, delayMs: Math.floor(random() * point.maxDelayMs) });
      if (result.done) figures.finishedBeforeKill++;
      else {
        expect(result.signal).toBe('SIGKILL');
        figures.kills++;
        figures.stages[result.stage] = (figures.stages[result.stage] ?? 0) + 1;
      }
      const index = loadIndex(dir); // the previous (or the just-committed) generation, complete
      expect(index.passages.map((p) => p.id)).toEqual(reference.passages.map((p) => p.id));
      figures.loadedAfter++;
      const librarian = await createLibrarian({ corpusDir: ws.corpusDir, indexDir: dir, model: 'corpus', composer: null, autoIngest: false });
      const answer = await librarian.ask(QUESTION);
      if (answer.supported && citationIds(answer).length > 0) figures.sameAnswer += citationIds(answer).join() === citationIds(healthy).join() ? 1 : 0;
      expect(answer.supported).toBe(true);
    }
    // a normal ingest afterwards succeeds and removes the dead writers' staging directories
    await ingest({ corpusDir: ws.corpusDir, indexDir: dir, model: 'corpus' });
    expect(fs.readdirSync(dir).filter((n) => n.includes('tmp-'))).toEqual([]);
    summary('ingest SIGKILL', figures);
  }, 240_000);
});

describe('a document edited while the service runs', () => {
  it('is picked up after re-ingest + reload(); ids of old answers that still exist still resolve', async () => {
    const edit = makeWorkspace('edit');
    try {
      fs.cpSync(pristine, edit.indexDir, { recursive: true });
      const librarian = await createLibrarian({ corpusDir: edit.corpusDir, indexDir: edit.indexDir, model: 'corpus', composer: null });
      const before = await librarian.ask(QUESTION);
      const oldIds = [...new Set([...citationIds(before), ...librarian.allPassages().map((p) => p.id)])];

      // edit one paragraph of the paper (a sentence not in the answer above), while the librarian keeps running
      const paper = fs.readdirSync(edit.corpusDir).find((f) => f.startsWith('zhou2024') && f.endsWith('.md'))!;
      const file = path.join(edit.corpusDir, paper);
      const original = fs.readFileSync(file, 'utf8');
      const needle = '镍主要分布在印度尼西亚、菲律宾和俄罗斯';
      expect(original).toContain(needle);
      fs.writeFileSync(file, original.replace(needle, '镍主要分布在印度尼西亚、菲律宾、俄罗斯和新喀里多尼亚'));
      expect((await librarian.cite('新喀里多尼亚'))?.passage.text ?? '').not.toContain('新喀里多尼亚'); // not yet

      await ingest({ corpusDir: edit.corpusDir, indexDir: edit.indexDir, model: 'corpus' });
      expect(await librarian.reload()).toBe(true);
      expect((await librarian.cite('镍 新喀里多尼亚'))?.passage.text).toContain('新喀里多尼亚');
      const search = await librarian.search('镍主要分布在哪些国家', 5);
      expect(search.some((r) => r.passage.text.includes('新喀里多尼亚'))).toBe(true);

      // every old id still in the index resolves (passage + cite); the one edited paragraph is the only one gone
      let resolved = 0;
      const gone: string[] = [];
      for (const id of oldIds) {
        const passage = librarian.passage(id);
        if (!passage) {
          gone.push(id);
          expect((await librarian.cite(id))?.passage.id).not.toBe(id);
          continue;
        }
        expect((await librarian.cite(id))?.passage.id).toBe(id);
        resolved++;
      }
      expect(gone.length).toBeLessThanOrEqual(1);
      for (const id of citationIds(before)) expect(librarian.passage(id), `answer citation ${id} lost`).toBeDefined();
      const after = await librarian.ask(QUESTION);
      expect(citationIds(after)).toEqual(citationIds(before));
      summary('document edited while running', { oldIds: oldIds.length, resolved, gone: gone.length, answerUnchanged: true });
      await librarian.close();
    } finally {
      removeWorkspace(edit);
    }
  }, 120_000);
});
