import os from 'node:os';
import type { BotFigures } from './bot-bench.js';
import type { IngestFigures } from './ingest-bench.js';
import type { QueryFigures } from './query-bench.js';
import type { PgvectorRow } from './scale-pgvector.js';
import type { BaselineRow, ScaleRow } from './scale.js';
import type { LatencySummary } from './stats.js';

export interface FullIndexFigures {
  n: number;
  writeSeconds?: number;
  loadSeconds?: number;
  diskMb?: number;
  /** Peak RSS of the process that built, wrote and loaded it (its passages and vectors included). */
  peakRssMb?: number;
  skipped?: string;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

/** Everything one bench run measured; the `--json` output. Parts that could not run say why in `skipped`. */
export interface BenchResult {
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string };
  command: string;
  startedAt: string;
  ingest?: IngestFigures;
  query?: QueryFigures;
  scale: ScaleRow[];
  /** The whole index (passages, vectors, HNSW, BM25) written and loaded through src/index/store.ts. */
  fullIndex: FullIndexFigures[];
  /** The same vectors searched inside PostgreSQL by pgvector (`--backend pgvector`). */
  pgvector?: PgvectorRow[];
  baselines: BaselineRow[];
  /** Lodestone ÷ other, per n: below 1 means Lodestone is faster. */
  ratios: { n: number; other: string; buildRatio: number; queryP50Ratio: number; ownRecall: number; otherRecall: number; sameEf: boolean }[];
  bot: BotFigures[];
  /** Where the scale bench's base vectors came from. */
  vectorSource?: string;
  targets: TargetCheck[];
  skipped: Record<string, string>;
}

export function describeMachine(): BenchResult['machine'] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

export function baselineRatios(baselines: BaselineRow[]): BenchResult['ratios'] {
  const out: BenchResult['ratios'] = [];
  for (const n of [...new Set(baselines.map((b) => b.n))]) {
    const atN = baselines.filter((b) => b.n === n);
    const own = atN.find((b) => b.name.startsWith('lodestone'));
    if (!own) continue;
    for (const other of atN.filter((b) => b !== own)) {
      out.push({
        n,
        other: other.name,
        buildRatio: other.buildSeconds > 0 ? round2(own.buildSeconds / other.buildSeconds) : Number.NaN,
        queryP50Ratio: other.queryP50Ms > 0 ? round2(own.queryP50Ms / other.queryP50Ms) : Number.NaN,
        ownRecall: own.recallAt10,
        otherRecall: other.recallAt10,
        sameEf: other.ef !== undefined && other.ef === own.ef,
      });
    }
  }
  return out;
}

