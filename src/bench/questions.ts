import { existsSync, readFileSync } from 'node:fs';
import { toSimplified, toTraditional } from '../text/searchKey.js';
import { seededRandom } from './synthetic.js';

/** Used only when the dev question set is not beside the repo: a few questions in each script. */
const FALLBACK_QUESTIONS = [
  '美国在关键矿物领域对华采取了哪些脱钩措施？',
  '什么是选择性脱钩？',
  '友岸外包是什麼意思？',
  'Which critical minerals does the US import most from China?',
  '绿色产业链的脱钩体现在哪些方面？',
];

/** The dev questions' text (every kind: asks, term look-ups and unanswerable ones). */
export function loadQuestions(file: string | undefined): string[] {
  if (!file || !existsSync(file)) return FALLBACK_QUESTIONS;
  const questions = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { question?: string }).question ?? '')
    .filter((q) => q.trim().length > 1);
  return questions.length ? questions : FALLBACK_QUESTIONS;
}

/**
 * `count` questions cycled from `seed` questions and varied the way people vary them (other script,
 * politeness prefix, trailing clause dropped, two questions run together), so repeated questions do not
 * all hit the same cached path. Deterministic for a given seed.
 */
export function variedQuestions(seedQuestions: readonly string[], count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const q = seedQuestions[i % seedQuestions.length];
    const round = Math.floor(i / seedQuestions.length);
    out.push(round === 0 ? q : vary(q, seedQuestions, round, random));
  }
  return out;
}

function vary(q: string, all: readonly string[], round: number, random: () => number): string {
  const latin = /^[\x00-\x7f]*$/.test(q);
  switch (round % 5) {
    case 1:
      return latin ? `Could you tell me: ${q}` : toTraditional(q);
    case 2:
      return latin ? q.toLowerCase() : toSimplified(q);
    case 3: {
      const clauses = q.split(/(?<=[，,？?；;])/);
      return clauses.length > 1 ? clauses.slice(0, -1).join('').replace(/[，,；;]$/, '？') : `${latin ? 'Please: ' : '请问'}${q}`;
    }
    case 4: {
      const other = all[Math.floor(random() * all.length)];
      return `${q} ${other}`.slice(0, 400);
    }
    default:
      return latin ? `${q} (again)` : `请问，${q}`;
  }
}
