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
    return LexicalIndex.buildFrom(documents.length, (position) => documents[position], params);
  }

  /**
   * Builds from each passage's terms, asked for one passage at a time and dropped at once: a million
   * passages' term maps held together exhausted an 8 GB heap. Pass one appends (term id, tf) pairs to
   * flat typed chunks (outside the JS heap) and counts each term; pass two scatters them, in passage
   * order, into the sorted postings. Same bytes as building from all the maps at once.
   */
  static buildFrom(count: number, termsAt: (position: number) => TermWeights, params: Bm25Params = DEFAULT_BM25): LexicalIndex {
    const idOf = new Map<string, number>();
    const names: string[] = [];
    const postingCount: number[] = [];
    const pairs = new PairChunks();
    const docLengths: number[] = new Array<number>(count);
    const docEnds = new Float64Array(count);
    for (let position = 0; position < count; position++) {
      let length = 0;
      for (const [term, tf] of termsAt(position)) {
        let id = idOf.get(term);
        if (id === undefined) {
          id = names.length;
          idOf.set(term, id);
          names.push(term);
          postingCount.push(0);
        }
        postingCount[id]++;
        pairs.push(id, round(tf));
        length += tf;
      }
      docLengths[position] = round(length);
      docEnds[position] = pairs.length;
    }
    idOf.clear();
    // sorted terms (UTF-16 order, as Array#sort): the same passages always give the same bytes
    const order = names.map((_, id) => id).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    const terms = order.map((id) => names[id]);
    const offsets = new Uint32Array(terms.length + 1);
    const cursor = new Uint32Array(names.length);
    let total = 0;
    order.forEach((id, rank) => {
      offsets[rank] = total;
      cursor[id] = total;
      total += postingCount[id];
    });
    offsets[terms.length] = total;
    const positions = new Uint32Array(total);
    const tfs = new Float32Array(total);
    let position = 0;
    pairs.forEach((id, tf, at) => {
      while (at >= docEnds[position]) position++;
      const slot = cursor[id]++;
      positions[slot] = position;
      tfs[slot] = tf;
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

/** Growable (term id, tf) pairs in fixed-size typed chunks: no copying on growth, nothing on the JS heap. */
class PairChunks {
  private static readonly SIZE = 1 << 22;
  private readonly ids: Uint32Array[] = [];
  private readonly tfs: Float32Array[] = [];
  length = 0;

  push(id: number, tf: number): void {
    const at = this.length % PairChunks.SIZE;
    if (at === 0) {
      this.ids.push(new Uint32Array(PairChunks.SIZE));
      this.tfs.push(new Float32Array(PairChunks.SIZE));
    }
    this.ids[this.ids.length - 1][at] = id;
    this.tfs[this.tfs.length - 1][at] = tf;
    this.length++;
  }

  forEach(visit: (id: number, tf: number, index: number) => void): void {
    for (let c = 0, index = 0; c < this.ids.length; c++) {
      const ids = this.ids[c];
      const tfs = this.tfs[c];
      const end = Math.min(PairChunks.SIZE, this.length - c * PairChunks.SIZE);
      for (let i = 0; i < end; i++, index++) visit(ids[i], tfs[i], index);
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
