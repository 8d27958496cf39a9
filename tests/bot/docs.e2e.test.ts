/**
 * /docs from Discord with the real discord.js client against the local Discord-compatible server, which serves
 * the attachments from loopback; the corpus is a private copy. A good file becomes answerable by /ask; an
 * oversized, binary or `../`-named one, or one a member without Manage Server sends, changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LibrarianService } from '../../src/service/librarian.js';
import { autocomplete, makeUser, MANAGE_GUILD, slashCommand, subcommand, withPermissions, type SubOptionValue } from '../support/discord-payloads.js';
import type { FakeDiscordServer } from '../support/discord-server.js';
import type { Workspace } from '../support/workspace.js';
import { discordSchema, SCHEMA_SKIP_REASON } from './discord-schema.js';
import { isCallback, isEdit, withWorkspaceBot } from './e2e-helpers.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.docs-e2e.never-logged';
const TUNGSTEN_NOTE =
  '# 钨矿供应笔记\n\n钨是一种熔点极高的战略金属，广泛用于硬质合金、切削工具和军工产品。江西大余被称为“世界钨都”，中国的钨产量约占全球总产量的80%。\n';
const QUESTION = '中国的钨产量约占全球多少？';

let ws: Workspace;
let server: FakeDiscordServer;
let librarian: LibrarianService;
const admin = makeUser('admin');

/** corpus/ file by file, and the index's current generation. */
function snapshot() {
  const files = Object.fromEntries(fs.readdirSync(ws.corpusDir).sort().map((f) => [f, fs.readFileSync(path.join(ws.corpusDir, f)).toString('base64')]));
  return { files, generation: fs.readFileSync(path.join(ws.indexDir, 'CURRENT'), 'utf8') };
}

/** Sends an interaction; resolves with its callback, the edit of a deferred reply, and the text the user reads. */
async function send(payload: any) {
  const since = server.calls.length;
  server.dispatch('INTERACTION_CREATE', payload);
  const callback = await server.waitForCall(isCallback(payload.id), { since });
  const edit = callback.body.type === 5 ? await server.waitForCall(isEdit(payload.token), { since, timeoutMs: 120_000 }) : undefined;
  const body = edit?.body ?? callback.body.data ?? {};
  const text = [body.content ?? '', ...(body.embeds ?? []).map((e: any) => [e.title, e.description, ...(e.fields ?? []).map((f: any) => `${f.name} ${f.value}`)].join('\n'))].join('\n');
  return { callback, edit, text, ephemeral: ((callback.body.data?.flags ?? 0) & 64) === 64 };
}

const docs = (sub: string, options: Record<string, SubOptionValue>, user = admin) => {
  const payload = subcommand(server, user, 'docs', sub, options);
  return user === admin ? withPermissions(payload, MANAGE_GUILD) : payload;
};
const attach = (filename: string, body: Buffer | string, contentType?: string) => ({ attachment: server.addAttachment(filename, body, contentType) });

const started = withWorkspaceBot('docs-e2e', TOKEN);
beforeAll(() => void ({ ws, server, librarian } = started));