/** The targets against what was measured (null: not measured in this run). */
export function checkTargets(r: BenchResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (target: string, value: number | undefined, limit: number, unit: string, lowerIsBetter = true) =>
    checks.push({
      target,
      measured: value === undefined || Number.isNaN(value) ? 'not measured' : `${value} ${unit}`,
      met: value === undefined || Number.isNaN(value) ? null : lowerIsBetter ? value <= limit : value >= limit,
    });
  add('ask p95 ≤ 20 ms warm', r.query?.warm.p95Ms, 20, 'ms');
  add('cold first answer ≤ 1 s (fresh `npx lodestone ask`, built index, median)', r.query?.coldFirstAnswerMs, 1000, 'ms');
  add('`lodestone --help` ≤ 0.3 s (fresh process, median)', r.query?.helpMs, 300, 'ms');
  const at100k = r.scale.filter((s) => s.n === 100_000);
  const best = at100k.filter((s) => s.recallAt10 >= 0.98).sort((a, b) => a.searchP95Ms - b.searchP95Ms)[0];
  add('HNSW recall@10 ≥ 0.98 at 100k (best ef)', at100k.length ? Math.max(...at100k.map((s) => s.recallAt10)) : undefined, 0.98, '', false);
  add('search p95 ≤ 2 ms at 100k (at an ef with recall ≥ 0.98)', best?.searchP95Ms, 2, 'ms');
  add('HNSW index load ≤ 1 s at 100k', at100k[0]?.loadSeconds, 1, 's');
  const full100k = r.fullIndex.find((f) => f.n === 100_000);
  add('whole index load (passage ids, vectors, HNSW, BM25, every file checksummed) ≤ 1 s at 100k', full100k?.loadSeconds, 1, 's');
  for (const ratio of r.ratios.filter((x) => x.other.startsWith('langchain'))) {
    // build: same graph parameters either way; query: compared at equal ef (equal work, equal recall), the
    // defaults row is shown for information (LangChain's ef 10 buys speed with recall)
    const recalls = `recall ${ratio.ownRecall} vs ${ratio.otherRecall}`;
    if (ratio.sameEf) {
      add(`query p50 ≤ ${ratio.other} at ${ratio.n} (Lodestone ÷ LangChain, ${recalls})`, ratio.queryP50Ratio, 1, '×');
      add(`build time ≤ LangChain HNSWLib at ${ratio.n} (Lodestone ÷ LangChain)`, ratio.buildRatio, 1, '×');
    } else {
      checks.push({ target: `(info) query p50 vs ${ratio.other} at ${ratio.n} (${recalls})`, measured: `${ratio.queryP50Ratio} ×`, met: null });
    }
  }
  add('corpus ingest ≤ 10 s', r.ingest?.seconds, 10, 's');
  add('50 concurrent /ask acknowledged, p95 < 3 s', r.bot.find((b) => b.concurrency === 50)?.ackP95Ms, 2999, 'ms');
  return checks;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A plain aligned text table (also valid Markdown). */
export function table(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined ? '' : typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

function formatNumber(x: number): string {
  if (Number.isNaN(x)) return '–';
  return String(x);
}

function latencyRows(stages: Record<string, LatencySummary>): (string | number)[][] {
  return Object.entries(stages).map(([name, s]) => [name, s.p50Ms, s.p95Ms, s.p99Ms]);
}

/** The readable report: printed by `lodestone bench` and written to bench/RESULTS.md. */
export function renderReport(r: BenchResult): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`# Lodestone benchmarks`, '', `Measured ${r.startedAt} with \`${r.command}\` on ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Node ${m.node}, ${m.platform}.`, '');
  out.push('## Ingest');
  if (r.ingest) {
    const i = r.ingest;
    out.push(
      `${i.documents} documents → ${i.passages} passages in ${i.seconds} s (${i.passagesPerSecond} passages/s), peak RSS ${i.peakRssMb} MB, index ${i.indexMb} MB, model ${i.model}.`,
      '',
      table(['stage', 'seconds'], Object.entries(i.stageSeconds).map(([k, v]) => [k, v])),
    );
    if (i.formats?.length) {
      out.push(
        '',
        'Per format (load, convert, clean and chunk one file, no embedding; median of 3 warm runs; the PDF, web page and Word file are the largest document rewritten in that format):',
        '',
        table(['format', 'MB', 'passages', 'seconds', 'ms per MB'], i.formats.map((f) => [f.format, f.mb, f.passages, f.seconds, f.msPerMb])),
      );
    }
  } else out.push(`skipped: ${r.skipped.ingest ?? 'not run'}`);
  out.push('', '## Query latency (ms)');
  if (r.query) {
    const q = r.query;
    out.push(
      `${q.questions} questions (dev set cycled and varied). Warm ask: p50 ${q.warm.p50Ms}, p95 ${q.warm.p95Ms}, p99 ${q.warm.p99Ms}.`,
      `Cold first answer (fresh \`npx lodestone ask --json\` process, built CLI and index, ${q.coldRunsMs.length} runs): median ${q.coldFirstAnswerMs} ms, p95 ${q.coldFirstAnswerP95Ms} ms (runs: ${q.coldRunsMs.join(', ')}); in-process createLibrarian + first ask: ${q.coldInProcessMs} ms.`,
      `Start-up (fresh \`npx lodestone --help\` process, ${q.helpRunsMs.length} runs): median ${q.helpMs} ms, p95 ${q.helpP95Ms} ms.`,
      `Without npx, the bin alone (node dist/cli/main.js, as \`npm link\` or a global install runs it): --help median ${q.bin.help.medianMs} ms, p95 ${q.bin.help.p95Ms} ms; cold ask median ${q.bin.coldAsk.medianMs} ms, p95 ${q.bin.coldAsk.p95Ms} ms.`,
      '',
      table(['stage', 'p50', 'p95', 'p99'], latencyRows(q.stages)),
    );
  } else out.push(`skipped: ${r.skipped.query ?? 'not run'}`);
  out.push('', '## Scale (Lodestone DenseIndex, HNSW M=16, efConstruction=200; recall@10 against exact search)');
  if (r.vectorSource) out.push(`Vectors: ${r.vectorSource}`, '');
  if (r.scale.length) {
    out.push(
      table(
        ['n', 'vectors', 'dims', 'build s', 'load s', 'disk MB', 'RSS MB', 'index RSS MB', 'ef', 'search p50 ms', 'search p95 ms', 'recall@10'],
        r.scale.map((s) => [s.n, s.vectors, s.dims, s.buildSeconds, s.loadSeconds, s.diskMb, s.rssMb, s.indexRssMb, s.ef, s.searchP50Ms, s.searchP95Ms, s.recallAt10]),
      ),
    );
    if (r.fullIndex.length) {
      out.push('', 'Whole index through src/index/store.ts (every file read and checksummed; passage ids indexed, each passage parsed when first used):', '');
      out.push(table(['n', 'write s', 'load s', 'disk MB', 'peak RSS MB', 'note'], r.fullIndex.map((f) => [f.n, f.writeSeconds, f.loadSeconds, f.diskMb, f.peakRssMb, f.skipped])));
    }
    if (r.pgvector?.length) {
      out.push('', 'pgvector, the same vectors and queries (HNSW m 16, ef_construction 200, vector_cosine_ops; build = insert + index; * = the ef_search ingest would choose):', '');
      out.push(
        table(
          ['backend', 'n', 'build s', 'insert s', 'index s', 'ef_search', 'search p50 ms', 'search p95 ms', 'recall@10'],
          r.pgvector.map((p) => [p.name, p.n, p.buildSeconds, p.insertSeconds, p.indexSeconds, `${p.ef}${p.tuned ? '*' : ''}`, p.searchP50Ms, p.searchP95Ms, p.recallAt10]),
        ),
      );
    }
    const growth = growthLines(r.scale);
    if (growth.length) out.push('', 'Growth with N (ef 64):', ...growth.map((g) => `- ${g}`));
  } else out.push(`skipped: ${r.skipped.scale ?? 'not run'}`);
  out.push('', '## Baselines (same passages, same vectors, same queries)');
  if (r.baselines.length) {
    out.push(table(['name', 'n', 'build s', 'query p50 ms', 'query p95 ms', 'recall@10'], r.baselines.map((b) => [b.name, b.n, b.buildSeconds, b.queryP50Ms, b.queryP95Ms, b.recallAt10])));
    out.push('', table(['n', 'Lodestone ÷', 'build', 'query p50', 'recall@10 (Lodestone / other)'], r.ratios.map((x) => [x.n, x.other, x.buildRatio, x.queryP50Ratio, `${x.ownRecall} / ${x.otherRecall}`])));
  } else out.push(`skipped: ${r.skipped.baselines ?? 'not run'}`);
  out.push('', '## Bot (local Discord-compatible server, concurrent /ask from distinct users, ms)');
  if (r.bot.length) {
    out.push(table(['concurrency', 'ack p95', 'ack max', 'reply p50', 'reply p95', 'failed'], r.bot.map((b) => [b.concurrency, b.ackP95Ms, b.ackMaxMs, b.replyP50Ms, b.replyP95Ms, b.failed])));
  } else out.push(`skipped: ${r.skipped.bot ?? 'not run'}`);
  out.push('', '## Targets');
  out.push(table(['target', 'measured', 'met'], r.targets.map((t) => [t.target, t.measured, t.met === null ? '–' : t.met ? 'yes' : 'NO'])));
  const skipped = Object.entries(r.skipped);
  if (skipped.length) out.push('', '## Skipped', ...skipped.map(([part, why]) => `- ${part}: skipped: ${why}`));
  return out.join('\n') + '\n';
}

/** How build time, memory and latency grow between consecutive sizes (exponent of N). */
function growthLines(scale: ScaleRow[]): string[] {
  const rows = scale.filter((s) => s.ef === 64).sort((a, b) => a.n - b.n);
  const lines: string[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    const f = b.n / a.n;
    const exp = (x: number, y: number) => (x > 0 && y > 0 ? round2(Math.log(y / x) / Math.log(f)) : Number.NaN);
    lines.push(
      `${a.n} → ${b.n} (×${round2(f)}): build ×${round2(b.buildSeconds / a.buildSeconds)} (N^${exp(a.buildSeconds, b.buildSeconds)}), disk ×${round2(b.diskMb / a.diskMb)}, index RSS ×${round2(b.indexRssMb / Math.max(a.indexRssMb, 0.1))}, load ×${round2(b.loadSeconds / Math.max(a.loadSeconds, 1e-3))}, search p50 ×${round2(b.searchP50Ms / a.searchP50Ms)} (N^${exp(a.searchP50Ms, b.searchP50Ms)})`,
    );
  }
  return lines;
}
