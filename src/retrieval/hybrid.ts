import type { ScoredPassage } from '../core/answer.js';
import type { TextEmbedder } from '../embedding/embedder-api.js';
import { ModelMismatchError } from '../core/errors.js';
import type { IndexSnapshot, PassageHit as Hit } from '../index/api.js';
import { DEFAULT_FUSION, reciprocalRankFusion, type FusionParams } from './fusion.js';
import { namedDocuments, sameScriptDocuments } from './documentHints.js';
import { applyFeedback, type FeedbackPrior } from './feedbackBoost.js';
import { prepareQuery } from './query.js';


export type SearchMode = 'hybrid' | 'dense' | 'lexical';

export interface RetrieverOptions {
  /** Glossary expansion: extra alias strings for a question. */
  expand?: (q: string) => string[];
  fusion?: FusionParams;
  /** How deep each list is read before fusion. */
  candidates?: number;
  /** The index's embedding model cannot be loaded: no dense list, the lexical one alone (hybrid = lexical). */
  lexicalOnly?: boolean;
  /** Votes on earlier answers: a bounded prior in the hybrid ranking (feedbackBoost.ts); none, no change. */
  feedback?: FeedbackPrior;
}

export interface SearchOutcome {
  results: ScoredPassage[];
  timings: { embedMs: number; searchMs: number };
}

/** The two ranked lists a query produces before fusion. */
export interface CandidateLists {
  dense: Hit[];
  lexical: Hit[];
  timings: { embedMs: number; searchMs: number };
  /** The dense query vector (when dense search ran). */
  vector?: Float32Array;
}

/** Throws ModelMismatchError unless the embedder is the one the index was built with. */
export function assertSameModel(index: IndexSnapshot, embedder: TextEmbedder): void {
  if (embedder.modelId !== index.manifest.modelId) throw new ModelMismatchError(index.manifest.modelId, embedder.modelId);
  if (embedder.dimensions !== index.manifest.dimensions) {
    throw new ModelMismatchError(`${index.manifest.modelId} (${index.manifest.dimensions} dimensions)`, `${embedder.modelId} (${embedder.dimensions} dimensions)`);
  }
}

/** Dense + lexical (BM25) search over one index snapshot (through the store seam), fused by weighted reciprocal rank. */
export class Retriever {
  readonly fusion: FusionParams;
  private readonly depth: number;

  constructor(
    readonly index: IndexSnapshot,
    readonly embedder: TextEmbedder,
    private readonly opts: RetrieverOptions = {},
  ) {
    assertSameModel(index, embedder);
    this.fusion = opts.fusion ?? DEFAULT_FUSION;
    this.depth = opts.candidates ?? 50;
  }

  async search(query: string, k = 8, mode: SearchMode = 'hybrid'): Promise<SearchOutcome> {
    const lists = await this.candidates(query, Math.max(this.depth, k * 3), mode);
    const t0 = performance.now();
    const named = mode === 'hybrid' ? namedDocuments(query, this.index.documents, { leaning: true }) : new Set<string>();
    const sameScript = mode === 'hybrid' && named.size === 0 ? sameScriptDocuments(query, this.index.documents) : new Set<string>();
    const feedback = mode === 'hybrid' ? await this.feedbackFor(query, lists.vector) : undefined;
    const results = rankResults(lists, mode, this.fusion, k, named, sameScript, feedback);
    return { results, timings: { embedMs: lists.timings.embedMs, searchMs: lists.timings.searchMs + (performance.now() - t0) } };
  }

  /** The glossary's words a query is searched with besides its own (the Chinese of an English question's terms). */
  expansion(query: string): string[] {
    return prepareQuery(query, this.opts.expand).aliases;
  }

