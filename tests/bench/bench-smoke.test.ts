import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bruteForceSearch } from '../../src/index/dense.js';
import { exactTopK, recallAtK } from '../../src/bench/exact-search.js';
import { variedQuestions } from '../../src/bench/questions.js';
import { baselineRatios, checkTargets, describeMachine, renderReport, type BenchResult } from '../../src/bench/report.js';
import { parseSizes } from '../../src/bench/run.js';
import { runScalePoint } from '../../src/bench/scale.js';
import { clusteredBaseVectors, rows, synthesiseVectors } from '../../src/bench/synthetic.js';

const work = mkdtempSync(path.join(tmpdir(), 'lodestone-bench-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('scale bench (small)', () => {
  const base = clusteredBaseVectors(200, 64, 3);

  it('at n=2000 builds, saves, reloads and finds the exact top-10 (recall > 0.9) beside the baselines', async () => {
    const dataset = synthesiseVectors(base, 2000, { seed: 5 });
    const queries = synthesiseVectors(base, 60, { seed: 6 });
    const texts = Array.from({ length: 2000 }, (_, i) => `段落${i}。`);
    const { scale, baselines } = await runScalePoint({ matrix: dataset.matrix, texts, origin: 'perturbed' }, queries.matrix, {
      efs: [32, 64],
      timedQueries: 60,
      recallQueries: 60,
      baselines: true,
      workDir: work,
    });
    // the asked-for efs, plus the one chosen by measurement (as writeIndex does)
    const tuned = baselines.find((b) => b.name.startsWith('lodestone'))!.ef!;
    expect(scale.map((s) => s.ef)).toEqual([...new Set([32, 64, tuned])].sort((a, b) => a - b));
    for (const row of scale) {
      expect(row.n).toBe(2000);
      expect(row.recallAt10).toBeGreaterThan(0.9);
      expect(row.diskMb).toBeGreaterThan(0);
    }
    expect(baselines.map((b) => b.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^lodestone/), expect.stringMatching(/^langchain HNSWLib/), 'brute-force cosine scan']));
    expect(baselines.find((b) => b.name === 'brute-force cosine scan')!.recallAt10).toBe(1);
    for (const b of baselines) expect(b.recallAt10).toBeGreaterThan(0.5);
    // the readable report carries the measured rows and a ratio per baseline
    const result: BenchResult = { machine: describeMachine(), command: 'test', startedAt: '', scale, fullIndex: [], baselines, ratios: baselineRatios(baselines), bot: [], targets: [], skipped: { bot: '--no-bot' } };
    result.targets = checkTargets(result);
    const report = renderReport(result);
    expect(report).toContain('| 2000 ');
    expect(report).toMatch(/langchain HNSWLib/);
    expect(report).toContain('bot: skipped: --no-bot');
    expect(result.ratios.length).toBe(baselines.length - 1);
  });

  it('exact top-k agrees with the index room’s brute-force search, and recall counts misses', () => {
    const { matrix } = synthesiseVectors(base, 500, { seed: 8 });
    const q = synthesiseVectors(base, 1, { seed: 9 }).matrix.data;
    const mine = exactTopK(matrix, q, 10);
    const theirs = bruteForceSearch(rows(matrix), q, 10);
    expect(mine.map((h) => h.position)).toEqual(theirs.map((h) => h.position));
    expect(recallAtK(mine, mine, 10)).toBe(1);
    const halfWrong = [...mine.slice(0, 5), ...mine.slice(0, 5).map((h) => ({ position: -1, score: -1 }))];
    expect(recallAtK(mine, halfWrong, 10)).toBe(0.5);
  });

  it('synthetic vectors stay near the real ones they grew from (not uniform noise)', () => {
    const { matrix, origins } = synthesiseVectors(base, 200, { seed: 10 });
    const baseRows = rows(base);
    let near = 0;
    rows(matrix).forEach((v, i) => {
      const top = exactTopK(base, v, 3).map((h) => h.position);
      if (top.includes(origins[i].from) || top.includes(origins[i].towards)) near++;
    });
    expect(near / 200).toBeGreaterThan(0.9);
    expect(baseRows.length).toBe(200);
  });
});

describe('bench inputs', () => {
  it('--scale accepts sizes and rejects nonsense with a clear message', () => {
    expect(parseSizes('10000,100000')).toEqual([10000, 100000]);
    expect(parseSizes('10k, 1m')).toEqual([10000, 1000000]);
    expect(() => parseSizes('ten')).toThrow(/--scale/);
    expect(() => parseSizes('5')).toThrow(/--scale/);
  });

  it('cycles and varies the dev questions to the requested count', () => {
    const seed = ['什么是选择性脱钩？', '美国在关键矿物领域采取了哪些措施，效果如何？', 'What is friend-shoring?'];
    const questions = variedQuestions(seed, 30);
    expect(questions).toHaveLength(30);
    expect(questions.slice(0, 3)).toEqual(seed);
    expect(new Set(questions).size).toBeGreaterThan(15);
    for (const q of questions) expect(q.length).toBeLessThanOrEqual(500);
  });
});

describe('start-up figures', () => {
  it('the report gives --help and a cold ask through npx and from the bin alone (median, p95), and checks the npx ones against 0.3 s and 1 s', () => {
    const latency = { p50Ms: 1, p95Ms: 2, p99Ms: 3, count: 10 };
    const query = {
      questions: 10, warm: latency, stages: {}, coldInProcessMs: 400,
      coldFirstAnswerMs: 1500, coldFirstAnswerP95Ms: 2200, coldRunsMs: Array(10).fill(1500),
      helpMs: 1100, helpP95Ms: 1700, helpRunsMs: Array(10).fill(1100),
      bin: { coldAsk: { medianMs: 610, p95Ms: 900 }, help: { medianMs: 170, p95Ms: 240 } },
    };
    const result: BenchResult = { machine: describeMachine(), command: 'test', startedAt: '', query, scale: [], fullIndex: [], baselines: [], ratios: [], bot: [], targets: [], skipped: {} };
    result.targets = checkTargets(result);
    const report = renderReport(result);
    expect(report).toContain('`npx lodestone --help` process, 10 runs): median 1100 ms, p95 1700 ms');
    expect(report).toContain('--help median 170 ms, p95 240 ms; cold ask median 610 ms, p95 900 ms');
    expect(result.targets.find((t) => t.target.includes('--help'))).toMatchObject({ measured: '1100 ms', met: false });
    expect(result.targets.find((t) => t.target.includes('cold first answer'))).toMatchObject({ measured: '1500 ms', met: false });
  });
});
