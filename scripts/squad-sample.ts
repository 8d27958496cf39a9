/**
 * The committed samples of the external reading-comprehension sets' fitting parts (tests/fixtures/external/),
 * which `npm test` asks without ../shared. Reproducible: the first fitting-part articles (odd index, file order)
 * with at most `perArticle` questions each, until about 100 questions. Run: `npx tsx scripts/squad-sample.ts`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import type { SquadArticle } from '../src/service/squad.js';

const FROM = '../shared/eval/external';
const TO = 'tests/fixtures/external';

function sample(file: string, perArticle: number, maxQuestions = 100, ids?: Set<string>): { articles: SquadArticle[]; ids: Set<string> } {
  const data = (JSON.parse(readFileSync(`${FROM}/${file}`, 'utf8')) as { data: SquadArticle[] }).data;
  const articles: SquadArticle[] = [];
  const kept = new Set<string>();
  for (const [index, article] of data.entries()) {
    if (index % 2 === 0) continue;
    let left = perArticle;
    const paragraphs = article.paragraphs.map((p) => ({
      context: p.context,
      qas: p.qas.filter((qa) => (ids ? ids.has(qa.id) : left-- > 0)).map((qa) => ({ id: qa.id, question: qa.question, answers: qa.answers.map((a) => ({ text: a.text })) })),
    }));
    const count = paragraphs.reduce((n, p) => n + p.qas.length, 0);
    if (!ids && kept.size + count > maxQuestions) break;
    paragraphs.forEach((p) => p.qas.forEach((qa) => kept.add(qa.id)));
    if (ids && !paragraphs.some((p) => p.qas.length)) continue;
    articles.push({ title: article.title, paragraphs });
  }
  return { articles, ids: kept };
}

mkdirSync(TO, { recursive: true });
const write = (name: string, articles: SquadArticle[]) => writeFileSync(`${TO}/${name}`, `${JSON.stringify({ version: 'fitting-part sample', data: articles })}\n`);
write('cmrc2018-fit-sample.json', sample('cmrc2018-dev.json', 4, 96).articles);
write('drcd-fit-sample.json', sample('drcd-dev.json', 4, 96).articles);
const zh = sample('xquad-dev.zh.json', 12, 96);
write('xquad-fit-sample.zh.json', zh.articles);
write('xquad-fit-sample.en.json', sample('xquad-dev.en.json', 0, 0, zh.ids).articles);
