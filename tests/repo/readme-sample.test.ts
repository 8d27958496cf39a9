/** The README's sample answers are what `ask` prints today (regenerate with `npm run readme:sample`). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LibrarianService } from '../../src/service/librarian.js';
import { sampleOutput, sampleQuestions } from '../../scripts/readme-sample.js';
import { withLibrarian } from '../support/workspace.js';

let librarian: LibrarianService;
withLibrarian('readme-sample', (l) => (librarian = l));

const readme = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README sample answers', () => {
  it('has samples in Chinese and English', () => {
    const samples = sampleQuestions(readme);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.some((s) => /^[\x20-\x7e]+$/.test(s.question))).toBe(true);
  });

  it.each(sampleQuestions(readme).map((s) => [s.question, s.output]))('"%s" shows the real output', async (question, output) => {
    expect(output).toBe(sampleOutput(await librarian.ask(question)));
  });
});
