import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentInfo, Passage } from '../../src/chunking/passage.js';
import { searchKey } from '../../src/text/searchKey.js';

export const CORPUS_DIR = '/work/shared/corpus';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_CORPUS_DIR = path.join(ROOT, 'corpus');

/** Stand-in passages (one per non-empty line, markup stripped) until the chunking room's buildPassages lands. */
function splitPassages(): { documents: DocumentInfo[]; passages: Passage[] } {
  const files = [
    { file: '000_a123e189b969e9f5.txt', id: 'web', title: '壹場跨國追捕,揭開最赤裸的中美博弈序幕', author: '加西網', lang: 'zh-Hant', year: 2025 },
    { file: '003_8b73d0b09a155170.txt', id: 'zhou2024', title: '国家间绿色竞争、数字竞争与美国对华选择性“脱钩”', author: '周亚敏', lang: 'zh-Hans', year: 2024, venue: '世界经济与政治' },
  ];
  const documents: DocumentInfo[] = [];
  const passages: Passage[] = [];
  for (const f of files) {
    documents.push({ id: f.id, title: f.title, author: f.author, lang: f.lang, year: f.year, venue: f.venue, file: f.file, contentHash: '' });
    const lines = readFileSync(path.join(CORPUS_DIR, f.file), 'utf8').split(/\n/);
    const seen = new Set<string>();
    let n = 0;
    for (const raw of lines) {
      const text = raw.replace(/<sup>[^<]*<\/sup>/g, '').replace(/\*\*|^#+\s*/g, '').trim();
      if (text.length < 2 || seen.has(text)) continue;
      seen.add(text);
      n++;
      passages.push({
        id: `${f.id}:p${n}`, docId: f.id, kind: /^[①-⑩]/.test(text) ? 'footnote' : 'paragraph',
        label: `${f.author} ${f.year} · ¶${n}`, text, searchKey: searchKey(text), sectionPath: [], ordinal: n,
        footnotes: [], citedBy: [],
      });
    }
  }
  return { documents, passages };
}

/** The real passages when src/chunking/build.ts exists, else the stand-in. */
export async function corpusPassages(): Promise<{ documents: DocumentInfo[]; passages: Passage[] }> {
  const build = path.join(ROOT, 'src/chunking/build.ts');
  if (existsSync(build)) {
    const mod = (await import(build)) as { buildPassages: (dir: string) => Promise<{ documents: DocumentInfo[]; passages: Passage[] }> };
    const { documents, passages } = await mod.buildPassages(CORPUS_DIR);
    return { documents, passages };
  }
  return splitPassages();
}
