/** /report's embed (src/bot/commands/report.ts) stays within Discord's limits however many questions there are. */
import { describe, expect, it } from 'vitest';
import { renderReport, type ReportItem } from '../../src/bot/commands/report.js';
import { DISCORD_LIMITS as L } from '../../src/bot/discordLimits.js';
import { embedLength } from '../../src/bot/render.js';

const item = (i: number, topic: string): ReportItem => ({
  question: `${'关于稀土永磁体回收率和出口管制的很长的问题'.repeat(8)} ${i}`,
  asked: 1 + (i % 3),
  refused: i % 2,
  down: 1 - (i % 2),
  topics: [topic],
  missing: [`缺词${i % 40}`, `missing-${'x'.repeat(60)}-${i}`],
});

describe('renderReport', () => {
  it.each(['en', 'zh-Hans', 'zh-Hant'] as const)('500 questions on 60 topics fit one embed (%s)', (lang) => {
    const items = Array.from({ length: 500 }, (_, i) => item(i, `话题${i % 60}`));
    const embed = renderReport(items, 900, 14, lang);
    expect(embedLength(embed)).toBeLessThanOrEqual(L.embedsTotal);
    expect(embed.description!.length).toBeLessThanOrEqual(L.embedDescription);
    expect(embed.fields!.length).toBeGreaterThan(0);
    expect(embed.fields!.length).toBeLessThanOrEqual(L.embedFields);
    for (const f of embed.fields!) {
      expect(f.name.length).toBeLessThanOrEqual(L.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
    }
    expect(embed.footer?.text).toBeTruthy();
  });

  it('says plainly when there is nothing to look at', () => {
    expect(renderReport([], 12, 14, 'zh-Hans').description).toBe('最近 14 天没有未能回答或被点 👎 的问题（共 12 个提问）。');
  });
});
