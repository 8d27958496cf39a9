import type { Passage } from '../core/passage.js';
import { indexTerms } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';

export interface LexicalHit {
  position: number;
  score: number;
}

/** Weighted bag of terms: term → weight (a term counted twice weighs 2). */
export type TermWeights = Map<string, number>;

export interface Bm25Params {
  k1: number;
  b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

/**
 * Context terms (section heading, the paragraph citing a footnote, the table name) count less than the
 * passage's own words: they help a passage be found by its topic without outranking passages that say it.
 * On the dev set the choice barely moves the figures (heading 0–1, citing 0–0.5: hybrid MRR 0.918–0.940,
 * Recall@5 unchanged), so these stay at moderate values rather than the best single point of a tiny set.
 */
export const CONTEXT_WEIGHT = { heading: 0.5, citing: 0.3, table: 0.5 };

/** Term weights of one passage as the lexical index sees it: its own words plus weighted context. */
export function passageTerms(passage: Passage, byId?: (id: string) => Passage | undefined): TermWeights {
  const weights: TermWeights = new Map();
  addTerms(weights, indexTerms(passage.searchKey || searchKey(passage.text), { isKey: true }), 1);
  const heading = passage.sectionPath[passage.sectionPath.length - 1];
  if (heading) addTerms(weights, indexTerms(heading), CONTEXT_WEIGHT.heading);
  if (passage.table) addTerms(weights, indexTerms(passage.table), CONTEXT_WEIGHT.table);
  if (byId) {
    for (const id of passage.citedBy ?? []) {
      const citing = byId(id);
      if (citing) addTerms(weights, indexTerms(citing.searchKey || searchKey(citing.text), { isKey: true }), CONTEXT_WEIGHT.citing);
    }
  }
  return weights;
}

export function addTerms(weights: TermWeights, terms: Iterable<string>, weight: number): TermWeights {
  for (const t of terms) weights.set(t, (weights.get(t) ?? 0) + weight);
  return weights;
}

/** What `lexical.json` holds; the postings themselves are binary (`postings.bin`, see `postingsBytes`). */
export interface LexicalMeta {
  params: Bm25Params;
  docLengths: number[];
  /** Sorted; term i's postings are entries offsets[i] … offsets[i+1]−1. */
  terms: string[];
}

const POSTINGS_MAGIC = 0x3150584c; // "LXP1"

/**
 * BM25 over simplified-Chinese search keys (words + character bigrams) and stemmed English words.
 * Postings are flat typed arrays (positions and term frequencies), stored as one binary file: parsing
 * them as JSON dominated the load time of a large index.
 */
export class LexicalIndex {
  private readonly avgLength: number;
  private readonly termIndex: Map<string, number>;

  private constructor(
    private readonly meta: LexicalMeta,
    private readonly offsets: Uint32Array,
    private readonly positions: Uint32Array,
    private readonly tfs: Float32Array,
  ) {
    this.termIndex = new Map(meta.terms.map((t, i) => [t, i]));
    const n = meta.docLengths.length;
    this.avgLength = n ? meta.docLengths.reduce((a, b) => a + b, 0) / n || 1 : 1;
  }

  get size(): number {
    return this.meta.docLengths.length;
  }

  static build(documents: TermWeights[], params: Bm25Params = DEFAULT_BM25): LexicalIndex {
    const lists = new Map<string, number[]>();
    const docLengths: number[] = [];
    documents.forEach((weights, position) => {
      let length = 0;
      for (const [term, tf] of weights) {
        let list = lists.get(term);
        if (!list) lists.set(term, (list = []));
        list.push(position, round(tf));
        length += tf;
      }
      docLengths.push(round(length));
    });
    // sorted terms: the same passages always give the same bytes
    const terms = [...lists.keys()].sort();
    const offsets = new Uint32Array(terms.length + 1);
    let total = 0;
    terms.forEach((t, i) => {
      offsets[i] = total;
      total += lists.get(t)!.length / 2;
    });
    offsets[terms.length] = total;
    const positions = new Uint32Array(total);
    const tfs = new Float32Array(total);
    terms.forEach((t, i) => {
      const list = lists.get(t)!;
      for (let j = 0, at = offsets[i]; j < list.length; j += 2, at++) {
        positions[at] = list[j];
        tfs[at] = list[j + 1];
      }
    });
    return new LexicalIndex({ params, docLengths, terms }, offsets, positions, tfs);
  }

