import { evalJson, formatEvalTable, evaluateRetrieval, parseQuestionSet, percentile } from '../retrieval/evaluate.js';
import { askAndScore, containsEvidence, summariseAnswers, thresholdCurve, type AnswerScore, type EvalQuestion } from '../service/evaluate-answers.js';
import type { PassageVote } from '../retrieval/feedbackBoost.js';
import type { LibrarianService } from '../service/librarian.js';
import { openLibrarian } from './open.js';
import type { Dirs } from './options.js';

/**
 * One simulated reader's 👍/👎 per question of a set, as the bot stores it: on the passages the answer listed,
 * 👍 when it is supported and cites the evidence, else 👎.
 */
async function simulatedVotes(librarian: LibrarianService, questions: EvalQuestion[]): Promise<PassageVote[]> {
  const votes: PassageVote[] = [];
  for (const q of questions.filter((x) => x.kind !== 'none' && x.evidence.length > 0)) {
    const answer = await librarian.ask(q.question);
    const listed = answer.supported && answer.citations.length ? answer.citations : answer.related;
    const right = answer.supported && listed.some((c) => containsEvidence(librarian.passage(c.id)?.text ?? c.text, q.evidence));
    votes.push({ question: q.question, passageIds: listed.map((c) => c.id), value: right ? 1 : -1, voter: 'eval' });
  }
  return votes;
}

/** `lodestone eval`: retrieval rows (dense / lexical / hybrid per language), and with --answers the answer figures. */
export async function runEval(dirs: Dirs, setText: string, options: { json?: boolean; answers?: boolean; expand: boolean; feedbackFrom?: string }): Promise<void> {
  const questions = parseQuestionSet(setText) as EvalQuestion[];
  const librarian = await openLibrarian(dirs);
  let votes: PassageVote[] | undefined;
  if (options.feedbackFrom !== undefined) {
    votes = await simulatedVotes(librarian, parseQuestionSet(options.feedbackFrom) as EvalQuestion[]);
    const simulated = votes;
    librarian.useFeedback({ votes: () => Promise.resolve(simulated) });
  }
  const retrieval = await evaluateRetrieval(librarian.searcher({ expand: options.expand }), questions);

  let answers: { scores: AnswerScore[]; rows: ReturnType<typeof summariseAnswers>; p50Ms: number; p95Ms: number; maxChars: number; termLookup: { questions: number; hits: number } } | undefined;
  if (options.answers) {
    const scores = await askAndScore(librarian, questions);
    // `term` questions are glossary lookups too: does the first entry's citations hold the evidence?
    const termQuestions = questions.filter((q) => q.kind === 'term');
    const hits = termQuestions.filter((q) => {
      const entry = librarian.term(q.question).entries[0];
      return entry?.citations.some((c) => containsEvidence(librarian.passage(c.id)?.text ?? c.text, q.evidence)) ?? false;
    }).length;
    const ms = scores.map((s) => s.totalMs);
    answers = {
      scores,
      rows: summariseAnswers(scores),
      p50Ms: percentile(ms, 50),
      p95Ms: percentile(ms, 95),
      maxChars: Math.max(...scores.map((s) => s.bodyChars)),
      termLookup: { questions: termQuestions.length, hits },
    };
  }

  if (options.json) {
    const feedback = votes ? { feedback: { votes: votes.length, up: votes.filter((v) => v.value > 0).length } } : {};
    console.log(JSON.stringify({ expand: options.expand, ...feedback, retrieval: evalJson(retrieval), ...(answers ? { answers } : {}) }));
    return;
  }
  const withVotes = votes ? `, with ${votes.length} simulated votes (${votes.filter((v) => v.value > 0).length} 👍)` : '';
  console.log(`retrieval${options.expand ? '' : ' (no glossary expansion)'} — ${questions.length} questions${withVotes}`);
  console.log(formatEvalTable(retrieval));
  if (answers) {
    console.log('\nanswers');
    console.log('group          n  good (proxy)  cites evidence  all keywords  support right  lead states  median quotes  wrongly refused  wrongly answered');
    for (const r of answers.rows) {
      if (r.questions === 0) continue;
      const none = r.group.startsWith('none');
      console.log(
        `${r.group.padEnd(12)} ${String(r.questions).padStart(3)}  ${pct(r.good).padStart(12)}  ${(none ? 'n/a' : pct(r.citesEvidence)).padStart(14)}  ${pct(r.allKeywords).padStart(12)}  ${pct(r.supportCorrect).padStart(13)}  ${(none ? 'n/a' : pct(r.leadStatesAnswer)).padStart(11)}  ${(none ? 'n/a' : String(r.medianQuotes)).padStart(13)}  ${(none ? 'n/a' : pct(r.wronglyRefused)).padStart(15)}  ${(none ? pct(r.wronglyAnswered) : 'n/a').padStart(16)}`,
      );
    }
    for (const [name, test] of [['zh', (s: AnswerScore) => s.lang !== 'en'], ['en', (s: AnswerScore) => s.lang === 'en']] as const) {
      const curve = thresholdCurve(answers.scores.filter(test));
      const line = curve.points.map((p) => `${p.threshold.toFixed(2)}:${pct(p.precision)}/${pct(p.recall)}`).join(' ');
      console.log(`support threshold ${name} (precision/recall of answering): ${line}`);
      console.log(`  chosen ${name}: ${curve.chosen ? `${curve.chosen.threshold} (precision ${pct(curve.chosen.precision)}, recall ${pct(curve.chosen.recall)})` : 'none reaches precision 100%'}`);
    }
    console.log(`term lookup: ${answers.termLookup.hits}/${answers.termLookup.questions} term questions return an entry whose citations hold the evidence`);
    console.log(`ask latency p50 ${answers.p50Ms.toFixed(1)} ms, p95 ${answers.p95Ms.toFixed(1)} ms; longest answer ${answers.maxChars} characters`);
    const misses = answers.scores.filter((s) => (s.kind !== 'none' && !s.citesEvidence) || !s.supportCorrect).map((s) => s.id);
    if (misses.length) console.log(`questions missed: ${misses.join(', ')}`);
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}
