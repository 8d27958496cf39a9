/**
 * Dev-set figures for the answer room, before the CLI exists:
 *   npx tsx scripts/eval-answers.ts [--verbose]
 * Uses the test fixture passages and BM25 ranking (tests/answer/corpus-fixture.ts), so figures measure the
 * composer, not the real retriever. Prints per-question evidence/keyword/support results and the signals
 * used to calibrate SUPPORT_MIN_COVERAGE.
 */
import { readFileSync } from 'node:fs';
import { composeExtractive, lastSupportSignals, ANSWER_MAX_CHARS } from '../src/answer/extractive.js';
import { detectLang } from '../src/text/language.js';
import { fixtureFromPassages, loadFixtureCorpus } from '../tests/answer/corpus-fixture.js';

const verbose = process.argv.includes('--verbose');
const corpus = loadFixtureCorpus();
// --real: the chunker's passages (src/chunking/build.ts) instead of the fixture's, same BM25 ranking.
if (process.argv.includes('--real')) {
  const { buildPassages } = await import('../src/chunking/build.js');
  const built = await buildPassages('/work/shared/corpus');
  const real = fixtureFromPassages(built.passages, new Map(built.documents.map((d) => [d.id, d.title])));
  Object.assign(corpus, real);
}
const questions = readFileSync('/work/shared/eval/dev.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const squash = (t: string) => t.replace(/\s+/g, '');
const rows: string[] = [];
let zhAsk = 0, zhEvidence = 0, zhKeywords = 0, noneOk = 0, noneTotal = 0, overCap = 0;
const times: number[] = [];
for (const q of questions) {
  const lang = detectLang(q.question);
  const t0 = performance.now();
  const results = corpus.search(q.question, 8);
  const answer = await composeExtractive({ question: q.question, lang, results, passageById: (id) => corpus.byId.get(id), titleOf: (d) => corpus.titles.get(d) ?? d });
  times.push(performance.now() - t0);
  const cited = answer.citations.map((c) => squash(corpus.byId.get(c.id)?.text ?? ''));
  const evidence = q.evidence.length > 0 && cited.some((t: string) => q.evidence.some((e: string) => t.includes(squash(e))));
  const keywords = q.answer_keywords.every((k: string) => squash(answer.text).includes(squash(k)));
  if ([...answer.text].length > ANSWER_MAX_CHARS) overCap++;
  if (q.kind === 'ask' && q.lang !== 'en') {
    zhAsk++;
    if (evidence) zhEvidence++;
    if (keywords) zhKeywords++;
  }
  if (q.kind === 'none') {
    noneTotal++;
    if (!answer.supported) noneOk++;
  }
  const s = lastSupportSignals!;
  rows.push(`${q.id} ${q.kind.padEnd(4)} ${q.lang.padEnd(7)} sup=${answer.supported ? 1 : 0} ev=${evidence ? 1 : 0} kw=${keywords ? 1 : 0} cov=${s.coverage.toFixed(2)} best=${s.bestRelevance.toFixed(2)} missing=${s.missingNames.join(',')} len=${[...answer.text].length}`);
  if (verbose) rows.push(answer.text, '');
}
console.log(rows.join('\n'));
times.sort((a, b) => a - b);
console.log(`zh ask: evidence ${zhEvidence}/${zhAsk}, keywords ${zhKeywords}/${zhAsk}; none unsupported ${noneOk}/${noneTotal}; over cap ${overCap}; search+compose median ${times[Math.floor(times.length / 2)].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
