import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPassages } from '../../src/chunking/build.js';
import { chunkDocument } from '../../src/chunking/chunk.js';
import { assignIds, textHash } from '../../src/chunking/passage-id.js';
import { splitIntoPieces } from '../../src/chunking/sentences.js';
import { endsSentence, markerToken } from '../../src/corpus/markup.js';
import { splitSentences as sentenceSplit } from '../../src/text/sentences.js';

const CORPUS = path.resolve('corpus');
const splitSentences = (text: string) => sentenceSplit(text).map((s) => s.text);
const PAPER = 'zhou2024-green-digital-decoupling.md';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lodestone-chunk-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function corpusCopy(name: string, edit?: (paper: string) => string): Promise<string> {
  const target = path.join(dir, name);
  await cp(CORPUS, target, { recursive: true });
  if (edit) {
    const file = path.join(target, PAPER);
    await writeFile(file, edit(await readFile(file, 'utf8')));
  }
  return target;
}

describe('passage ids', () => {
  it('are identical across two ingests, short and typeable', async () => {
    const a = await buildPassages(CORPUS);
    const b = await buildPassages(CORPUS);
    expect(b.passages.map((p) => p.id)).toEqual(a.passages.map((p) => p.id));
    for (const p of a.passages) expect(p.id).toMatch(/^[a-z0-9]+:[a-z0-9.:-]+$/);
    expect(Math.max(...a.passages.map((p) => p.id.length))).toBeLessThanOrEqual(24);
  });

  it('change only for the edited paragraph; inserting a paragraph renumbers nothing', async () => {
    const before = await buildPassages(CORPUS);
    const edited = await buildPassages(await corpusCopy('edited', (t) => t.replace('美国早在 2011 年和 2014 年', '美国早在 2010 年和 2014 年')));
    const beforeIds = new Set(before.passages.map((p) => p.id));
    const afterIds = new Set(edited.passages.map((p) => p.id));
    const removed = [...beforeIds].filter((id) => !afterIds.has(id));
    const added = [...afterIds].filter((id) => !beforeIds.has(id));
    expect(removed).toHaveLength(1);
    expect(added).toHaveLength(1);
    expect(removed[0]).toMatch(/^zhou2024:4\.1:p/);
    expect(edited.passages.find((p) => p.id === added[0])?.text).toContain('美国早在 2010 年');

    const inserted = await buildPassages(
      await corpusCopy('inserted', (t) => t.replace('## 二 文献评述', '这是新插入的一段说明文字。\n\n## 二 文献评述')),
    );
    const insertedIds = new Set(inserted.passages.map((p) => p.id));
    expect([...beforeIds].filter((id) => !insertedIds.has(id))).toEqual([]);
    expect([...insertedIds].filter((id) => !beforeIds.has(id))).toHaveLength(1);
  });

  it('lengthen the hash only where two different texts would clash, independent of order', () => {
    const reqs = [
      { base: 'd:1:p', hash: 'abcd1234ffff' },
      { base: 'd:1:p', hash: 'abcd5678ffff' },
      { base: 'd:1:p', hash: '0123456789ab' },
      { base: 'd:2:p', hash: 'abcd1234ffff' },
    ];
    expect(assignIds(reqs)).toEqual(['d:1:pabcd12', 'd:1:pabcd56', 'd:1:p0123', 'd:2:pabcd']);
    expect(assignIds([...reqs].reverse())).toEqual(['d:2:pabcd', 'd:1:p0123', 'd:1:pabcd56', 'd:1:pabcd12']);
    expect(textHash('一段 文字')).toBe(textHash('一段文字')); // whitespace-only changes keep the id
  });
});

describe('passage size', () => {
  const long = Array.from({ length: 12 }, (_, i) => `这是第${i + 1}个句子，用来说明关键矿物供应链的变化以及美国对华选择性“脱钩”的影响和后果。`).join('');

  it('keeps a short paragraph whole', () => {
    expect(splitIntoPieces('关键矿物是绿色经济和数字经济的共同物质基础。')).toEqual(['关键矿物是绿色经济和数字经济的共同物质基础。']);
  });

  it('splits a long paragraph on sentence boundaries with a small overlap', () => {
    expect(long.length).toBeGreaterThan(450);
    const pieces = splitIntoPieces(long);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(480);
      expect(endsSentence(p)).toBe(true);
    }
    for (let i = 1; i < pieces.length; i++) {
      const lastOfPrevious = splitSentences(pieces[i - 1]).at(-1)!;
      expect(pieces[i].startsWith(lastOfPrevious)).toBe(true);
    }
    const covered = new Set(pieces.flatMap((p) => splitSentences(p)));
    expect(covered).toEqual(new Set(splitSentences(long)));
  });

  it('does not end a piece at initials or abbreviations', () => {
    const english = Array.from({ length: 8 }, (_, i) => `Report ${i + 1} of the U. S. Department of Energy, see pp. 4-5 in Vol. 3, covers lithium and cobalt supply.`).join(' ');
    const pieces = splitIntoPieces(english);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p).toMatch(/^Report \d .*supply\.$/);
  });

  it('keeps a footnote token with the sentence it closes, so every piece quoting that sentence links the note', () => {
    const sentence = (i: number) => `第${i}句说明关键矿物供应链的变化，以及美国对华选择性脱钩的影响和后果，还有相关国家的应对措施。`;
    const text = Array.from({ length: 14 }, (_, i) => sentence(i + 1) + (i === 7 ? markerToken(7) : '')).join('');
    const pieces = splitIntoPieces(text);
    const quoting = pieces.filter((p) => p.includes(sentence(8)));
    expect(quoting.length).toBe(2); // the end of one piece, repeated at the start of the next
    for (const p of quoting) expect(p).toContain(sentence(8) + markerToken(7));
  });

  it('keeps paper passages retrieval-sized', async () => {
    const { passages } = await buildPassages(CORPUS);
    const body = passages.filter((p) => p.kind === 'paragraph' || p.kind === 'abstract');
    for (const p of body) expect(p.text.length, p.label).toBeLessThanOrEqual(560);
    const split = passages.filter((p) => /（\d\/\d）$/.test(p.label));
    expect(split.length).toBeGreaterThan(0);
  });
});

describe('a user-added markdown document', () => {
  it('becomes passages with labels, sections and working footnotes', async () => {
    const doc = {
      info: { id: 'notes', title: '锂笔记', author: 'unknown', lang: 'zh-Hans', file: 'notes.md', contentHash: 'x' },
      text: [
        '# 锂笔记', '', '## Background', '', '锂是电池的关键原料。<sup>①</sup>智利和阿根廷储量丰富。', '',
        '<sup>①</sup> USGS, Mineral Commodity Summaries 2023.', '', '## 二 供应链', '', '美国希望减少对外依赖。',
      ].join('\n'),
    };
    const passages = chunkDocument(doc);
    expect(passages.map((p) => p.kind)).toEqual(['paragraph', 'footnote', 'paragraph']);
    const [first, note, second] = passages;
    expect(first).toMatchObject({ sectionPath: ['Background'], label: 'notes · Background¶1', text: '锂是电池的关键原料。智利和阿根廷储量丰富。' });
    expect(first.footnotes).toEqual([note.id]);
    expect(note.citedBy).toEqual([first.id]);
    expect(note.label).toBe('notes · 注①（Background）');
    expect(second.label).toBe('notes · 二¶1');
    expect(second.id).toMatch(/^notes:2:p[0-9a-f]{4}$/);
    expect(passages.map((p) => p.ordinal)).toEqual([0, 1, 2]);
    expect(second.searchKey).toBe('美国希望减少对外依赖。');
  });
});
