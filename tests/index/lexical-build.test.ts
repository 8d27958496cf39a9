import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LexicalIndex, type TermWeights } from '../../src/index/lexical.js';
import { buildLexical } from '../../src/index/store.js';
import { sampleCorpus } from './fixtures.js';

/** The postings as the one-pass build made them (every passage's map held at once): what the streaming build must match. */
function referencePostings(docs: TermWeights[]): { terms: string[]; lists: [number, number][][]; lengths: number[] } {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const lists = new Map<string, [number, number][]>();
  const lengths = docs.map((weights, position) => {
    let length = 0;
    for (const [term, tf] of weights) {
      if (!lists.has(term)) lists.set(term, []);
      lists.get(term)!.push([position, Math.fround(round(tf))]);
      length += tf;
    }
    return round(length);
  });
  const terms = [...lists.keys()].sort();
  return { terms, lists: terms.map((t) => lists.get(t)!), lengths };
}

function postingsOf(index: LexicalIndex): { terms: string[]; lists: [number, number][][]; lengths: number[] } {
  const bytes = index.postingsBytes();
  const meta = index.metaJSON();
  const total = new Uint32Array(bytes.buffer, bytes.byteOffset + 4, 1)[0];
  const offsets = new Uint32Array(bytes.buffer, bytes.byteOffset + 8, meta.terms.length + 1);
  const positions = new Uint32Array(bytes.buffer, bytes.byteOffset + 8 + 4 * (meta.terms.length + 1), total);
  const tfs = new Float32Array(bytes.buffer, bytes.byteOffset + 8 + 4 * (meta.terms.length + 1) + 4 * total, total);
  const lists = meta.terms.map((_, i) => Array.from({ length: offsets[i + 1] - offsets[i] }, (_, j): [number, number] => [positions[offsets[i] + j], tfs[offsets[i] + j]]));
  return { terms: meta.terms, lists, lengths: meta.docLengths };
}

describe('the lexical index built one passage at a time', () => {
  it('holds exactly the postings of building from every passage at once', () => {
    const term = fc.stringMatching(/^[a-c\u4e00-\u4e03]{1,3}$/);
    const doc = fc.array(fc.tuple(term, fc.double({ min: 0.1, max: 5, noNaN: true })), { maxLength: 12 }).map((pairs) => new Map(pairs) as TermWeights);
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 30 }), (docs) => {
        expect(postingsOf(LexicalIndex.build(docs))).toEqual(referencePostings(docs));
      }),
    );
  });

  it('ranks the corpus passages as before: a passage is found by its own words', () => {
    const { passages } = sampleCorpus();
    const index = buildLexical(passages);
    const hits = index.search(['镍', '印度尼西亚'], 3);
    expect(passages[hits[0].position].text).toContain('镍主要分布在印度尼西亚');
    expect(index.documentFrequency('关税')).toBe(1);
  });
});
