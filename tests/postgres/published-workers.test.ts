/**
 * Issue 25: with DATABASE_URL only a build (`ingest`, `/docs`) publishes. Machines are folders on this host,
 * each with its own corpus and index folder, all on one throwaway database of the machine's PostgreSQL:
 * A has the documents (the seed two and one more) and ingests; B is a clone of the repository (the seed two);
 * C has an empty corpus folder, or none. Every read command, and the bot, on B and C answers from A's published
 * generation and publishes nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeIndexPool } from '../../src/index/pg/db.js';
import { createLibrarian } from '../../src/service/librarian.js';
import { makeUser, slashCommand } from '../support/discord-payloads.js';
import { startDiscordServer, type FakeDiscordServer, type RecordedCall } from '../support/discord-server.js';
import { DEV_SET, REPO_CORPUS_DIR, REPO_ROOT } from '../support/paths.js';
import { freshDatabase, runLodestone, type Machine, type Run, type TestDatabase } from './support.js';

const BIN = path.join(REPO_ROOT, 'bin/lodestone.js');
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.published-workers.never-logged-q7';
const EXTRA = 'cobalt-note.md';
const COBALT = '刚果民主共和国的钴矿产量占全球多少？';

let db: TestDatabase;
let admin: pg.Client;
let root: string;
let a: Machine;
let b: Machine;

/** `lodestone <args>` on a machine, with this test's DATABASE_URL. */
function lodestone(machine: Machine, args: string[], input?: string, env: Record<string, string> = {}): Promise<Run> {
  return runLodestone(machine, args, { cwd: root, url: db.url, input, env });
}

/** Every generation ever committed to the database (a publish adds one), oldest first. */
async function generations(): Promise<string[]> {
  const exists = await admin.query("SELECT to_regclass('lodestone_index_generation') AS t");
  if (!exists.rows[0].t) return [];
  return (await admin.query<{ generation: string }>('SELECT generation FROM lodestone_index_generation ORDER BY number')).rows.map((r) => r.generation);
}

function machine(name: string, corpus: 'copy' | 'extra' | 'empty' | 'none' | string): Machine {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  let corpusDir = path.join(dir, 'corpus');
  if (corpus === 'copy' || corpus === 'extra') fs.cpSync(REPO_CORPUS_DIR, corpusDir, { recursive: true });
  if (corpus === 'extra') fs.writeFileSync(path.join(corpusDir, EXTRA), '# 钴的笔记\n\n刚果民主共和国的钴矿产量占全球七成以上，精炼环节则集中在中国。\n');
  if (corpus === 'empty') fs.mkdirSync(corpusDir);
  if (corpus !== 'copy' && corpus !== 'extra' && corpus !== 'empty' && corpus !== 'none') corpusDir = corpus;
  return { corpusDir, indexDir: path.join(dir, 'index') };
}

const devQuestions = () =>
  fs
    .readFileSync(DEV_SET, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { id: string; kind?: string; question: string });

/** Per question id, the passage ids an `ask --batch` (or `term --batch`) run cited. */
function citationsOf(run: Run, pick: (out: Record<string, unknown>) => string[]): Record<string, string[]> {
  expect(run.code, run.stderr).toBe(0);
  return Object.fromEntries(
    run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .map((out) => [String(out.id), pick(out)]),
  );
}
const askCitations = (out: Record<string, unknown>) => ((out.citations as { id: string }[] | undefined) ?? []).map((c) => c.id);
const termCitations = (out: Record<string, unknown>) => ((out.entries as { citations?: { id: string }[] }[] | undefined) ?? []).flatMap((e) => (e.citations ?? []).map((c) => c.id));

beforeAll(async () => {
  db = await freshDatabase();
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-pg-workers-'));
  a = machine('a', 'extra');
  // a clone of the repository: its corpus folder is the repository's (read only here)
  b = machine('b', REPO_CORPUS_DIR);
});

