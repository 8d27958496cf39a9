/**
 * What the corpus lacks, from the questions it could not answer well (the bot's /report): each question's
 * topic terms and the terms no passage contains, and the questions grouped by the topic they share.
 */
import { COMMON_ENGLISH, contentTerms } from '../text/segment.js';

export interface QuestionGaps {
  question: string;
  /** What the question is about that the corpus does hold: its rarest corpus terms (glossary forms included), rarest first. */
  topics: string[];
  /** Terms of the question that no passage contains and no glossary entry bridges: what to add. */
  missing: string[];
}

/** The index and glossary lookups the analysis needs (the librarian's current generation). */
export interface GapLookups {
  /** Words of a question the corpus cannot contain (the composer's "uncovered" words). */
  absent(question: string): Promise<string[]>;
  /** The curated glossary forms a question expands to (for an English question, its Chinese terms). */
  expansion(question: string): string[];
  documentFrequency(term: string): Promise<number>;
}

const TOPICS_PER_QUESTION = 3;

/** A term worth naming a topic after: not a single Latin letter or a common English word, not a bare number. */
function topicWorthy(term: string): boolean {
  if (/^\d+(?:\.\d+)?%?$/.test(term)) return false;
  if (HAN_CHAR.test(term)) return false;
  return !/^[a-z]+$/.test(term) || (term.length >= 3 && !COMMON_ENGLISH.has(term));
}

/** Question words the corpus need not contain (什么时候 is not a gap). */
const QUESTION_WORD = /^(?:什么|什麼|为什么|為什麼|怎么|怎麼|怎样|怎樣|哪|多少|几|幾|如何|是否|吗|嗎|呢)/;

const HAN_CHAR = /^\p{Script=Han}$/u;
const LATIN = /^[a-z0-9]/;

export async function questionGaps(question: string, lookups: GapLookups): Promise<QuestionGaps> {
  const own = [...contentTerms(question)];
  // a one-character word (钨, 镓) the index has never seen is a gap too; the composer's absent words start at two
  const singles = own.filter((t) => HAN_CHAR.test(t));
  const singleCounts = await Promise.all(singles.map((t) => lookups.documentFrequency(t)));
  const missing = [...new Set([...(await lookups.absent(question)), ...singles.filter((_, i) => singleCounts[i] === 0)])].filter((t) => !QUESTION_WORD.test(t));
  const candidates = [...new Set([...own, ...lookups.expansion(question).flatMap((form) => [...contentTerms(form)])])].filter((t) => topicWorthy(t) && !missing.includes(t));
  // an English question's Chinese terms name its topic better than its English words, rare in a Chinese corpus
  const han = candidates.filter((t) => !LATIN.test(t));
  const named = han.length ? han : candidates;
  const frequencies = await Promise.all(named.map((t) => lookups.documentFrequency(t)));
  const topics = named
    .map((term, i) => ({ term, df: frequencies[i] }))
    .filter((t) => t.df > 0)
    .sort((a, b) => a.df - b.df || b.term.length - a.term.length)
    .slice(0, TOPICS_PER_QUESTION)
    .map((t) => t.term);
  return { question, topics, missing };
}

export interface TopicGroup<T> {
  /** The term the group's questions share ('' for questions with none). */
  topic: string;
  items: T[];
}

/**
 * Questions grouped by a shared term: each goes to the candidate (its missing terms first, then its topics) that
 * the most questions have in common, ties to the earlier candidate. Largest groups first; the rest (no term at
 * all) last.
 */
export function groupByTopic<T extends { topics: string[]; missing: string[] }>(items: T[]): TopicGroup<T>[] {
  const counts = new Map<string, number>();
  for (const item of items) for (const term of new Set([...item.missing, ...item.topics])) counts.set(term, (counts.get(term) ?? 0) + 1);
  const groups = new Map<string, T[]>();
  for (const item of items) {
    let topic = '';
    let best = 0;
    for (const term of [...item.missing, ...item.topics]) {
      const n = counts.get(term) ?? 0;
      if (n > best) [topic, best] = [term, n];
    }
    groups.set(topic, [...(groups.get(topic) ?? []), item]);
  }
  return [...groups.entries()]
    .map(([topic, members]) => ({ topic, items: members }))
    .sort((a, b) => Number(a.topic === '') - Number(b.topic === '') || b.items.length - a.items.length);
}

/** Missing terms over all questions, most often missing first. */
export function missingTerms(items: { missing: string[] }[]): { term: string; questions: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) for (const term of new Set(item.missing)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return [...counts.entries()].map(([term, questions]) => ({ term, questions })).sort((a, b) => b.questions - a.questions || a.term.localeCompare(b.term));
}
