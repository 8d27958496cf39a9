/**
 * Documents added and removed while the service runs (src/service/documents.ts), on a private copy of the
 * corpus: a good file becomes answerable without a restart; a bad one is refused with its reason and leaves
 * corpus/ and the index exactly as they were.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import { DOCUMENT_MAX_BYTES, safeDocumentName } from '../../src/service/documents.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import { makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from '../support/workspace.js';

const TUNGSTEN_NOTE =
  '# 钨矿供应笔记\n\n钨是一种熔点极高的战略金属，广泛用于硬质合金、切削工具和军工产品。江西大余被称为“世界钨都”，中国的钨产量约占全球总产量的80%。\n';
const QUESTION = '中国的钨产量约占全球多少？';

let ws: Workspace;
let librarian: LibrarianService;

/** Every file of corpus/ with its bytes, and the index's current generation: what "nothing changed" means. */
function snapshot() {
  const files = Object.fromEntries(
    fs
      .readdirSync(ws.corpusDir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(ws.corpusDir, f)).toString('base64')]),
  );
  return { files, generation: fs.readFileSync(path.join(ws.indexDir, 'CURRENT'), 'utf8'), passages: librarian.describe().passages };
}

beforeAll(async () => {
  ws = makeWorkspace('documents');
  librarian = await openLibrarian(ws);
}, 180_000);

afterAll(async () => {
  await librarian?.close();
  removeWorkspace(ws);
});

describe('file names', () => {
  it.each([
    ['notes.md', 'notes.md'],
    ['Tungsten Notes (2024).TXT', 'Tungsten-Notes-2024.txt'],
    ['钨矿 笔记.md', '钨矿-笔记.md'],
  ])('%s is saved as %s', (name, saved) => {
    expect(safeDocumentName(name)).toBe(saved);
  });

  it.each(['../evil.md', '..\\evil.md', 'a/b.md', '/etc/passwd.md', 'notes.pdf', 'notes', '.hidden.md', 'README.md', '---.md'])('%s is refused', (name) => {
    expect(() => safeDocumentName(name)).toThrow(UserInputError);
  });
});

describe('adding and removing documents', () => {
  it('a good file is searchable when add resolves: a question only it answers is answered from it', async () => {
    const before = await librarian.ask(QUESTION);
    expect(before.supported).toBe(false);

    const added = await librarian.documents.add({ filename: 'tungsten notes.md', bytes: Buffer.from(TUNGSTEN_NOTE), title: '钨矿供应笔记（测试）' });
    expect(added).toMatchObject({ file: 'tungsten-notes.md', id: 'tungsten-notes', title: '钨矿供应笔记（测试）', replaced: false });
    expect(added.passages).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(ws.corpusDir, 'tungsten-notes.md'), 'utf8')).toBe(TUNGSTEN_NOTE);

    const after = await librarian.ask(QUESTION);
    expect(after.supported).toBe(true);
    expect(after.citations[0].docId).toBe('tungsten-notes');
    expect(librarian.documents.list().map((d) => d.id)).toContain('tungsten-notes');
    expect(librarian.documents.choices('钨').map((c) => c.value)).toEqual(['tungsten-notes']);
  }, 120_000);

  it('the same name again is refused without replace, and replaces with it', async () => {
    const before = snapshot();
    await expect(librarian.documents.add({ filename: 'tungsten-notes.md', bytes: Buffer.from(TUNGSTEN_NOTE + '\n钨的熔点为3422摄氏度。\n') })).rejects.toThrow(/already saved as tungsten-notes\.md.*replace:true/);
    expect(snapshot()).toEqual(before);

    const replaced = await librarian.documents.add({ filename: 'tungsten-notes.md', bytes: Buffer.from(TUNGSTEN_NOTE + '\n钨的熔点为3422摄氏度，是熔点最高的金属。\n'), replace: true });
    expect(replaced.replaced).toBe(true);
    // the title given at first stays in the sidecar
    expect(replaced.title).toBe('钨矿供应笔记（测试）');
    const answer = await librarian.ask('钨的熔点是多少摄氏度？');
    expect(answer.supported).toBe(true);
    expect(answer.citations[0].docId).toBe('tungsten-notes');
  }, 120_000);

  const bad: [string, string, Uint8Array, RegExp][] = [
    ['oversized', 'big.md', Buffer.alloc(DOCUMENT_MAX_BYTES + 1, 'a'), /limit is 2\.0 MB/],
    ['binary', 'blob.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), /binary/],
    ['not UTF-8', 'latin1.txt', Buffer.from('Caf\xe9 cr\xe8me', 'latin1'), /UTF-8/],
    ['UTF-16', 'wide.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('稀土', 'utf16le')]), /UTF-16/],
    ['empty', 'empty.md', Buffer.alloc(0), /empty/],
    ['only whitespace', 'blank.md', Buffer.from(' \n\n\t\n'), /empty/],
    ['a path', '../escape.md', Buffer.from(TUNGSTEN_NOTE), /path, not a file name/],
    ['another extension', 'slides.pptx', Buffer.from(TUNGSTEN_NOTE), /Only \.md and \.txt/],
  ];
  it.each(bad)('a file that is %s is refused and changes nothing', async (_what, filename, bytes, reason) => {
    const before = snapshot();
    const error = await librarian.documents.add({ filename, bytes }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(snapshot()).toEqual(before);
    expect(fs.existsSync(path.join(ws.root, 'escape.md'))).toBe(false);
  });

  it('remove takes the document out of the index; an unknown id is refused', async () => {
    await expect(librarian.documents.remove('no-such-doc')).rejects.toThrow(/No document has the id "no-such-doc"/);
    const removed = await librarian.documents.remove('tungsten-notes');
    expect(removed.id).toBe('tungsten-notes');
    expect(fs.existsSync(path.join(ws.corpusDir, 'tungsten-notes.md'))).toBe(false);
    expect(fs.existsSync(path.join(ws.corpusDir, 'tungsten-notes.md.meta.json'))).toBe(false);
    expect(librarian.sources().map((s) => s.doc.id)).not.toContain('tungsten-notes');
    expect((await librarian.ask(QUESTION)).supported).toBe(false);
  }, 120_000);

  it('the last document cannot be removed', async () => {
    const [first, ...rest] = librarian.documents.list();
    for (const doc of rest) await librarian.documents.remove(doc.id);
    await expect(librarian.documents.remove(first.id)).rejects.toThrow(/only document/);
    expect(librarian.documents.list().map((d) => d.id)).toEqual([first.id]);
  }, 120_000);
});
