import type { Passage } from '../chunking/passage.js';
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

/** Serialised form, kept in `lexical.json`. */
export interface LexicalData {
  params: Bm25Params;
  docLengths: number[];
  /** term → flat [position, tf, position, tf, …] */
  postings: Record<string, number[]>;
}

/** BM25 over simplified-Chinese search keys (words + character bigrams) and stemmed English words. */
export class LexicalIndex {
  private readonly avgLength: number;
  private readonly postings: Map<string, number[]>;

  private constructor(private readonly data: LexicalData) {
    this.postings = new Map(Object.entries(data.postings));
    const n = data.docLengths.length;
    this.avgLength = n ? data.docLengths.reduce((a, b) => a + b, 0) / n : 1;
  }

  get size(): number {
    return this.data.docLengths.length;
  }

  static build(documents: TermWeights[], params: Bm25Params = DEFAULT_BM25): LexicalIndex {
    const postings: Record<string, number[]> = Object.create(null);
    const docLengths: number[] = [];
    documents.forEach((weights, position) => {
      let length = 0;
      for (const [term, tf] of weights) {
        (postings[term] ??= []).push(position, round(tf));
        length += tf;
      }
      docLengths.push(round(length));
    });
    return new LexicalIndex({ params, docLengths, postings });
  }

  static fromJSON(data: LexicalData): LexicalIndex {
    if (!data || !Array.isArray(data.docLengths) || typeof data.postings !== 'object') {
      throw new Error('lexical index data is malformed');
    }
    return new LexicalIndex(data);
  }

  toJSON(): LexicalData {
    return this.data;
  }

  /** Number of passages containing the term. */
  documentFrequency(term: string): number {
    return (this.postings.get(term)?.length ?? 0) / 2;
  }

  /** BM25 top-k. `terms`: query terms (repeats add weight) or explicit weights. */
  search(terms: string[] | TermWeights, k: number): LexicalHit[] {
    const query = Array.isArray(terms) ? addTerms(new Map(), terms, 1) : terms;
    const { k1, b } = this.data.params;
    const n = this.size;
    const scores = new Map<number, number>();
    for (const [term, qWeight] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const df = list.length / 2;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = 0; i < list.length; i += 2) {
        const position = list[i];
        const tf = list[i + 1];
        const norm = tf + k1 * (1 - b + (b * this.data.docLengths[position]) / this.avgLength);
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
