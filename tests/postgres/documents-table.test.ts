/**
 * Issue 26: with DATABASE_URL the documents live in PostgreSQL. Machines are folders on this host, on one throwaway
 * database: a document added with /docs on A (the real discord.js client, against the local Discord server) outlives
 * A's corpus folder and a build from another machine's; two imports at once end in one generation holding both; a
 * builder that loses the database publishes nothing; an export re-imported into a fresh database gives the same
 * bytes and the same passage ids.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeIndexPool } from '../../src/index/pg/db.js';
import { buildFromTable } from '../../src/service/collectionBuild.js';
import { makeUser, MANAGE_GUILD, slashCommand, subcommand, withPermissions } from '../support/discord-payloads.js';
import { startDiscordServer, type FakeDiscordServer, type RecordedCall } from '../support/discord-server.js';
import { REPO_CORPUS_DIR, REPO_ROOT } from '../support/paths.js';
import { freshDatabase, runLodestone, type Machine, type Run, type TestDatabase } from './support.js';

const BIN = path.join(REPO_ROOT, 'bin/lodestone.js');
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.documents-table.never-logged-z3';
const COBALT_NOTE = '# 钴的笔记\n\n刚果民主共和国的钴矿产量占全球七成以上，精炼环节则集中在中国。\n';
const COBALT = '刚果民主共和国的钴矿产量占全球多少？';

let db: TestDatabase;
let admin: pg.Client;
let root: string;

function lodestone(machine: Machine, args: string[], url = db.url): Promise<Run> {
  return runLodestone(machine, args, { cwd: root, url });
}

function machine(name: string, extra: Record<string, string> = {}, corpus: 'copy' | 'none' = 'copy'): Machine {
  const dir = path.join(root, name);
  const corpusDir = path.join(dir, 'corpus');
  if (corpus === 'copy') fs.cpSync(REPO_CORPUS_DIR, corpusDir, { recursive: true });
  for (const [file, text] of Object.entries(extra)) fs.writeFileSync(path.join(corpusDir, file), text);
  return { corpusDir, indexDir: path.join(dir, 'index') };
}

async function generations(client = admin): Promise<string[]> {
  return (await client.query<{ generation: string }>('SELECT generation FROM lodestone_index_generation ORDER BY number')).rows.map((r) => r.generation);
}

const filesOf = (run: Run): string[] => {
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { doc: { file: string } }[]).map((s) => s.doc.file).sort();
};
const citedTexts = (run: Run): string => {
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { citations: { text: string }[] }).citations.map((c) => c.text).join('');
};

beforeAll(async () => {
  db = await freshDatabase();
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-pg-documents-'));
});

afterAll(async () => {
  await admin?.end();
  await closeIndexPool(db.url);
  await db?.drop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('with DATABASE_URL the documents live in PostgreSQL', () => {
  it('a document added with /docs on A survives A’s corpus folder and a build from the repository corpus on B', async () => {
    const a = machine('a');
    expect((await lodestone(a, ['ingest'])).code).toBe(0);
    const server: FakeDiscordServer = await startDiscordServer();
    let output = '';
    const bot: ChildProcess = spawn(process.execPath, [BIN, '--corpus', a.corpusDir, '--index', a.indexDir, 'start'], {
      cwd: root,
      env: { ...process.env, EMBEDDING_MODEL: 'corpus', LOG_LEVEL: 'info', DATABASE_URL: db.url, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: server.apiUrl, DISCORD_GUILD_ID: server.guildId },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stdout?.on('data', (d) => (output += String(d)));
    bot.stderr?.on('data', (d) => (output += String(d)));
    const send = async (payload: { id: string; token: string }) => {
      const since = server.calls.length;
      server.dispatch('INTERACTION_CREATE', payload);
      const isEdit = (c: RecordedCall) => c.method === 'PATCH' && c.path.includes(`/${payload.token}/messages/@original`);
      return JSON.stringify((await server.waitForCall(isEdit, { since, timeoutMs: 120_000 })).body);
    };
    try {
      await server.waitForSession(0, 120_000).catch((error) => {
        throw new Error(`${(error as Error).message}; the bot printed:\n${output}`);
      });
      const adder = makeUser('admin');
      const attachment = server.addAttachment('cobalt-note.md', COBALT_NOTE);
      const added = await send(withPermissions(subcommand(server, adder, 'docs', 'add', { file: { attachment } }), MANAGE_GUILD));
      expect(added).toMatch(/Added “钴的笔记” \(id `cobalt-note`, file `cobalt-note\.md`\)/);
      // written to the table, not to A's folder; the adder is a salted hash, never the Discord id
      expect(fs.existsSync(path.join(a.corpusDir, 'cobalt-note.md'))).toBe(false);
      const row = await admin.query<{ bytes: Buffer; added_by: string }>("SELECT bytes, added_by FROM lodestone_document WHERE file = 'cobalt-note.md' AND removed_at IS NULL");
      expect(row.rows[0].bytes.toString('utf8')).toBe(COBALT_NOTE);
      expect(row.rows[0].added_by).toMatch(/^[0-9a-f]{64}$/);
      expect(row.rows[0].added_by).not.toContain(adder.id);

      fs.rmSync(a.corpusDir, { recursive: true, force: true });
      const b = machine('b');
      const before = await generations();
      const built = await lodestone(b, ['ingest', '--force']);
      expect(built.code, built.stderr).toBe(0);
      expect(built.stdout).toMatch(/0 new, 0 changed, 2 unchanged/);
      expect(built.stdout).toMatch(/ingested 3 documents/);
      // a new generation was published (older ones are pruned, so the newest name says it)
      expect((await generations()).at(-1)).not.toBe(before.at(-1));

      // searchable everywhere: on B, on a worker with no folder at all, and in A's running bot (swapped by NOTIFY)
      expect(citedTexts(await lodestone(b, ['ask', '--json', COBALT]))).toContain('七成以上');
      expect(filesOf(await lodestone(machine('c', {}, 'none'), ['sources', '--json']))).toContain('cobalt-note.md');
      expect(await send(slashCommand(server, makeUser(), 'ask', { question: COBALT }))).toContain('七成以上');
    } finally {
      const exited = new Promise((resolve) => bot.once('exit', resolve));
      if (bot.exitCode === null) bot.kill('SIGTERM');
      await exited;
      await server.close();
    }
  }, 600_000);

  it('a document the folder lacks stays; --dry-run changes nothing; --prune prints each removal; docs remove takes one out', async () => {
    const b = machine('b2', { 'lithium-note.md': '# 锂的笔记\n\n智利和澳大利亚是锂的主要产地，加工则多在中国完成。\n' });
    expect((await lodestone(b, ['ingest'])).code).toBe(0);
    const c = machine('c2', {}, 'none');
    expect(filesOf(await lodestone(c, ['sources', '--json']))).toEqual(expect.arrayContaining(['cobalt-note.md', 'lithium-note.md']));

    const dry = await lodestone(machine('b3'), ['ingest', '--prune', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/would remove cobalt-note \(cobalt-note\.md\)/);
    expect(dry.stdout).toMatch(/would remove lithium-note \(lithium-note\.md\)/);
    expect(filesOf(await lodestone(c, ['sources', '--json']))).toEqual(expect.arrayContaining(['cobalt-note.md', 'lithium-note.md']));

    const removed = await lodestone(c, ['docs', 'remove', 'lithium-note']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/removed lithium-note \(lithium-note\.md\)/);
    expect(filesOf(await lodestone(c, ['sources', '--json']))).not.toContain('lithium-note.md');
    const unknown = await lodestone(c, ['docs', 'remove', 'no-such-doc']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^error: No document has the id "no-such-doc"/);
  }, 600_000);

  it('two imports started together with different new files end in one generation holding both', async () => {
    const x = machine('x', { 'tin-note.md': '# 锡的笔记\n\n缅甸佤邦的锡矿供应波动曾推高全球锡价。\n' });
    const y = machine('y', { 'gallium-note.md': '# 镓的笔记\n\n中国自2023年8月起对镓、锗相关物项实施出口管制。\n' });
    const [rx, ry] = await Promise.all([lodestone(x, ['ingest']), lodestone(y, ['ingest'])]);
    expect(rx.code, rx.stderr).toBe(0);
    expect(ry.code, ry.stderr).toBe(0);
    expect(filesOf(await lodestone(machine('c3', {}, 'none'), ['sources', '--json']))).toEqual(expect.arrayContaining(['tin-note.md', 'gallium-note.md', 'cobalt-note.md']));
  }, 600_000);

  it('a builder whose database connections are cut mid-build publishes nothing; the old generation serves; the next build succeeds', async () => {
    const before = await generations();
    const worker = machine('w', {}, 'none');
    const indexDir = path.join(root, 'builder-index');
    const { trainCorpusModel } = await import('../../src/embedding/corpusModel.js');
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = db.url;
    try {
      const failed = await buildFromTable(db.url, {
        indexDir,
        model: 'corpus',
        force: true,
        deps: {
          // the database "goes away" while the builder holds its lock: every connection but the test's own is cut
          trainCorpusModel: async (texts, outDir) => {
            await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
            return trainCorpusModel(texts, { outDir });
          },
        },
      }).catch((error: unknown) => error as Error);
      expect(failed).toBeInstanceOf(Error);
      expect((failed as Error).message).toMatch(/nothing was published|not published/);
      expect(await generations()).toEqual(before);
      expect(citedTexts(await lodestone(worker, ['ask', '--json', COBALT]))).toContain('七成以上');

      const again = await buildFromTable(db.url, { indexDir, model: 'corpus', force: true });
      expect(again.rounds).toBe(1);
      expect((await generations()).at(-1)).not.toBe(before.at(-1));
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
    expect(citedTexts(await lodestone(worker, ['ask', '--json', COBALT]))).toContain('七成以上');
  }, 600_000);

  it('docs export, then ingest of that folder into a fresh database: every document byte for byte, the same passage ids', async () => {
    const out = path.join(root, 'exported');
    const exported = await lodestone(machine('e', {}, 'none'), ['docs', 'export', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(fs.readdirSync(out)).toEqual(expect.arrayContaining(['glossary.json', 'cobalt-note.md', 'zhou2024-green-digital-decoupling.md.meta.json']));
    const again = await lodestone(machine('e', {}, 'none'), ['docs', 'export', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not empty/);

    const fresh = await freshDatabase();
    const freshAdmin = new pg.Client({ connectionString: fresh.url });
    try {
      const restored = await lodestone({ corpusDir: out, indexDir: path.join(root, 'restored-index') }, ['ingest'], fresh.url);
      expect(restored.code, restored.stderr).toBe(0);
      await freshAdmin.connect();
      const rows = async (client: pg.Client) =>
        (await client.query<{ file: string; bytes: Buffer; sidecar: string | null }>('SELECT file, bytes, sidecar::text AS sidecar FROM lodestone_document WHERE removed_at IS NULL ORDER BY file')).rows.map((r) => [r.file, r.bytes.toString('base64'), r.sidecar]);
      expect(await rows(freshAdmin)).toEqual(await rows(admin));
      const glossary = async (client: pg.Client) => (await client.query<{ sha256: string }>('SELECT sha256 FROM lodestone_document_glossary')).rows;
      expect(await glossary(freshAdmin)).toEqual(await glossary(admin));
      const ids = async (url: string) => {
        const run = await lodestone(machine(`p-${path.basename(url)}`, {}, 'none'), ['passages', '--json'], url);
        expect(run.code, run.stderr).toBe(0);
        return run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id).sort();
      };
      const original = await ids(db.url);
      expect(original.length).toBeGreaterThan(200);
      expect(await ids(fresh.url)).toEqual(original);
    } finally {
      await freshAdmin.end().catch(() => undefined);
      await closeIndexPool(fresh.url);
      await fresh.drop();
    }
  }, 600_000);
});
