import { describe, expect, it } from 'vitest';
import { validateQuestion } from '../../src/answer/validateQuestion.js';
import { UserInputError } from '../../src/core/errors.js';

describe('validateQuestion', () => {
  it.each([
    ['empty', ''],
    ['whitespace', ' \t\n　 '],
    ['too long', '美'.repeat(2001)],
    ['only emoji', '🤔🤔🔥'],
    ['only a URL', 'https://example.com/some/page?x=1'],
    ['only control characters', '\u0000\u0007\u001b'],
  ])('rejects %s with a bilingual UserInputError', (_name, raw) => {
    let error: unknown;
    try {
      validateQuestion(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserInputError);
    const message = (error as Error).message;
    expect(message).toMatch(/[A-Za-z]/);
    expect(message).toMatch(/\p{Script=Han}/u);
  });

  it('strips control characters and collapses whitespace instead of rejecting', () => {
    expect(validateQuestion('  什么是\u0000“脱钩”？\u200b\n\n ')).toBe('什么是“脱钩”？');
  });

  it('accepts a 2,000-character question and questions that contain a URL among words', () => {
    expect(validateQuestion('美'.repeat(2000))).toHaveLength(2000);
    expect(validateQuestion('What does https://example.com say about PGII?')).toContain('PGII');
  });
});
