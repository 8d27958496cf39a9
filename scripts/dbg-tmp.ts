import { readFileSync } from 'node:fs';
import { createLibrarian } from '../src/service/librarian.js';
const [corpus, index, set, filter] = process.argv.slice(2);
const lib = await createLibrarian({ corpusDir: corpus, indexDir: index, composer: null, model: 'corpus' });
for (const line of readFileSync(set, 'utf8').split('\n').filter(Boolean)) {
  const q = JSON.parse(line);
  if (filter && !new RegExp(filter).test(q.id + ' ' + q.lang + ' ' + q.kind)) continue;
  const a = await lib.ask(q.question);
  const first = a.decision?.firstPassageId ? lib.passage(a.decision.firstPassageId)?.text ?? '' : '';
  const holds = q.evidence.some((e: string) => first.replace(/\s+/g, '').includes(e.replace(/\s+/g, '')));
  console.log(q.id, q.kind, q.question, '→', a.supported, (a.decision?.probability ?? 0).toFixed(3), 'firstHolds', holds, '|', a.lead.slice(0, 50));
  console.log('   ', Object.entries(a.decision?.features ?? {}).map(([k, v]) => `${k}=${(v as number).toFixed(2)}`).join(' '));
}
await lib.close();
