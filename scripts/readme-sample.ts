/**
 * The README's sample answers are real output: each block that starts with `$ npx lodestone ask "…"` holds what
 * `ask` prints for that question on the shipped corpus (extractive composer, corpus model). `npm run
 * readme:sample` rewrites the blocks; tests/repo/readme-sample.test.ts fails when one has drifted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer } from '../src/core/answer.js';

/** A sample block: the command line, then the output up to the closing fence. */
export const SAMPLE_BLOCK = /```\n\$ npx lodestone ask "([^"\n]+)"\n([\s\S]*?)```/g;

/** What `ask` prints, its timing line written as "… ms" (the one part that changes from run to run). */
export function sampleOutput(answer: Pick<Answer, 'text' | 'composer' | 'note'>): string {
  const lines = [answer.text];
  if (answer.note) lines.push('', `(${answer.note})`);
  lines.push('', `— ${answer.composer}, … ms`);
  return `${lines.join('\n')}\n`;
}

export function sampleQuestions(readme: string): { question: string; output: string }[] {
  return [...readme.matchAll(SAMPLE_BLOCK)].map((m) => ({ question: m[1], output: m[2] }));
}

export async function rewriteSamples(readme: string, answer: (question: string) => Promise<string>): Promise<string> {
  let out = readme;
  for (const { question, output } of sampleQuestions(readme)) {
    const head = `\`\`\`\n$ npx lodestone ask "${question}"\n`;
    out = out.replace(`${head}${output}\`\`\``, `${head}${await answer(question)}\`\`\``);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { createLibrarian } = await import('../src/service/librarian.js');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const librarian = await createLibrarian({ corpusDir: path.join(root, 'corpus'), indexDir: path.join(root, 'index'), model: 'corpus', composer: null });
  const file = path.join(root, 'README.md');
  const readme = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, await rewriteSamples(readme, async (q) => sampleOutput(await librarian.ask(q))));
  await librarian.close();
  console.log(`README.md: ${sampleQuestions(readme).length} sample answer(s) regenerated`);
}
