/**
 * Test-only passages and lexical ranking, so the answer room can be tested without the chunker,
 * the index or an embedding model. Deliberately simple: paragraphs split on lines, repeats dropped,
 * footnotes linked to the nearest earlier paragraph carrying the same marker, table rows with their header.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Passage } from '../../src/core/passage.js';
import type { ScoredPassage } from '../../src/core/answer.js';
import { indexTerms } from '../../src/text/segment.js';
import { searchKey } from '../../src/text/searchKey.js';
import { REPO_CORPUS_DIR } from '../support/paths.js';

export const CORPUS_DIR = REPO_CORPUS_DIR;

export interface FixtureCorpus {
  passages: Passage[];
  byId: Map<string, Passage>;
  titles: Map<string, string>;
  search(query: string, k?: number): ScoredPassage[];
}

const MARK = /<sup>([^<]{1,6})<\/sup>/g;

function cleanInline(text: string): string {
  return text.replace(MARK, '$1').replace(/\*\*/g, '').replace(/<(https?:[^>]+)>/g, '$1').trim();
}

function makePassage(docId: string, ordinal: number, kind: Passage['kind'], label: string, text: string, extra: Partial<Passage> = {}): Passage {
  return { id: `${docId}:${kind[0]}${ordinal}`, docId, kind, label, text, searchKey: searchKey(text), sectionPath: [], ordinal, footnotes: [], citedBy: [], ...extra };
}

/** Footnote markers a paragraph line carries: <sup>③</sup> or a bare circled number. */
function markers(line: string): string[] {
  const out = [...line.matchAll(MARK)].map((m) => m[1]).filter((m) => m !== '\\*');
  const bare = line.replace(MARK, '').match(/[\u2460-\u2473]/g) ?? [];
  return [...out, ...bare];
}

function lastParagraph(passages: Passage[], docId: string): Passage | undefined {
  for (let i = passages.length - 1; i >= 0; i--) {
    if (passages[i].docId !== docId) return undefined;
    if (passages[i].kind === 'paragraph') return passages[i];
    if (passages[i].kind === 'table-row') return undefined;
  }
  return undefined;
}

export function loadFixtureCorpus(dir = CORPUS_DIR): FixtureCorpus {
  const passages: Passage[] = [];
  const titles = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => /\.(txt|md)$/.test(f) && f !== 'README.md').sort()) {
    const docId = file.slice(0, 3);
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').map((l) => l.trim());
    const title = cleanInline((lines.find((l) => l) ?? file).replace(/^#+\s*/, ''));
    titles.set(docId, title);
    const seen = new Set<string>();
    const pending: { passage: Passage; mark: string }[] = [];
    let table: { name: string; caption: string; header?: string } | undefined;
    let ordinal = 0;
    for (const line of lines) {
      if (!line) continue;
      if (/^#/.test(line)) continue;
      const fn = /^<sup>([^<]{1,6})<\/sup>\s*(.*)$/.exec(line) ?? /^([\u2460-\u2473])\s+(.*)$/.exec(line);
      if (fn) {
        const passage = makePassage(docId, ordinal++, 'footnote', `${docId} 注${fn[1]}`, cleanInline(fn[2]));
        const i = pending.findIndex((p) => p.mark === fn[1]);
        if (i >= 0) {
          pending[i].passage.footnotes.push(passage.id);
          passage.citedBy.push(pending[i].passage.id);
          pending.splice(i, 1);
        }
        passages.push(passage);
        continue;
      }
      const cap = /^(表\s?\d+)\s+(.*)$/.exec(line);
      if (cap) {
        table = { name: cap[1], caption: line };
        continue;
      }
      if (table && line.includes('\t')) {
        if (!table.header) table.header = line.replace(/\t/g, ' | ');
        else {
          const text = `${table.caption}：${table.header}：${line.replace(/\t/g, ' | ')}`;
          passages.push(makePassage(docId, ordinal++, 'table-row', `${docId} ${table.name} 行`, text, { table: table.name.replace(/\s/g, '') }));
        }
        continue;
      }
      table = undefined;
      let text = cleanInline(line);
      // a paragraph cut by a page of footnotes continues in the next paragraph line
      const previous = passages.length ? lastParagraph(passages, docId) : undefined;
      if (previous && previous.text.length >= 40 && !/[。！？；.!?:：”」)）]$/.test(previous.text) && !/^[（(]?[一二三四五六七八九十\d]/.test(text)) {
        previous.text += text;
        previous.searchKey = searchKey(previous.text);
        for (const m of markers(line)) pending.push({ passage: previous, mark: m });
        continue;
      }
      if (text.length < 8 || seen.has(text)) continue;
      seen.add(text);
      const passage = makePassage(docId, ordinal++, 'paragraph', `${docId} ¶${ordinal}`, text);
      // markers cited by this paragraph wait for their footnote lines (numbering restarts every page)
      for (const m of markers(line)) pending.push({ passage, mark: m });
      passages.push(passage);
    }
  }
  return fixtureFromPassages(passages, titles);
}

/** BM25 ranking over any passages (the fixture's, or the chunker's for measurements). */
export function fixtureFromPassages(passages: Passage[], titles: Map<string, string>): FixtureCorpus {
  const byId = new Map(passages.map((p) => [p.id, p]));
  // BM25 over index terms
  const docs = passages.map((p) => indexTerms(p.searchKey, { isKey: true }));
  const df = new Map<string, number>();
  for (const terms of docs) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const avgLen = docs.reduce((s, d) => s + d.length, 0) / docs.length;
  const N = docs.length;
  const search = (query: string, k = 8): ScoredPassage[] => {
    const q = new Set(indexTerms(query));
    const scored = docs.map((terms, i) => {
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      let score = 0;
      for (const t of q) {
        const f = tf.get(t);
        if (!f) continue;
        const idf = Math.log(1 + (N - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5));
        score += (idf * f * 2.2) / (f + 1.2 * (0.25 + 0.75 * (terms.length / avgLen)));
      }
      return { passage: passages[i], score };
    });
    return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score).slice(0, k);
  };
  return { passages, byId, titles, search };
}
