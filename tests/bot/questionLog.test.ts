/** The question log (src/bot/questionLog.ts) in a real SQLite file: per server, bounded, expiring, surviving a reopen. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/bot/feedback.js';
import { SqliteQuestionLog, type QuestionLog } from '../../src/bot/questionLog.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function dbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-qlog-'));
  dirs.push(dir);
  return path.join(dir, 'state.sqlite');
}

const kinds: [string, (now: () => number, maxRows?: number) => QuestionLog][] = [
  ['sqlite', (now, maxRows) => new SqliteQuestionLog(openDatabase(dbFile()), { now, maxRows, ttlMs: 1_000 })],
];

describe.each(kinds)('%s question log', (_kind, open) => {
  it('keeps each server’s questions apart, newest first, with the normalised question', async () => {
    const log = open(() => 0);
    await log.record({ question: '什麼是選擇性「脫鉤」？', guildId: 'g1', supported: true, passageIds: ['a', 'b'] });
    await log.record({ question: 'q2', guildId: 'g2', supported: false, passageIds: [] });
    await log.record({ question: 'q3', guildId: null, supported: false, passageIds: [] });
    const g1 = await log.recent('g1');
    expect(g1).toEqual([{ key: '什么是选择性 脱钩', question: '什麼是選擇性「脫鉤」？', guildId: 'g1', supported: true, passageIds: ['a', 'b'], at: 0 }]);
    expect((await log.recent('g2')).map((q) => q.question)).toEqual(['q2']);
    expect((await log.recent(null)).map((q) => q.question)).toEqual(['q3']);
  });

  it('forgets questions older than its time to live', async () => {
    let t = 0;
    const log = open(() => t);
    await log.record({ question: 'old', guildId: 'g', supported: false, passageIds: [] });
    t = 2_000;
    await log.record({ question: 'new', guildId: 'g', supported: false, passageIds: [] });
    expect((await log.recent('g')).map((q) => q.question)).toEqual(['new']);
  });
});

it('the SQLite log stays within its row bound and survives a reopen', async () => {
  const file = dbFile();
  const log = new SqliteQuestionLog(openDatabase(file), { maxRows: 50 });
  for (let i = 0; i < 250; i++) await log.record({ question: `q${i}`, guildId: 'g', supported: i % 2 === 0, passageIds: [`p${i}`] });
  const reopened = new SqliteQuestionLog(openDatabase(file), { maxRows: 50 });
  const kept = await reopened.recent('g', { limit: 1_000 });
  // pruned every 100th insert: never more than the bound plus one batch
  expect(kept.length).toBeLessThanOrEqual(150);
  expect(kept[0]).toMatchObject({ question: 'q249', supported: false, passageIds: ['p249'] });
});
