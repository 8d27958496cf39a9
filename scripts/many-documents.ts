/**
 * A folder of N generated documents for measuring builds (README, Figures): each is four paragraphs of the seed
 * corpus's own text, picked by a seeded generator, so the same N gives the same folder on every machine.
 *
 *     npx tsx scripts/many-documents.ts 1000 /tmp/many
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [countArg, outDir] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || !outDir) {
  process.stderr.write('usage: tsx scripts/many-documents.ts COUNT OUT_DIR\n');
  process.exit(2);
}
const corpus = fileURLToPath(new URL('../corpus/', import.meta.url));
const paragraphs = fs
  .readdirSync(corpus)
  .filter((f) => /\.(md|txt)$/.test(f) && !/^readme\./i.test(f))
  .flatMap((f) => fs.readFileSync(path.join(corpus, f), 'utf8').split(/\n\s*\n/))
  .map((p) => p.trim())
  .filter((p) => p.length > 40 && !p.startsWith('#'));
// mulberry32: a fixed sequence for a fixed seed
let state = 2026;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
fs.mkdirSync(outDir, { recursive: true });
for (let i = 1; i <= count; i++) {
  const body = Array.from({ length: 4 }, () => paragraphs[Math.floor(random() * paragraphs.length)]);
  fs.writeFileSync(path.join(outDir, `note-${String(i).padStart(4, '0')}.md`), `# 笔记 ${i}\n\n${body.join('\n\n')}\n`);
}
console.log(`wrote ${count} documents to ${outDir}`);
