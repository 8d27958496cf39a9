import { describe, expect, it } from 'vitest';
import type { LibrarianService } from '../../src/service/librarian.js';
import { UserInputError } from '../../src/core/errors.js';
import { withLibrarian } from '../support/workspace.js';

let librarian: LibrarianService;
withLibrarian('librarian', (l) => (librarian = l));

describe('what the corpus cannot answer', () => {
  it.each([
    ['What is the capital of France?', 'en'],
    ['How many people live in Tokyo?', 'en'],
    ['2022年世界杯冠军是谁？', 'zh-Hans'],
    ['法國的首都是哪裡？', 'zh-Hant'],
  ])('“%s” is not answered from passages that merely share a name or a number', async (question, lang) => {
    const answer = await librarian.ask(question);
    expect(answer.lang).toBe(lang);
    expect(answer.supported).toBe(false);
    expect(answer.citations).toEqual([]);
    expect(answer.related.length).toBeGreaterThan(0);
  });

  it('still answers an English question whose words the glossary bridges into the Chinese text', async () => {
    const answer = await librarian.ask('What tariffs did the US put on Chinese solar cells?');
    expect(answer.supported).toBe(true);
    expect(answer.citations.map((c) => c.text).join('')).toMatch(/关税/);
  });
});

describe('bad input never reaches retrieval', () => {
  it.each(['', '   ', '🙂🙂🙂', 'https://example.com/x', 'x'.repeat(2001)])('%j is refused with a clear message', async (question) => {
    await expect(librarian.ask(question)).rejects.toBeInstanceOf(UserInputError);
  });
});

describe('a question that names its source', () => {
  it('“the web article” and “the paper” each bring their own document’s passage to the top', async () => {
    const web = await librarian.search('What does the web article say about the Defense Production Act?', 3);
    const paper = await librarian.search('What does the paper say about the Defense Production Act?', 3);
    expect(web[0].passage.docId).toBe('jxw2025');
    expect(paper[0].passage.docId).toBe('zhou2024');
  });
});
