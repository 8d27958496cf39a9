/** A document added to corpus/ whose paragraph is the only one about a topic: `ask` about it cites it first. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LibrarianService } from '../../src/service/librarian.js';
import { makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from '../support/workspace.js';

let ws: Workspace;
let librarian: LibrarianService;

beforeAll(async () => {
  ws = makeWorkspace('new-document');
  fs.writeFileSync(
    path.join(ws.corpusDir, 'recycling-note.md'),
    '# 稀土回收笔记\n\n稀土回收是指从废旧永磁体、电子废弃物和工业废料中重新提取稀土元素的过程，日本和欧盟近年来建设了多条稀土回收示范线，回收率可达百分之九十以上。\n',
  );
  librarian = await openLibrarian(ws);
}, 180_000);

afterAll(async () => {
  await librarian?.close();
  removeWorkspace(ws);
});

it('ask about the new topic cites the new document first, as search ranks it', async () => {
  const top = (await librarian.search('稀土回收', 3))[0];
  expect(top.passage.docId).toMatch(/recycling/);
  for (const question of ['稀土回收的回收率能达到多少？', '哪些地区建设了稀土回收示范线？']) {
    const answer = await librarian.ask(question);
    expect(answer.supported, question).toBe(true);
    expect(answer.citations[0].id, question).toBe(top.passage.id);
  }
});
