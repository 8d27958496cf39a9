/**
 * Reading-comprehension sets in the SQuAD v1.1 layout as a Lodestone collection, and the figures that say how the
 * answer stage holds on documents nobody here chose (`lodestone eval --squad`). Pure: reading, splitting, writing
 * the temporary corpus and scoring; src/cli/squad.ts runs the questions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answer, QuestionLang } from '../core/answer.js';
import { UserInputError } from '../core/errors.js';
import { detectLang } from '../text/language.js';
import { searchKey } from '../text/searchKey.js';
import { percentile } from '../retrieval/evaluate.js';

export interface SquadArticle {
  title: string;
  paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string }[] }[] }[];
}

export type SquadPart = 'fit' | 'report' | 'all';

/** One question of the harness: its article, whether that article is in the collection, and its gold answers. */
export interface SquadQuestion {
  id: string;
  question: string;
  lang: QuestionLang;
  /** Index of the article in file order. */
  article: number;
  /** The article was left out of the collection: the right reply is a refusal. */
  nearMiss: boolean;
  /** Gold answer strings (the Chinese set's and, with --squad-questions, the parallel set's too). */
  gold: string[];
}

export interface SquadSelection {
  /** Articles that become documents, with their index in file order. */
  documents: { index: number; article: SquadArticle }[];
  questions: SquadQuestion[];
}

/** Parses a SQuAD-layout file (`data[] → {title, paragraphs[] → {context, qas[]}}`), with a clear message when it is not one. */
export function parseSquad(text: string, file: string): SquadArticle[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const data = (json as { data?: unknown }).data;
  if (!Array.isArray(data) || data.some((a) => !Array.isArray((a as SquadArticle).paragraphs))) {
    throw new UserInputError(`${file} is not in the SQuAD layout (data[] → {title, paragraphs[] → {context, qas[]}})`);
  }
  return data as SquadArticle[];
}

/**
 * The fixed split (eval/README.md): article i (file order, from 0) is in the fitting part when i is odd and in the
 * report part when it is even; within each part every `leaveOutEvery`-th article (the 6th, 12th, …) is left out
 * of the collection and its questions are near misses. Fixed by file order so every run and every session
 * measures the same questions.
 */
export function selectSquad(articles: SquadArticle[], options: { part: SquadPart; leaveOutEvery: number; parallel?: SquadArticle[] }): SquadSelection {
  const parallel = new Map<string, { question: string; answers: string[] }>();
  for (const article of options.parallel ?? []) {
    for (const p of article.paragraphs) for (const qa of p.qas) parallel.set(qa.id, { question: qa.question, answers: qa.answers.map((a) => a.text) });
  }
  // one language per set (its questions' majority script): a question with many Latin letters stays in its set's row
  const asked = articles.flatMap((a) => a.paragraphs.flatMap((p) => p.qas.map((qa) => parallel.get(qa.id)?.question ?? (options.parallel ? undefined : qa.question))));
  const lang = majorityLang(asked.filter((q): q is string => q !== undefined));
  const documents: SquadSelection['documents'] = [];
  const questions: SquadQuestion[] = [];
  const positionInPart = { fit: 0, report: 0 };
  articles.forEach((article, index) => {
    const part = index % 2 === 1 ? 'fit' : 'report';
    const position = positionInPart[part]++;
    if (options.part !== 'all' && options.part !== part) return;
    const nearMiss = options.leaveOutEvery > 0 && (position + 1) % options.leaveOutEvery === 0;
    if (!nearMiss) documents.push({ index, article });
    for (const p of article.paragraphs) {
      for (const qa of p.qas) {
        const other = parallel.get(qa.id);
        if (options.parallel && !other) continue;
        const question = other?.question ?? qa.question;
        const gold = [...new Set([...qa.answers.map((a) => a.text), ...(other?.answers ?? [])].map((g) => g.trim()).filter(Boolean))];
        questions.push({ id: qa.id, question, lang, article: index, nearMiss, gold });
      }
    }
  });
  return { documents, questions };
}

