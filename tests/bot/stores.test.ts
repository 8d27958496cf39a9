import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteFeedbackStore } from '../../src/bot/feedback.js';
import { firstTime, LruMap } from '../../src/bot/lru.js';
import { MemoryRateLimiter } from '../../src/bot/rateLimit.js';
import { SqliteBotState } from '../../src/bot/state.js';

describe('MemoryRateLimiter', () => {
  it('allows 6 questions a minute per user, then says how long to wait', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) expect((await limiter.take('a')).ok).toBe(true);
    const seventh = await limiter.take('a');
    expect(seventh).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect((await limiter.take('b')).ok).toBe(true); // other users are unaffected
    now = 60_001;
    expect((await limiter.take('a')).ok).toBe(true);
  });
});

describe('SqliteFeedbackStore', () => {
  it('keeps one vote per user and answer, the latest one, without storing the user id', async () => {
    const store = new SqliteFeedbackStore(':memory:', 'salt');
    await store.record({ interaction: 'i1', question: 'q', passageIds: ['a', 'b'], userId: 'u1', value: 1 });
    await store.record({ interaction: 'i1', question: 'q', passageIds: ['a', 'b'], userId: 'u1', value: -1 });
    await store.record({ interaction: 'i1', question: 'q', passageIds: ['a'], userId: 'u2', value: 1 });
    const votes = await store.votes('i1');
    expect(votes.map((v) => v.value).sort()).toEqual([-1, 1]);
    expect(votes.find((v) => v.value === -1)!.passageIds).toEqual(['a', 'b']);
    expect(JSON.stringify(votes)).not.toContain('u1');
    expect(store.hashUser('u1')).not.toBe(new SqliteFeedbackStore(':memory:', 'other').hashUser('u1'));
    store.close();
  });
});

describe('thread memory (SQLite)', () => {
  it('keeps the newest turns per thread, survives reopening the file, and forgets quiet threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lodestone-state-'));
    try {
      let now = 0;
      const file = join(dir, 'state.sqlite');
      const first = new SqliteBotState(file, { maxTurns: 2, now: () => now });
      await first.threads.add('t', { question: 'q1', answer: 'a1' });
      await first.threads.add('t', { question: 'q2' });
      await first.threads.add('t', { question: 'q3', answer: 'a3' });
      await first.threads.markRefused('t');
      await first.close();
      const second = new SqliteBotState(file, { maxTurns: 2, ttlMs: 1_000, now: () => now });
      expect(await second.threads.has('t')).toBe(true);
      expect(await second.threads.history('t')).toEqual([{ question: 'q2' }, { question: 'q3', answer: 'a3' }]);
      expect(await second.threads.refused('t')).toBe(true);
      now = 1_001;
      expect(await second.threads.has('t')).toBe(false);
      expect(await second.threads.history('t')).toEqual([]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('remembers at most maxThreads threads, forgetting the least recently active', async () => {
    let now = 0;
    const state = new SqliteBotState(':memory:', { maxThreads: 2, now: () => now });
    for (const id of ['a', 'b', 'c']) {
      now += 1;
      await state.threads.open(id);
    }
    expect(state.threads.size).toBe(2);
    expect(await state.threads.has('a')).toBe(false);
    expect(await state.threads.has('c')).toBe(true);
    await state.close();
  });
});

describe('LruMap', () => {
  it('answers an id once and forgets the least recently used beyond capacity', () => {
    const seen = new LruMap<true>(2);
    expect(firstTime(seen, 'a')).toBe(true);
    expect(firstTime(seen, 'a')).toBe(false);
    firstTime(seen, 'b');
    firstTime(seen, 'c');
    expect(firstTime(seen, 'a')).toBe(true);
    const answers = new LruMap<number>(2);
    answers.set('x', 1);
    answers.set('y', 2);
    answers.get('x'); // x is now the most recently used
    answers.set('z', 3);
    expect([answers.has('x'), answers.has('y'), answers.has('z')]).toEqual([true, false, true]);
  });
});