afterAll(async () => {
  await admin?.end();
  await closeIndexPool(db.url);
  await db?.drop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('with DATABASE_URL, only a build publishes', () => {
  it('a worker with nothing published says in one line where to run ingest, exits 2 and builds nothing', async () => {
    for (const worker of [b, machine('c-empty-first', 'empty')]) {
      const run = await lodestone(worker, ['sources']);
      expect(run.code, run.stderr).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(/^error: no index is published in .*`lodestone ingest`.*machine that has the documents$/);
      expect(run.stderr).not.toMatch(/ingested|no usable document/);
    }
    expect(await generations()).toEqual([]);
  }, 180_000);

  it('A ingests its documents (the seed two and one more) and publishes them', async () => {
    const run = await lodestone(a, ['ingest']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ingested 3 documents/);
    expect(await generations()).toEqual(['gen-000001']);
  }, 300_000);

  it('B, a clone with the seed documents and a fresh index folder, lists and answers from A’s document and publishes nothing', async () => {
    const sources = await lodestone(b, ['sources', '--json']);
    expect(sources.code, sources.stderr).toBe(0);
    expect((JSON.parse(sources.stdout) as { doc: { file: string } }[]).map((s) => s.doc.file)).toContain(EXTRA);
    // said once, naming the document B does not have
    expect(sources.stderr.match(/is not what the published index was built from/g)).toHaveLength(1);
    expect(sources.stderr).toMatch(new RegExp(`not here: ${EXTRA.replace('.', '\\.')}`));

    const ask = await lodestone(b, ['ask', '--json', COBALT]);
    expect(ask.code, ask.stderr).toBe(0);
    const answer = JSON.parse(ask.stdout) as { citations: { docId: string; text: string }[] };
    expect(answer.citations.map((c) => c.text).join('')).toContain('七成以上');
    expect(await generations()).toEqual(['gen-000001']);
    // B's index folder holds only its copy of the published generation
    expect(fs.readdirSync(path.join(b.indexDir, 'postgres'))).toEqual([expect.stringMatching(/^gen-000001-[0-9a-f]+$/)]);
  }, 180_000);

  it('B starts the bot: it answers /ask from A’s document and publishes nothing', async () => {
    const server: FakeDiscordServer = await startDiscordServer();
    let output = '';
    const child: ChildProcess = spawn(process.execPath, [BIN, '--corpus', b.corpusDir, '--index', b.indexDir, 'start'], {
      cwd: root,
      env: { ...process.env, EMBEDDING_MODEL: 'corpus', LOG_LEVEL: 'info', DATABASE_URL: db.url, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: server.apiUrl, DISCORD_GUILD_ID: server.guildId },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (output += String(d)));
    child.stderr?.on('data', (d) => (output += String(d)));
    try {
      await server.waitForSession(0, 120_000).catch((error) => {
        throw new Error(`${(error as Error).message}; the bot printed:\n${output}`);
      });
      const payload = slashCommand(server, makeUser(), 'ask', { question: COBALT });
      const since = server.calls.length;
      server.dispatch('INTERACTION_CREATE', payload);
      const isEdit = (c: RecordedCall) => c.method === 'PATCH' && c.path.includes(`/${payload.token}/messages/@original`);
      const edit = await server.waitForCall(isEdit, { since, timeoutMs: 30_000 });
      expect(JSON.stringify(edit.body)).toContain('七成以上');
      expect(output.match(/is not what the published index was built from/g)).toHaveLength(1);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await server.close();
    }
    expect(await generations()).toEqual(['gen-000001']);
  }, 300_000);

  it('C with an empty corpus folder and with none cites what A cites on every eval/dev.jsonl question', async () => {
    const questions = devQuestions();
    const asks = questions.map((q) => JSON.stringify({ id: q.id, question: q.question })).join('\n');
    const terms = questions.filter((q) => q.kind === 'term').map((q) => JSON.stringify({ id: q.id, question: q.question })).join('\n');
    const onA = citationsOf(await lodestone(a, ['ask', '--json', '--batch'], asks), askCitations);
    const termsOnA = citationsOf(await lodestone(a, ['term', '--json', '--batch'], terms), termCitations);
    expect(Object.keys(onA)).toHaveLength(questions.length);
    // most questions are answered with citations: equal lists are not equal because both are empty
    expect(Object.values(onA).filter((ids) => ids.length > 0).length).toBeGreaterThan(questions.length / 2);
    expect(Object.values(termsOnA).some((ids) => ids.length > 0)).toBe(true);
    for (const c of [machine('c-empty', 'empty'), machine('c-none', 'none')]) {
      const ask = await lodestone(c, ['ask', '--json', '--batch'], asks);
      expect(citationsOf(ask, askCitations), c.corpusDir).toEqual(onA);
      expect(citationsOf(await lodestone(c, ['term', '--json', '--batch'], terms), termCitations), c.corpusDir).toEqual(termsOnA);
      // an empty folder is said to differ (every document is missing); no folder at all is a worker's normal state
      if (fs.existsSync(c.corpusDir)) expect(ask.stderr).toMatch(/not here: .*cobalt-note\.md/);
      else expect(ask.stderr).not.toMatch(/not what the published index/);
    }
    expect(await generations()).toEqual(['gen-000001']);
  }, 600_000);

  it('/docs add on B (another corpus folder) publishes the new document beside A’s, and writes nothing into B’s folder', async () => {
    const copyOfB = machine('b-shelf', 'copy');
    const before = fs.readdirSync(copyOfB.corpusDir).sort();
    const upload = { filename: 'lithium-note.md', bytes: Buffer.from('# 锂的笔记\n\n智利和澳大利亚是锂的主要产地，加工则多在中国完成。\n') };
    // DATABASE_URL for the whole change: the shelf behind /docs opens the documents table from the environment, as in the bot
    await withDatabase(async () => {
      const onB = await createLibrarian({ ...copyOfB, model: 'corpus', composer: null });
      try {
        const added = await onB.documents.add(upload);
        expect(added.file).toBe('lithium-note.md');
        expect(onB.sources().map((s) => s.doc.file)).toEqual(expect.arrayContaining([EXTRA, 'lithium-note.md']));
      } finally {
        await onB.close();
      }
    });
    expect(fs.readdirSync(copyOfB.corpusDir).sort()).toEqual(before);
    expect(await generations()).toEqual(['gen-000001', 'gen-000002']);
    const sources = await lodestone(b, ['sources', '--json']);
    expect((JSON.parse(sources.stdout) as { doc: { file: string } }[]).map((s) => s.doc.file)).toEqual(expect.arrayContaining([EXTRA, 'lithium-note.md']));
  }, 300_000);

  it('a corrupt local copy on a worker: the published generation is fetched again, nothing is published', async () => {
    const [cached] = fs.readdirSync(path.join(b.indexDir, 'postgres')).filter((n) => n.startsWith('gen-000002-'));
    const passages = path.join(b.indexDir, 'postgres', cached, 'passages.jsonl');
    const intact = fs.readFileSync(passages);
    fs.writeFileSync(passages, intact.subarray(0, intact.length >> 1));
    fs.writeFileSync(path.join(b.indexDir, 'postgres', cached, 'manifest.json'), '{ not json');
    const ask = await lodestone(b, ['ask', '--json', COBALT]);
    expect(ask.code, ask.stderr).toBe(0);
    expect((JSON.parse(ask.stdout) as { citations: { text: string }[] }).citations.map((c) => c.text).join('')).toContain('七成以上');
    expect(fs.readFileSync(passages).equals(intact)).toBe(true);
    expect(await generations()).toEqual(['gen-000001', 'gen-000002']);
  }, 180_000);

  it('a published generation that cannot be loaded at all is one line and exit 2, never a rebuild from the worker’s folder', async () => {
    // the database's own copy damaged: the worker's re-fetch fails too
    const file = await admin.query<{ bytes: Buffer }>("SELECT bytes FROM lodestone_index_file WHERE generation = 'gen-000002' AND path = 'passages.jsonl' AND chunk = 0");
    await admin.query("UPDATE lodestone_index_file SET bytes = $1 WHERE generation = 'gen-000002' AND path = 'passages.jsonl' AND chunk = 0", [Buffer.from('damaged')]);
    try {
      const run = await lodestone(machine('c-damaged', 'copy'), ['sources']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^error: the published index gen-000002 .* is damaged .*passages\.jsonl.*`lodestone ingest --force` on the machine that has the documents$/);
      expect(run.stderr).not.toMatch(/rebuilding|ingested/);
      expect(await generations()).toEqual(['gen-000001', 'gen-000002']);
    } finally {
      await admin.query("UPDATE lodestone_index_file SET bytes = $1 WHERE generation = 'gen-000002' AND path = 'passages.jsonl' AND chunk = 0", [file.rows[0].bytes]);
    }
  }, 180_000);
});

/** Runs `work` with this test's DATABASE_URL in the environment (the store a librarian opens follows it). */
async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = db.url;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
  }
}
