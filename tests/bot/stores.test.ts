import { describe, expect, it } from 'vitest';
import { carryOverTerms, ConversationStore } from '../../src/bot/conversation.js';
import { FeedbackStore } from '../../src/bot/feedback.js';
import { RateLimiter } from '../../src/bot/rateLimit.js';
import { SeenIds } from '../../src/bot/seenInteractions.js';

describe('RateLimiter', () => {
  it('allows 6 questions a minute per user, then says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) expect(limiter.take('a').ok).toBe(true);
    const seventh = limiter.take('a');
    expect(seventh).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect(limiter.take('b').ok).toBe(true); // other users are unaffected
    now = 60_001;
    expect(limiter.take('a').ok).toBe(true);
  });
});

describe('FeedbackStore', () => {
  it('keeps one vote per user and answer, the latest one, without storing the user id', () => {
    const store = new FeedbackStore(':memory:', 'salt');
    store.record({ interaction: 'i1', question: 'q', passageIds: ['a', 'b'], userId: 'u1', value: 1 });
    store.record({ interaction: 'i1', question: 'q', passageIds: ['a', 'b'], userId: 'u1', value: -1 });
    store.record({ interaction: 'i1', question: 'q', passageIds: ['a'], userId: 'u2', value: 1 });
    const votes = store.votes('i1');
    expect(votes.map((v) => v.value).sort()).toEqual([-1, 1]);
    expect(votes.find((v) => v.value === -1)!.passageIds).toEqual(['a', 'b']);
    expect(JSON.stringify(votes)).not.toContain('u1');
    expect(store.hashUser('u1')).not.toBe(new FeedbackStore(':memory:', 'other').hashUser('u1'));
    store.close();
  });
});

describe('conversation context', () => {
  it.each([
    ['美国对华关键矿物脱钩的手段有哪些？', '那稀土呢？', /^那稀土呢？ .*矿物/],
    ['What is selective decoupling?', 'Why did they do it?', /decoupl/],
  ])('a short follow-up carries the previous question\'s terms: %s → %s', (previous, followUp, expected) => {
    expect(carryOverTerms(previous, followUp)).toMatch(expected);
  });

  it('a self-contained follow-up is left alone', () => {
    const q = 'What does the paper say about rare earth export controls in 2023?';
    expect(carryOverTerms('What is decoupling?', q)).toBe(q);
  });

  it('uses the condensing function when given, and falls back when it fails', async () => {
    const store = new ConversationStore();
    store.add('t', { question: '什么是脱钩？', standalone: '什么是脱钩？', answer: '……' });
    expect(await store.standalone('t', '为什么？', async (history, q) => `${history[0].question} ${q}`)).toBe('什么是脱钩？ 为什么？');
    expect(await store.standalone('t', '为什么？', async () => { throw new Error('LLM down'); })).toMatch(/脱钩/);
    expect(await store.standalone('other', '为什么？')).toBe('为什么？');
  });
});

describe('SeenIds', () => {
  it('answers an id once and forgets the oldest beyond capacity', () => {
    const seen = new SeenIds(2);
    expect(seen.first('a')).toBe(true);
    expect(seen.first('a')).toBe(false);
    seen.first('b');
    seen.first('c');
    expect(seen.first('a')).toBe(true);
  });
});