function majorityLang(questions: string[]): QuestionLang {
  const counts = new Map<QuestionLang, number>();
  for (const q of questions) {
    const lang = detectLang(q);
    counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'zh-Hans';
}

/** Document id of article `index` in the temporary collection. */
export function squadDocId(index: number): string {
  return `a${String(index).padStart(4, '0')}`;
}

/** Writes one Markdown document per article (its title as heading, its paragraphs), each with a sidecar naming its id and title. */
export function writeSquadCorpus(dir: string, documents: SquadSelection['documents']): void {
  mkdirSync(dir, { recursive: true });
  for (const { index, article } of documents) {
    const id = squadDocId(index);
    const title = article.title.trim() || id;
    const body = [`# ${title}`, ...article.paragraphs.map((p) => p.context.trim())].join('\n\n');
    writeFileSync(join(dir, `${id}.md`), `${body}\n`);
    writeFileSync(join(dir, `${id}.md.meta.json`), JSON.stringify({ id, title, kind: 'article' }));
  }
}

/** How an answer reads against the gold answers of its question. */
export interface SquadScore {
  id: string;
  lang: QuestionLang;
  nearMiss: boolean;
  supported: boolean;
  /** The first cited passage holds a gold answer (a refusal is a miss). */
  firstCitation: boolean;
  /** The lead, without [n] markers and an "In short:" prefix, holds a gold answer (a refusal is a miss). */
  lead: boolean;
  leadChars: number;
  /** A gold answer is in one of the first five passages shown (cited, then related). */
  related5: boolean;
  supportScore?: number;
  ms: number;
  /** The passage the composer cites (or would cite) first holds a gold answer, answered or not: the decision's label. */
  firstHolds: boolean;
  /** The decision's features (src/answer/decision.ts). */
  features?: Record<string, number>;
  /** While `eval --fit` collects them: every candidate sentence's ranker features and whether it holds a gold answer. */
  sentences?: { x: number[]; y: boolean }[];
  /** While `eval --fit-lead` collects them: every candidate lead span's features, whether it holds a gold answer, its length. */
  leads?: { x: number[]; y: boolean; chars: number }[];
}

/** The lead as a reader reads it: no citation markers, no "In short:" prefix. */
export function plainLead(lead: string): string {
  return lead.replace(/\s*\[\d+\]/g, '').replace(/^In short:\s*/i, '').trim();
}

/** A text holds a gold answer: script-, width- and case-insensitive, whitespace ignored. */
export function holdsGold(text: string, gold: string[]): boolean {
  const key = searchKey(text).replace(/\s+/g, '');
  return gold.some((g) => {
    const k = searchKey(g).replace(/\s+/g, '');
    return k.length > 0 && key.includes(k);
  });
}

export function scoreSquadAnswer(q: SquadQuestion, answer: Answer, passageText: (id: string) => string): SquadScore {
  const shown = [...answer.citations, ...answer.related].slice(0, 5);
  const lead = plainLead(answer.lead);
  const first = answer.citations[0];
  return {
    id: q.id,
    lang: q.lang,
    nearMiss: q.nearMiss,
    supported: answer.supported,
    firstCitation: answer.supported && first !== undefined && holdsGold(passageText(first.id), q.gold),
    lead: answer.supported && holdsGold(lead, q.gold),
    leadChars: [...lead].length,
    related5: shown.some((c) => holdsGold(passageText(c.id), q.gold)),
    supportScore: answer.supportScore,
    ms: answer.timings.totalMs,
    firstHolds: answer.decision?.firstPassageId !== undefined && holdsGold(passageText(answer.decision.firstPassageId), q.gold),
    features: answer.decision?.features,
    sentences: q.nearMiss ? undefined : answer.decision?.sentences?.map((c) => ({ x: c.x, y: holdsGold(c.text, q.gold) })),
    leads: q.nearMiss ? undefined : answer.decision?.leads?.map((c) => ({ x: c.x, y: holdsGold(c.text, q.gold), chars: [...c.text].length })),
  };
}

export interface SquadRow {
  lang: string;
  /** In-corpus questions. */
  questions: number;
  answered: number;
  firstCitation: number;
  lead: number;
  leadMedianChars: number;
  leadP90Chars: number;
  related5: number;
  nearMisses: number;
  nearMissesRefused: number;
  p50Ms: number;
}

/** Per-language rows (and 'all' when there are several languages): shares of in-corpus questions, near misses refused. */
export function summariseSquad(scores: SquadScore[]): SquadRow[] {
  const langs = [...new Set(scores.map((s) => s.lang))].sort();
  const groups: [string, SquadScore[]][] = langs.map((l) => [l, scores.filter((s) => s.lang === l)]);
  if (langs.length > 1) groups.push(['all', scores]);
  return groups.map(([lang, rows]) => {
    const inCorpus = rows.filter((s) => !s.nearMiss);
    const near = rows.filter((s) => s.nearMiss);
    const answered = inCorpus.filter((s) => s.supported);
    const share = (n: number, of: number) => (of ? n / of : 0);
    const leadChars = answered.map((s) => s.leadChars);
    return {
      lang,
      questions: inCorpus.length,
      answered: share(answered.length, inCorpus.length),
      firstCitation: share(inCorpus.filter((s) => s.firstCitation).length, inCorpus.length),
      lead: share(inCorpus.filter((s) => s.lead).length, inCorpus.length),
      leadMedianChars: leadChars.length ? percentile(leadChars, 50) : 0,
      leadP90Chars: leadChars.length ? percentile(leadChars, 90) : 0,
      related5: share(inCorpus.filter((s) => s.related5).length, inCorpus.length),
      nearMisses: near.length,
      nearMissesRefused: share(near.filter((s) => !s.supported).length, near.length),
      p50Ms: rows.length ? percentile(rows.map((s) => s.ms), 50) : 0,
    };
  });
}

/**
 * Precision–recall of answering by the support score: an answer is right when it is in the collection and its
 * first citation holds the gold; a near miss answered is wrong. For fitting the refusal threshold on these sets.
 */
export function squadThresholdCurve(scores: SquadScore[]): { threshold: number; precision: number; recall: number }[] {
  const labelled = scores.filter((s) => s.supportScore !== undefined);
  const positives = labelled.filter((s) => !s.nearMiss && s.firstCitation).length;
  const points: { threshold: number; precision: number; recall: number }[] = [];
  for (let t = 0.2; t <= 0.801; t += 0.05) {
    const over = labelled.filter((s) => (s.supportScore ?? 0) >= t);
    const right = over.filter((s) => !s.nearMiss && s.firstCitation).length;
    points.push({ threshold: Math.round(t * 100) / 100, precision: over.length ? right / over.length : 1, recall: positives ? right / positives : 0 });
  }
  return points;
}

export function formatSquadTable(rows: SquadRow[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const head = 'lang        n  answered  first cite  lead  lead chars p50/p90  related@5  near misses refused   p50 ms';
  const lines = rows.map((r) =>
    [
      r.lang.padEnd(8),
      String(r.questions).padStart(4),
      pct(r.answered).padStart(9),
      pct(r.firstCitation).padStart(11),
      pct(r.lead).padStart(5),
      `${r.leadMedianChars}/${r.leadP90Chars}`.padStart(20),
      pct(r.related5).padStart(10),
      `${pct(r.nearMissesRefused)} of ${r.nearMisses}`.padStart(20),
      r.p50Ms.toFixed(1).padStart(8),
    ].join(' '),
  );
  return [head, ...lines].join('\n');
}