describe('/docs', () => {
  it('is registered for Manage Server only, guild-only, with add (an attachment), list and remove (autocomplete)', async () => {
    const put = await server.waitForCall((c) => c.method === 'PUT' && c.path.endsWith('/commands'));
    const command = put.body.find((c: any) => c.name === 'docs');
    expect(String(command.default_member_permissions)).toBe(String(MANAGE_GUILD));
    expect(command.contexts).toEqual([0]);
    expect(command.options.map((o: any) => o.name)).toEqual(['add', 'list', 'remove']);
    const add = command.options[0];
    expect(add.options.map((o: any) => [o.name, o.type, o.required ?? false])).toEqual([
      ['file', 11, true],
      ['title', 3, false],
      ['replace', 5, false],
    ]);
    expect(command.options[2].options[0]).toMatchObject({ name: 'id', autocomplete: true, required: true });
  });

  it('a member without Manage Server is refused and nothing changes', async () => {
    const before = snapshot();
    const reply = await send(docs('add', { file: attach('tungsten-notes.md', TUNGSTEN_NOTE) }, makeUser('member')));
    expect(reply.callback.body.type).toBe(4);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(/Manage Server/);
    expect(snapshot()).toEqual(before);
  });

  it('an admin adds a .md file; the reply comes when it is searchable, and /ask about it cites it', async () => {
    const before = await send(slashCommand(server, makeUser(), 'ask', { question: QUESTION }));
    expect(before.text).not.toMatch(/钨矿供应笔记/);

    const added = await send(docs('add', { file: attach('tungsten notes.md', TUNGSTEN_NOTE), title: '钨矿供应笔记' }));
    expect(added.callback.body).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(added.text).toMatch(/Added “钨矿供应笔记” \(id `tungsten-notes`, file `tungsten-notes\.md`\): \d+ passages, searchable now/);
    expect(fs.readFileSync(path.join(ws.corpusDir, 'tungsten-notes.md'), 'utf8')).toBe(TUNGSTEN_NOTE);

    const after = await send(slashCommand(server, makeUser(), 'ask', { question: QUESTION }));
    expect(after.text).toMatch(/80%/);
    expect(after.edit!.body.embeds.flatMap((e: any) => e.fields ?? []).map((f: any) => f.name).join('\n')).toMatch(/^\[1\] tungsten-notes · /);
  }, 180_000);

  const refusals: [string, () => SubOptionValue, RegExp][] = [
    ['oversized', () => attach('big.md', Buffer.alloc(2 * 1024 * 1024 + 1, 'a')), /big\.md is 2\.0 MB; the limit is 2\.0 MB/],
    ['binary', () => attach('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), 'image/png'), /binary/],
    ['named ../', () => attach('../../escape.md', TUNGSTEN_NOTE), /is a path, not a file name/],
    ['another extension', () => attach('slides.pdf', TUNGSTEN_NOTE, 'application/pdf'), /Only \.md and \.txt/],
    ['already there (no replace)', () => attach('tungsten-notes.md', TUNGSTEN_NOTE + '\n补充。\n'), /already saved as tungsten-notes\.md.*replace:true/],
  ];
  it.each(refusals)('a file that is %s gets a clear ephemeral reason and changes nothing', async (_what, file, reason) => {
    const before = snapshot();
    const reply = await send(docs('add', { file: file() }));
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(reason);
    expect(reply.text).toMatch(/Nothing was changed\.$/);
    expect(snapshot()).toEqual(before);
    expect(fs.existsSync(path.join(ws.root, 'escape.md'))).toBe(false);
  });

  it('an attachment that is not on Discord’s file server is not downloaded', async () => {
    const before = snapshot();
    const since = server.calls.length;
    const attachment = { id: '1', filename: 'notes.md', size: 10, url: 'http://127.0.0.2:9/notes.md', proxy_url: 'http://127.0.0.2:9/notes.md' };
    const reply = await send(docs('add', { file: { attachment } }));
    expect(reply.text).toMatch(/not on Discord’s file server/);
    expect(server.callsSince(since).filter((c) => c.path.includes('notes.md'))).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  it('/docs list shows it; remove offers it in autocomplete and takes it out of the index', async () => {
    const list = await send(docs('list', {}));
    expect(list.text).toMatch(/`tungsten-notes` — 钨矿供应笔记 · \d+ passages/);

    const suggestions = await send(withPermissions(autocomplete(server, admin, 'docs', 'id', '钨'), MANAGE_GUILD));
    expect(suggestions.callback.body.data.choices).toEqual([{ name: 'tungsten-notes — 钨矿供应笔记', value: 'tungsten-notes' }]);

    const removed = await send(docs('remove', { id: 'tungsten-notes' }));
    expect(removed.text).toMatch(/Removed “钨矿供应笔记” \(id `tungsten-notes`/);
    expect(fs.existsSync(path.join(ws.corpusDir, 'tungsten-notes.md'))).toBe(false);
    expect(librarian.sources().map((s) => s.doc.id)).not.toContain('tungsten-notes');
    const unknown = await send(docs('remove', { id: 'tungsten-notes' }));
    expect(unknown.text).toMatch(/No document has the id "tungsten-notes"/);
  }, 180_000);

  it.skipIf(!discordSchema())(`every REST body sent validates against Discord's OpenAPI schema${discordSchema() ? '' : ` (skipped: ${SCHEMA_SKIP_REASON})`}`, () => {
    const sent = server.calls.filter((c) => c.method !== 'GET');
    expect(sent.length).toBeGreaterThan(10);
    const problems = sent.flatMap((c) => discordSchema()!.violations(c));
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
