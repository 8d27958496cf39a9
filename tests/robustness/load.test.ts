/**
 * Load through the local Discord-compatible server with the rate limit on: 20 users asking 200 questions
 * at once — limited users get the polite message, the others are answered, nothing is lost — then rounds
 * of questions to see that memory returns to its baseline (2,000 questions with LODESTONE_LONG=1).
 * No assertion on timing: CI machines vary.
 */
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, slashCommand } from '../support/discord-payloads.js';
import type { FakeUser } from '../support/discord-server.js';
import { isCallback, isEdit, payloadProblems, startHarness, type Harness } from './bot-harness.js';
import { LONG, summary } from './support.js';

const RATE_PER_MINUTE = 6;
const USERS = 20;
const PER_USER = 10;
const QUESTIONS = [
  '什么是选择性脱钩？',
  '美国在关键矿物领域对华采取了哪些脱钩措施？',
  'What is friend-shoring?',
  '镍主要分布在哪些国家？',
  '2018年美国对中国太阳能电池和光伏组件征收了多少关税？',
  '稀土出口管制对美国有什么影响？',
  '美國為什麼要與中國脫鉤？',
  'Which minerals does the paper call critical?',
  '什么是友岸外包？',
  '火星上的锂矿储量有多少？',
];

let h: Harness;
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(async () => {
  h = await startHarness('load', { ratePerMinute: RATE_PER_MINUTE });
}, 180_000);
afterAll(async () => {
  await h?.close();
  summary('load: unhandled rejections', { count: h?.unhandled.length });
  expect(h.unhandled).toEqual([]);
});

interface RoundResult {
  sent: number;
  answered: number;
  limited: number;
  errors: number;
  lost: number;
  problems: string[];
}

/** Every user asks `perUser` questions at once; resolves when every interaction got its final reply. */
async function round(users: FakeUser[], perUser: number, offset = 0): Promise<RoundResult> {
  const since = h.server.calls.length;
  const payloads = users.flatMap((user, u) => Array.from({ length: perUser }, (_, i) => slashCommand(h.server, user, 'ask', { question: QUESTIONS[(u + i + offset) % QUESTIONS.length] })));
  for (const p of payloads) h.server.dispatch('INTERACTION_CREATE', p);
  const result: RoundResult = { sent: payloads.length, answered: 0, limited: 0, errors: 0, lost: 0, problems: [] };
  await Promise.all(
    payloads.map(async (p) => {
      try {
        const callback = await h.server.waitForCall(isCallback(p.id), { since, timeoutMs: 120_000 });
        if (callback.body.type === 4) {
          if (/try again in \d+ s|秒后再试|秒後再試/.test(callback.body.data.content)) result.limited++;
          else result.errors++;
          return;
        }
        const edit = await h.server.waitForCall(isEdit(p.token), { since, timeoutMs: 120_000 });
        if (edit.body.embeds?.length) result.answered++;
        else result.errors++;
      } catch {
        result.lost++;
      }
    }),
  );
  result.problems = payloadProblems(h.server.callsSince(since));
  return result;
}

function heapMb(): number {
  gc();
  gc();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

describe('load with the rate limit on', () => {
  it(`${USERS} users × ${PER_USER} /ask at once: ${RATE_PER_MINUTE} answered per user, the rest get the polite message, none lost`, async () => {
    const users = Array.from({ length: USERS }, (_, i) => makeUser(`load${i}`));
    const result = await round(users, PER_USER);
    summary('load 200 /ask from 20 users', { ...result, problems: result.problems.length });
    expect(result.lost).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.answered).toBe(USERS * RATE_PER_MINUTE);
    expect(result.limited).toBe(USERS * (PER_USER - RATE_PER_MINUTE));
    expect(result.problems).toEqual([]);
  }, 180_000);

  it('memory returns to baseline after rounds of questions (no leak)', async () => {
    const rounds = LONG ? 10 : 2; // × 200 questions: 2,000 in the long variant
    // warm-up: caches, JIT and the bot's bounded stores (answers, seen ids) fill first
    await round(Array.from({ length: USERS }, (_, i) => makeUser(`warm${i}`)), PER_USER, 1);
    h.server.forgetRecords();
    const baseline = heapMb();
    const samples: number[] = [];
    let asked = 0;
    let lost = 0;
    for (let r = 0; r < rounds; r++) {
      const result = await round(Array.from({ length: USERS }, (_, i) => makeUser(`r${r}u${i}`)), PER_USER, r + 2);
      asked += result.sent;
      lost += result.lost;
      expect(result.answered).toBe(USERS * RATE_PER_MINUTE);
      h.server.forgetRecords(); // the test server's own records are not the bot's memory
      samples.push(heapMb());
    }
    const after = samples.at(-1)!;
    const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    summary('load memory', { questions: asked, lost, heapBaselineMb: baseline, heapAfterMb: after, samplesMb: samples, rssAfterMb: rssMb });
    expect(lost).toBe(0);
    // bounded stores may grow a little; a leak of even 10 kB per question would show as > 20 MB at 2,000
    expect(after - baseline).toBeLessThan(LONG ? 20 : 15);
  }, 600_000);
});
