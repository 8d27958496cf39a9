import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIndex } from '../../src/index/store.js';
import { indexIsStale, ingest } from '../../src/service/ingest.js';
import { REPO_CORPUS } from '../retrieval/corpus-index.js';

const PAPER = 'zhou2024-green-digital-decoupling.md';

describe('incremental ingest of the real corpus', () => {
  it('editing one paragraph re-embeds only that document (that paragraph); every other passage id and vector stays', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-incr-'));
    const corpusDir = path.join(root, 'corpus');
    const indexDir = path.join(root, 'index');
    fs.cpSync(REPO_CORPUS, corpusDir, { recursive: true });
    const first = await ingest({ corpusDir, indexDir, model: 'corpus' });
    expect(first.embeddedPassages).toBe(first.passages);
    const before = loadIndex(indexDir);

    const file = path.join(corpusDir, PAPER);
    const original = fs.readFileSync(file, 'utf8');
    expect(original).toContain('镍主要分布在印度尼西亚、菲律宾和俄罗斯');
    fs.writeFileSync(file, original.replace('镍主要分布在印度尼西亚、菲律宾和俄罗斯', '镍主要分布在印度尼西亚、菲律宾、俄罗斯和新喀里多尼亚'));
    expect(await indexIsStale(corpusDir, indexDir, 'corpus')).toBe(true);

    const second = await ingest({ corpusDir, indexDir, model: 'corpus' });
    const after = loadIndex(indexDir);
    expect(second.model).toBe(first.model);
    expect(second.reusedDocuments).toBe(1);
    const paperPassages = before.passages.filter((p) => p.docId === 'zhou2024').length;
    // only the edited passage's embedding input changed (at most: the paper's passages)
    expect(second.embeddedPassages).toBe(1);
    expect(second.embeddedPassages).toBeLessThan(paperPassages);

    // the edited paragraph may get a new id (ids carry a text hash); every other passage keeps id and vector
    const afterIds = new Set(after.passages.map((p) => p.id));
    const gone = before.passages.filter((p) => !afterIds.has(p.id) || after.byId(p.id)!.text !== p.text);
    expect(gone).toHaveLength(1);
    expect(gone[0].text).toContain('镍主要分布在印度尼西亚、菲律宾和俄罗斯');
    const beforeIds = new Set(before.passages.map((p) => p.id));
    const added = after.passages.filter((p) => !beforeIds.has(p.id) || before.byId(p.id)!.text !== p.text);
    expect(added).toHaveLength(1);
    expect(added[0].text).toContain('新喀里多尼亚');
    expect(after.passages.length).toBe(before.passages.length);
    for (const p of before.passages) {
      if (p === gone[0]) continue;
      expect(Array.from(after.vectorOf(p.id)!), p.id).toEqual(Array.from(before.vectorOf(p.id)!));
    }
    expect(await indexIsStale(corpusDir, indexDir, 'corpus')).toBe(false);
  }, 60_000);
});
