import { mkdtemp, writeFile, symlink, chmod, mkdir, truncate, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusError } from '../../src/core/errors.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { idFromFileName, titleFromText } from '../../src/corpus/document.js';
import { buildPassages } from '../../src/chunking/build.js';

const CORPUS = path.resolve('corpus');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lodestone-corpus-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadCorpus on the shipped corpus', () => {
  it('loads both documents with their sidecar metadata', async () => {
    const { documents, warnings } = await loadCorpus(CORPUS);
    expect(warnings).toEqual([]);
    const byId = Object.fromEntries(documents.map((d) => [d.info.id, d.info]));
    expect(Object.keys(byId).sort()).toEqual(['jxw2025', 'zhou2024']);
    expect(byId.zhou2024).toMatchObject({ author: '周亚敏', year: 2024, lang: 'zh-Hans', file: 'zhou2024-green-digital-decoupling.md' });
    expect(byId.zhou2024.venue).toContain('世界经济与政治');
    expect(byId.jxw2025).toMatchObject({ lang: 'zh-Hant', year: 2025 });
    expect(byId.jxw2025.venue).toContain('加西網');
    expect(byId.zhou2024.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('bad input in corpus/', () => {
  it('skips each bad file with a one-line warning naming it, and still ingests the rest', async () => {
    const bad = path.join(dir, 'bad');
    await mkdir(bad);
    await writeFile(path.join(bad, 'good.md'), '# 好文档\n\n关键矿物是绿色经济和数字经济的共同物质基础。\n');
    await writeFile(path.join(bad, 'empty.md'), '');
    await writeFile(path.join(bad, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02, 0xff]));
    // "关键矿物" in GBK: valid Chinese, but not UTF-8
    await writeFile(path.join(bad, 'gbk.txt'), Buffer.from([0xb9, 0xd8, 0xbc, 0xfc, 0xbf, 0xf3, 0xce, 0xef, 0xa1, 0xa3]));
    await writeFile(path.join(bad, 'huge.txt'), '');
    await truncate(path.join(bad, 'huge.txt'), 50 * 1024 * 1024); // sparse: 50 MB on paper, instant to make
    const unreadable = path.join(bad, 'unreadable.md');
    if (process.getuid?.() === 0) await symlink(path.join(bad, 'missing-target.md'), unreadable); // root reads chmod 000 files
    else {
      await writeFile(unreadable, '秘密。');
      await chmod(unreadable, 0o000);
    }
    await writeFile(path.join(bad, 'glossary.json'), '{"terms": []}');
    await writeFile(path.join(bad, 'README.md'), '# How to add documents\n\nDrop a file here.\n');
    await writeFile(path.join(bad, 'good.md.meta.json'), '{"id": "good", "author": "测试"}');

    const { documents, warnings } = await loadCorpus(bad);
    expect(documents.map((d) => d.info.id)).toEqual(['good']);
    expect(documents[0].info.author).toBe('测试');
    for (const file of ['empty.md', 'binary.txt', 'gbk.txt', 'huge.txt', 'unreadable.md']) {
      const lines = warnings.filter((w) => w.startsWith(`${file}: skipped — `));
      expect(lines, file).toHaveLength(1);
      expect(lines[0]).not.toContain('\n');
    }
    expect(warnings.find((w) => w.startsWith('huge.txt'))).toMatch(/too large \(50\.0 MB/);
    expect(warnings.find((w) => w.startsWith('gbk.txt'))).toMatch(/UTF-8/);
    expect(warnings.some((w) => w.includes('glossary.json') || w.includes('README'))).toBe(false);

    const built = await buildPassages(bad);
    expect(built.documents.map((d) => d.id)).toEqual(['good']);
    expect(built.passages.map((p) => p.text)).toEqual(['关键矿物是绿色经济和数字经济的共同物质基础。']);
  });

  it('throws CorpusError when no usable document remains', async () => {
    const none = path.join(dir, 'none');
    await mkdir(none);
    await writeFile(path.join(none, 'empty.md'), '   \n\n');
    await writeFile(path.join(none, 'notes.json'), '{}');
    await expect(loadCorpus(none)).rejects.toBeInstanceOf(CorpusError);
    await expect(loadCorpus(none)).rejects.toThrow(/no usable document.*empty\.md/);
    await expect(buildPassages(path.join(dir, 'does-not-exist'))).rejects.toBeInstanceOf(CorpusError);
  });
});

describe('a document dropped in without metadata', () => {
  it('gets its id from the file name, title from the first heading, unknown author, detected script', async () => {
    const plain = path.join(dir, 'plain');
    await mkdir(plain);
    await writeFile(path.join(plain, 'My Notes on Lithium.md'), '# 鋰礦與供應鏈\n\n美國與澳大利亞簽署了關鍵礦產協議。這對供應鏈有重要影響。\n');
    await writeFile(path.join(plain, 'second.txt'), '---\ntitle: 第二篇\nauthor: 张三\nyear: 2023\n---\n稀土供应链正在重组。\n');
    const { documents } = await loadCorpus(plain);
    const [notes, second] = documents;
    expect(notes.info).toMatchObject({ id: 'my-notes-on-lithium', title: '鋰礦與供應鏈', author: 'unknown', lang: 'zh-Hant' });
    expect(second.info).toMatchObject({ id: 'second', title: '第二篇', author: '张三', year: 2023, lang: 'zh-Hans' });
    expect(second.text).not.toContain('author:');
  });

  it('derives typeable ids and titles', () => {
    expect(idFromFileName('zhou2024-green-digital-decoupling.md')).toBe('zhou2024-green-digital-decoupling');
    expect(idFromFileName('论文.md')).toMatch(/^doc-[0-9a-f]{6}$/);
    expect(titleFromText('\n\n# 国家间绿色竞争<sup>\\*</sup>\n正文')).toBe('国家间绿色竞争');
    expect(titleFromText('第一行标题\n正文。')).toBe('第一行标题');
  });
});
