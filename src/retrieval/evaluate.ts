import type { QuestionLang } from '../core/answer.js';
import type { Passage } from '../core/passage.js';
import type { SearchMode } from './hybrid.js';

/** One line of an eval set (see shared/eval/README.md); extra fields are ignored. */
export interface EvalQuestion {
  id: string;
  kind: 'ask' | 'term' | 'none' | string;
  lang: QuestionLang | string;
  question: string;
  evidence: string[];
}

/** Anything with the Retriever's search signature. */
export interface Searchable {
  search(query: string, k: number, mode: SearchMode): Promise<{ results: { passage: Passage }[]; timings: { embedMs: number; searchMs: number } }>;
}

export const EVAL_MODES: SearchMode[] = ['dense', 'lexical', 'hybrid'];
export const EVAL_GROUPS = ['zh-Hans', 'zh-Hant', 'en', 'zh', 'all'] as const;
export type EvalGroup = (typeof EVAL_GROUPS)[number];

export interface EvalRow {
  mode: SearchMode;
  group: EvalGroup;
  questions: number;
  /** Recall@k for each k asked for, keyed by k. */
  recall: Record<number, number>;
  mrr: number;
}

export interface LatencyStats {
  queries: number;
  embedMs: { p50: number; p95: number };
  searchMs: { p50: number; p95: number };
}

export interface EvalReport {
  ks: number[];
  rows: EvalRow[];
  /** Per question and mode: 1-based rank of the first passage holding evidence (0 = not in the top max(k)). */
  perQuestion: { id: string; lang: string; kind: string; ranks: Record<SearchMode, number> }[];
  /** Latency of the hybrid searches of this run. */
  latency: LatencyStats;
}

/** Whitespace plays no part in whether a passage holds an evidence string. */
export function squashWhitespace(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, '');
}

/** 1-based rank of the first passage containing any evidence string; 0 when none does. */
export function firstEvidenceRank(passages: { text: string }[], evidence: string[]): number {
  const wanted = evidence.map(squashWhitespace).filter(Boolean);
  const i = passages.findIndex((p) => {
    const text = squashWhitespace(p.text);
    return wanted.some((e) => text.includes(e));
  });
  return i + 1;
}

/** Parses a JSONL question set; blank lines skipped, a bad line is an error naming its number. */
export function parseQuestionSet(jsonl: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  jsonl.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let q: EvalQuestion;
    try {
      q = JSON.parse(line) as EvalQuestion;
    } catch (error) {
      throw new Error(`question set line ${i + 1}: ${(error as Error).message}`);
    }
    if (typeof q.question !== 'string') throw new Error(`question set line ${i + 1}: no "question"`);
    out.push({ ...q, id: String(q.id ?? i + 1), evidence: Array.isArray(q.evidence) ? q.evidence : [] });
  });
  return out;
}

function inGroup(lang: string, group: EvalGroup): boolean {
  if (group === 'all') return true;
  if (group === 'zh') return lang === 'zh-Hans' || lang === 'zh-Hant';
  return lang === group;
}

/**
 * Recall@k and MRR of retrieved passages against each question's evidence, for dense, lexical and hybrid,
 * per language (plus 'zh' = both Chinese scripts, and 'all'). `kind: none` questions and questions
 * without evidence are left out: they have no right passage.
 */
export async function evaluateRetrieval(
  retriever: Searchable,
  questions: EvalQuestion[],
  options: { k?: number[]; modes?: SearchMode[] } = {},
): Promise<EvalReport> {
  const ks = [...(options.k ?? [1, 5, 10])].sort((a, b) => a - b);
  const depth = ks[ks.length - 1];
  const modes = options.modes ?? EVAL_MODES;
  const scored = questions.filter((q) => q.kind !== 'none' && q.evidence.length > 0);
  const perQuestion: EvalReport['perQuestion'] = [];
  const embed: number[] = [];
  const search: number[] = [];
  for (const q of scored) {
    const ranks = {} as Record<SearchMode, number>;
    for (const mode of modes) {
      const { results, timings } = await retriever.search(q.question, depth, mode);
      ranks[mode] = firstEvidenceRank(results.map((r) => r.passage), q.evidence);
      if (mode === 'hybrid') {
        embed.push(timings.embedMs);
        search.push(timings.searchMs);
      }
    }
    perQuestion.push({ id: q.id, lang: q.lang, kind: q.kind, ranks });
  }
  const rows: EvalRow[] = [];
  for (const mode of modes) {
    for (const group of EVAL_GROUPS) {
      const members = perQuestion.filter((p) => inGroup(p.lang, group));
      const n = members.length;
      const recall: Record<number, number> = {};
      for (const k of ks) recall[k] = n ? members.filter((m) => m.ranks[mode] > 0 && m.ranks[mode] <= k).length / n : 0;
      const mrr = n ? members.reduce((s, m) => s + (m.ranks[mode] ? 1 / m.ranks[mode] : 0), 0) / n : 0;
      rows.push({ mode, group, questions: n, recall, mrr });
    }
  }
  return { ks, rows, perQuestion, latency: latencyStats(embed, search) };
}

export function latencyStats(embedMs: number[], searchMs: number[]): LatencyStats {
  return { queries: embedMs.length, embedMs: percentiles(embedMs), searchMs: percentiles(searchMs) };
}

/** Nearest-rank percentile (p from 0 to 100) of unsorted values; 0 when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function percentiles(values: number[]): { p50: number; p95: number } {
  return { p50: round(percentile(values, 50), 3), p95: round(percentile(values, 95), 3) };
}


/** A table for people: one line per mode × language group. */
export function formatEvalTable(report: EvalReport): string {
  const head = ['mode', 'lang', 'n', ...report.ks.map((k) => `R@${k}`), 'MRR'];
  const lines = report.rows.map((r) => [r.mode, r.group, String(r.questions), ...report.ks.map((k) => r.recall[k].toFixed(2)), r.mrr.toFixed(3)]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  let last = '';
  for (const l of lines) {
    if (last && l[0] !== last) out.push('');
    out.push(fmt(l));
    last = l[0];
  }
  const { latency } = report;
  if (latency.queries) {
    out.push('', `latency over ${latency.queries} hybrid queries: embed p50 ${latency.embedMs.p50.toFixed(1)} ms, p95 ${latency.embedMs.p95.toFixed(1)} ms; search p50 ${latency.searchMs.p50.toFixed(1)} ms, p95 ${latency.searchMs.p95.toFixed(1)} ms`);
  }
  return out.join('\n');
}

/** The report for tools (`eval --json`): rows keyed for easy lookup. */
export function evalJson(report: EvalReport): object {
  return {
    ks: report.ks,
    results: Object.fromEntries(
      EVAL_MODES.map((mode) => [
        mode,
        Object.fromEntries(
          report.rows
            .filter((r) => r.mode === mode)
            .map((r) => [r.group, { questions: r.questions, ...Object.fromEntries(report.ks.map((k) => [`recall@${k}`, round(r.recall[k], 4)])), mrr: round(r.mrr, 4) }]),
        ),
      ]),
    ),
    perQuestion: report.perQuestion,
    latency: report.latency,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
