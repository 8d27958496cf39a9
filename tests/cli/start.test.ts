import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordServer, type FakeDiscordServer, type RecordedCall } from '../support/discord-server.js';
import { makeUser, slashCommand } from '../support/discord-payloads.js';
import { REPO_CORPUS_DIR, REPO_ROOT } from '../support/paths.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.start-test.never-logged-abc';
let work: string;
let server: FakeDiscordServer;
let child: ChildProcess;
let output = '';

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'lodestone-start-'));
  cpSync(REPO_CORPUS_DIR, path.join(work, 'corpus'), { recursive: true });
  server = await startDiscordServer();
  // `npm start` runs exactly this; with no index yet it ingests first, then connects to "Discord"
  child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/lodestone.js'), '--corpus', path.join(work, 'corpus'), '--index', path.join(work, 'index'), 'start'], {
    cwd: work,
    env: {
      ...process.env,
      EMBEDDING_MODEL: 'corpus',
      LOG_LEVEL: 'info',
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: server.apiUrl,
      DISCORD_GUILD_ID: server.guildId,
      FEEDBACK_DB: path.join(work, 'data', 'feedback.sqlite'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  await server.waitForSession(0, 120_000).catch((error) => {
    throw new Error(`${(error as Error).message}; the bot printed:\n${output}`);
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('npm start with DISCORD_TOKEN set', () => {
  it('builds the index, connects, registers the commands in the guild and answers /ask', async () => {
    await server.waitForCall((c) => c.method === 'PUT' && c.path === `/applications/${server.applicationId}/guilds/${server.guildId}/commands`, { timeoutMs: 30_000 });
    const payload = slashCommand(server, makeUser(), 'ask', { question: '美国给西半球电力部门定了什么可再生能源目标？' });
    const since = server.calls.length;
    server.dispatch('INTERACTION_CREATE', payload);
    const isEdit = (c: RecordedCall) => c.method === 'PATCH' && c.path.includes(`/${payload.token}/messages/@original`);
    const edit = await server.waitForCall(isEdit, { since, timeoutMs: 30_000 });
    expect(JSON.stringify(edit.body)).toContain('70%');
    expect(output).toMatch(/ingested 2 documents/);
    expect(output).not.toContain(TOKEN);
  });

  it('SIGTERM closes the client and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