  /** Both ranked lists for a query (only the one a single-list mode needs). */
  async candidates(query: string, depth = this.depth, mode: SearchMode = 'hybrid'): Promise<CandidateLists> {
    const prepared = prepareQuery(query, this.opts.expand);
    let embedMs = 0;
    let searchMs = 0;
    let dense: Hit[] = [];
    let vector: Float32Array | undefined;
    if (mode !== 'lexical' && !this.opts.lexicalOnly && prepared.embedText) {
      const t0 = performance.now();
      vector = await this.embedder.embedQuery(prepared.embedText);
      embedMs = performance.now() - t0;
      if (vector.length !== this.index.manifest.dimensions) {
        throw new ModelMismatchError(this.index.manifest.modelId, `${this.embedder.modelId} (${vector.length}-dimension query vector)`);
      }
      const t1 = performance.now();
      dense = await this.index.dense.search(vector, depth);
      searchMs += performance.now() - t1;
    }
    const t2 = performance.now();
    const lexical = mode === 'dense' ? [] : await this.index.lexical.search(prepared.lexicalTerms, depth);
    searchMs += performance.now() - t2;
    return { dense, lexical, timings: { embedMs, searchMs }, vector };
  }

  /** Votes near this query, per passage; undefined without any (a failure to read them must not fail the search). */
  private async feedbackFor(query: string, vector: Float32Array | undefined): Promise<ReadonlyMap<string, number> | undefined> {
    const prior = this.opts.feedback;
    if (!prior?.active) return undefined;
    const expand = this.opts.expand;
    try {
      return await prior.scores(
        { question: query, vector },
        {
          scope: this.index.generation,
          expand: (q) => prepareQuery(q, expand).aliases,
          embed: this.opts.lexicalOnly ? undefined : { modelId: this.embedder.modelId, text: (q) => prepareQuery(q, expand).embedText, vector: (text) => this.embedder.embedQuery(text) },
        },
      );
    } catch {
      return undefined;
    }
  }
}

/**
 * How much a passage of a document the question names ("the web article", 周亚敏, 《世界经济与政治》) gains
 * in fused score. RRF scores of neighbouring ranks differ by a few percent, so ×1.25 lifts such a passage
 * by roughly fifteen places: a boost, not a filter — 文章 may also mean the paper, and a far better
 * passage elsewhere still wins.
 */
export const NAMED_DOCUMENT_BOOST = 1.25;

/** A passage of a document in the question's script (a 繁體 question, the traditional-script article): a tie-breaker. */
export const SAME_SCRIPT_BOOST = 1.03;

/** The final top-k of one mode from the candidate lists. */
export function rankResults(
  lists: Pick<CandidateLists, 'dense' | 'lexical'>,
  mode: SearchMode,
  fusion: FusionParams,
  k: number,
  named: Set<string> = new Set(),
  sameScript: Set<string> = new Set(),
  feedback?: ReadonlyMap<string, number>,
): ScoredPassage[] {
  const { dense, lexical } = lists;
  let results: ScoredPassage[];
  if (mode === 'dense') {
    results = dense.map((h, i) => ({ passage: h.passage, score: h.score, denseRank: i + 1, denseScore: h.score }));
  } else if (mode === 'lexical') {
    results = lexical.map((h, i) => ({ passage: h.passage, score: h.score, lexicalRank: i + 1, lexicalScore: h.score }));
  } else {
    const denseScore = new Map(dense.map((h) => [h.passage.id, h.score]));
    const lexicalScore = new Map(lexical.map((h) => [h.passage.id, h.score]));
    const fused = reciprocalRankFusion(
      [
        { items: dense.map((h) => h.passage), weight: fusion.denseWeight },
        { items: lexical.map((h) => h.passage), weight: 1 - fusion.denseWeight },
      ],
      (p) => p.id,
      fusion.k,
    );
    results = fused.map(({ item, score, ranks }) => ({
      passage: item,
      score: score * (named.has(item.docId) ? NAMED_DOCUMENT_BOOST : 1) * (sameScript.has(item.docId) ? SAME_SCRIPT_BOOST : 1),
      ...(ranks[0] ? { denseRank: ranks[0], denseScore: denseScore.get(item.id) } : {}),
      ...(ranks[1] ? { lexicalRank: ranks[1], lexicalScore: lexicalScore.get(item.id) } : {}),
    }));
  }
  if (named.size || sameScript.size) results.sort((a, b) => b.score - a.score);
  return dropDuplicateTexts(applyFeedback(results, feedback)).slice(0, k);
}

/** A passage whose text repeats a higher-ranked one's (the web article repeats itself) adds nothing. */
export function dropDuplicateTexts(results: ScoredPassage[]): ScoredPassage[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    const key = r.passage.text.replace(/\s+/g, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