  /** Reads what `metaJSON` and `postingsBytes` wrote; throws on any inconsistency. */
  static fromStored(meta: LexicalMeta, bytes: Uint8Array): LexicalIndex {
    if (!meta || !Array.isArray(meta.docLengths) || !Array.isArray(meta.terms) || !meta.params) {
      throw new Error('lexical index metadata is malformed');
    }
    // typed arrays need 4-byte alignment; a Buffer from the pool may not have it
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    if (aligned.byteLength < 8) throw new Error('lexical postings are truncated');
    const header = new Uint32Array(aligned.buffer, aligned.byteOffset, 2);
    const [magic, total] = [header[0], header[1]];
    const termCount = meta.terms.length;
    const expected = 8 + 4 * (termCount + 1) + 8 * total;
    if (magic !== POSTINGS_MAGIC || aligned.byteLength !== expected) throw new Error('lexical postings do not match their metadata');
    const offsets = new Uint32Array(aligned.buffer, aligned.byteOffset + 8, termCount + 1);
    const positions = new Uint32Array(aligned.buffer, aligned.byteOffset + 8 + 4 * (termCount + 1), total);
    const tfs = new Float32Array(aligned.buffer, aligned.byteOffset + 8 + 4 * (termCount + 1) + 4 * total, total);
    if (offsets[termCount] !== total) throw new Error('lexical postings do not match their metadata');
    return new LexicalIndex(meta, offsets, positions, tfs);
  }

  metaJSON(): LexicalMeta {
    return this.meta;
  }

  postingsBytes(): Uint8Array {
    const termCount = this.meta.terms.length;
    const total = this.positions.length;
    const out = new Uint8Array(8 + 4 * (termCount + 1) + 8 * total);
    const header = new Uint32Array(out.buffer, 0, 2);
    header[0] = POSTINGS_MAGIC;
    header[1] = total;
    out.set(new Uint8Array(this.offsets.buffer, this.offsets.byteOffset, this.offsets.byteLength), 8);
    out.set(new Uint8Array(this.positions.buffer, this.positions.byteOffset, this.positions.byteLength), 8 + 4 * (termCount + 1));
    out.set(new Uint8Array(this.tfs.buffer, this.tfs.byteOffset, this.tfs.byteLength), 8 + 4 * (termCount + 1) + 4 * total);
    return out;
  }

  /** Number of passages containing the term. */
  documentFrequency(term: string): number {
    const i = this.termIndex.get(term);
    return i === undefined ? 0 : this.offsets[i + 1] - this.offsets[i];
  }

  /** BM25 top-k. `terms`: query terms (repeats add weight) or explicit weights. */
  search(terms: string[] | TermWeights, k: number): LexicalHit[] {
    const query = Array.isArray(terms) ? addTerms(new Map(), terms, 1) : terms;
    const { k1, b } = this.meta.params;
    const n = this.size;
    const docLengths = this.meta.docLengths;
    const scores = new Map<number, number>();
    for (const [term, qWeight] of query) {
      const i = this.termIndex.get(term);
      if (i === undefined) continue;
      const start = this.offsets[i];
      const end = this.offsets[i + 1];
      const df = end - start;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let at = start; at < end; at++) {
        const position = this.positions[at];
        const tf = this.tfs[at];
        const norm = tf + k1 * (1 - b + (b * docLengths[position]) / this.avgLength);
        scores.set(position, (scores.get(position) ?? 0) + qWeight * idf * ((tf * (k1 + 1)) / norm));
      }
    }
    return [...scores]
      .map(([position, score]) => ({ position, score }))
      .sort((a, b) => b.score - a.score || a.position - b.position)
      .slice(0, k);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
