import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../..');
const bin = path.join(repo, 'bin/lodestone.js');
let work: string;
let args: string[];

async function lodestone(extra: string[], input?: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(process.execPath, [bin, ...args, ...extra], { cwd: repo, env: { ...process.env, EMBEDDING_MODEL: 'corpus', LOG_LEVEL: 'silent', ...env }, maxBuffer: 32 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  } else child.child.stdin?.end();
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'lodestone-cli-'));
  cpSync(path.join(repo, 'corpus'), path.join(work, 'corpus'), { recursive: true });
  args = ['--corpus', path.join(work, 'corpus'), '--index', path.join(work, 'index')];
  const ingest = await lodestone(['ingest']);
  expect(ingest.code, ingest.stderr).toBe(0);
  expect(ingest.stdout).toMatch(/ingested 2 documents, \d+ passages/);
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the command-line contracts of DESIGN.md', () => {
  it('ask --json prints one object with cited passages that hold the quoted text', async () => {
    const { code, stdout } = await lodestone(['ask', '--json', '美国能源部2020年发布的关键矿物供应链战略提出了哪三大支柱？']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).slice(0, 5)).toEqual(['question', 'answer', 'supported', 'citations', 'timings']);
    expect(out.supported).toBe(true);
    expect(out.citations.length).toBeGreaterThan(0);
    for (const c of out.citations) {
      expect(Object.keys(c)).toEqual(['n', 'id', 'docId', 'title', 'label', 'text', 'score']);
      expect(out.answer).toContain(`[${c.n}]`);
    }
    expect(out.citations.map((c: { text: string }) => c.text).join('')).toContain('三大支柱');
    expect(Object.keys(out.timings)).toEqual(['embedMs', 'searchMs', 'composeMs', 'totalMs']);
  });

  it('ask --batch answers every line in one process and echoes ids; a bad line becomes an error object', async () => {
    const input = [
      JSON.stringify({ id: 'a', question: '去风险' }),
      'not json',
      JSON.stringify({ id: 'c', question: 'What does the paper say about gallium?' }),
    ].join('\n');
    const { code, stdout } = await lodestone(['ask', '--json', '--batch'], input);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].id).toBe('a');
    expect(lines[0].answer).toBeTruthy();
    expect(lines[1].error).toMatch(/bad input line/);
    expect(lines[2].id).toBe('c');
  });

  it('search --json -k 3 returns three passages; a traditional query finds the simplified paper', async () => {
    const { code, stdout } = await lodestone(['search', '--json', '-k', '3', '關鍵礦物供應鏈戰略 三大支柱']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.results).toHaveLength(3);
    expect(out.results.some((r: { docId: string }) => r.docId === 'zhou2024')).toBe(true);
  });

  it('term --json resolves English and traditional forms; an unknown term says so with suggestions', async () => {
    const en = JSON.parse((await lodestone(['term', '--json', 'de-risking'])).stdout);
    const hant = JSON.parse((await lodestone(['term', '--json', '去風險'])).stdout);
    expect(en.entries[0].term).toBe(hant.entries[0].term);
    const unknown = JSON.parse((await lodestone(['term', '--json', 'quantum blockchain'])).stdout);
    expect(unknown.entries).toEqual([]);
    expect(unknown.message).toBe('not in the glossary');
    expect(unknown.suggestions.length).toBeGreaterThan(0);
  });

  it('cite --json by words returns the passage with a ready-to-paste citation', async () => {
    const { code, stdout } = await lodestone(['cite', '--json', '三大支柱路径是实现多元']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['id', 'docId', 'label', 'text', 'citation']);
    expect(out.citation).toContain('周亚敏');
    const byId = JSON.parse((await lodestone(['cite', '--json', out.id])).stdout);
    expect(byId.id).toBe(out.id);
  });

  it('check: a claim with the wrong year prints both years and exits 1; a supported claim exits 0 (--json)', async () => {
    const wrong = await lodestone(['check', '2019年2月，美国总统拜登签署了第14017号行政令《美国供应链》。']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('DIFFERENT FIGURES');
    expect(wrong.stdout).toContain('the claim says 2019; this passage says 2021');
    const right = await lodestone(['check', '--json', '2021年2月，美国总统拜登签署了第14017号行政令。']);
    expect(right.code, right.stderr).toBe(0);
    expect(JSON.parse(right.stdout)).toMatchObject({ verdict: 'supported', findings: [{ verdict: 'supported', conflicting: [] }] });
  });

  it('bad input: an empty question and an emoji-only question exit 2 with one line and no stack trace', async () => {
    for (const q of ['   ', '🙂🙂']) {
      const { code, stdout, stderr } = await lodestone(['ask', '--json', q]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });

  it.each([
    [['aks', '稀土'], /^error: unknown command 'aks' \(did you mean ask\?\)/],
    [['search', '--frobnicate', '稀土'], /^error: unknown option '--frobnicate'/],
    [['search', '-k', 'abc', '稀土'], /^error: option '-k <n>' argument 'abc' is invalid\. expected a whole number from 1 to 50/],
    [['eval', '--set', 'missing.jsonl'], /^error: cannot read the question set missing\.jsonl: no such file$/],
    [['passages', '--doc', 'nosuch'], /^error: no document “nosuch” in the index \(documents: jxw2025, zhou2024\)/],
  ])('usage error %j: one line naming the value, exit 2, no stack trace even with LOG_LEVEL=debug', async (argv, message) => {
    const { code, stdout, stderr } = await lodestone(argv as string[], undefined, { LOG_LEVEL: 'debug' });
    expect(code, stderr).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message as RegExp);
    expect(stderr).not.toMatch(/ENOENT|\bat .*\.(ts|js):\d+/);
  });

  it('--debug shows the stack trace; --help exits 0; ask --help points at nothing outside the repo', async () => {
    const debug = await lodestone(['--debug', 'passages', '--doc', 'nosuch']);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/UserInputError: no document “nosuch”[\s\S]*\bat /);
    const help = await lodestone(['ask', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--json/);
    expect(help.stdout).not.toMatch(/DESIGN\.md/);
  });

  it.each([
    [{ LLM_PROVIDER: 'openai' }, /^error: LLM_PROVIDER=openai needs LLM_API_KEY \(or OPENAI_API_KEY\) for api\.openai\.com, or LLM_BASE_URL and LLM_MODEL/],
    [{ LLM_PROVIDER: 'openai', LLM_BASE_URL: 'http://127.0.0.1:9/v1' }, /^error: LLM_BASE_URL is http:\/\/127\.0\.0\.1:9\/v1 but LLM_MODEL is not set/],
    [{ LLM_PROVIDER: 'ollama', LLM_BASE_URL: 'localhost:11434' }, /^error: LLM_BASE_URL "localhost:11434" is not an http\(s\) URL/],
  ])('an LLM setting that cannot work (%j) is one line naming the variables, exit 2, before any answer', async (env, message) => {
    const { code, stdout, stderr } = await lodestone(['ask', '稀土'], undefined, { OPENAI_API_KEY: '', LLM_API_KEY: '', LLM_MODEL: '', ...env });
    expect(code, stderr).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('search prints no fused-rank scores a reader would misread as relevance', async () => {
    const { code, stdout } = await lodestone(['search', '-k', '3', '稀土']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. \[/);
    expect(stdout).not.toMatch(/\(0\.0\d+\)/);
    // instead: which searches found each passage
    expect(stdout).toMatch(/ {2}\((words \+ meaning|words|meaning)\)\n/);
  });

  it('a corpus with no usable document exits 2 with a clear message', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'lodestone-empty-'));
    writeFileSync(path.join(empty, 'blank.txt'), '');
    const { code, stderr } = await lodestone(['--corpus', empty, '--index', path.join(empty, 'index'), 'ingest']);
    rmSync(empty, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(stderr).toMatch(/no usable document/i);
  });
});
