import { describe, expect, it } from 'vitest';
import type { Answer, AnswerPart, Citation } from '../../src/core/answer.js';
import { DISCORD_LIMITS as L } from '../../src/bot/discordLimits.js';
import { embedLength, passageIdsInComponents, renderAnswer, renderPassages, splitText } from '../../src/bot/render.js';
import { answerText, bodyText } from '../../src/answer/plainText.js';
import { fakeAnswer } from './fake-librarian.js';

function bigAnswer(citationCount: number, sentenceRepeat: number, lang: Answer['lang'] = 'zh-Hans'): Answer {
  const citations: Citation[] = Array.from({ length: citationCount }, (_, i) => ({
    n: i + 1, id: `zhou2024:4.${i}:p${i}`, docId: 'zhou2024', title: '全球绿色与数字供应链的对华选择性脱钩'.repeat(3),
    label: `周亚敏 2024 · 四（三）¶${i + 1}`, text: '美国限制关键矿物投资。', score: 1,
  }));
  const parts: AnswerPart[] = Array.from({ length: sentenceRepeat }, (_, i) => ({ kind: 'prose', text: `美国在关键矿物领域对华实施选择性脱钩，限制稀土投资与贸易，第${i}句。[${(i % citationCount) + 1}][${((i + 1) % citationCount) + 1}]` }));
  const lead = '美国对华选择性脱钩。[1]';
  return { ...fakeAnswer('美国如何脱钩？'), lang, citations, lead, parts, text: answerText(lead, parts, citations, lang) };
}

describe('splitText', () => {
  const cases: [string, string, number][] = [
    ['short text stays whole', '一句话。[1]', 50],
    ['splits at line breaks', 'a'.repeat(30) + '\n' + 'b'.repeat(30), 40],
    ['keeps a sentence with its markers', '第一句很长很长很长很长很长。[1][2]第二句很长很长很长很长很长。[3]', 20],
    ['never cuts a marker without punctuation', '字'.repeat(17) + '[12]' + '字'.repeat(30), 20],
    ['English sentences', 'Decoupling is selective. [1] It targets minerals. [2] And chips. [3]', 30],
  ];
  it.each(cases)('%s', (_name, text, max) => {
    const pieces = splitText(text, max);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(max);
    const markers = (s: string) => s.match(/\[\d+\]/g) ?? [];
    expect(pieces.flatMap(markers)).toEqual(markers(text));
    for (const p of pieces) expect(p).not.toMatch(/^\[\d+\]/); // a marker never starts a piece, away from its sentence
    expect(pieces.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });
});

describe('renderAnswer', () => {
  it('shows the answer with [n] markers, numbered sources (label, title), footer and buttons', () => {
    const [message] = renderAnswer(fakeAnswer('美国在关键矿物领域如何脱钩？'), { model: 'corpus-static', elapsedMs: 1234, key: '42' });
    expect(message.embeds[0].description).toContain('[1]');
    expect(message.embeds[0].description).not.toContain('[1] 周亚敏'); // the list is moved into fields, not repeated
    const fields = message.embeds.flatMap((e) => e.fields ?? []);
    expect(fields.map((f) => f.name)).toEqual(['[1] 周亚敏 2024 · 四（三）¶5', '[2] 周亚敏 2024 · 注⑫']);
    expect(fields[0].value).toContain('选择性脱钩');
    expect(message.embeds.at(-1)!.footer!.text).toBe('corpus-static · extractive · 1.2 s');
    expect(passageIdsInComponents(message.components)).toEqual(['zhou2024:4.3:p5', 'zhou2024:fn12']);
  });

  it.each([
    ['zh-Hans', '来源'],
    ['zh-Hant', '來源'],
    ['en', 'Sources'],
  ] as const)('speaks the question language (%s)', (lang, label) => {
    const [message] = renderAnswer({ ...fakeAnswer('q'), lang }, { model: 'm', elapsedMs: 1, key: 'k' });
    expect((message.components[0].components[0] as any).label).toBe(label);
  });

  it.each([
    [2, 10],
    [30, 400],
    [60, 1200],
  ])('stays within Discord limits with %i citations and %i sentences, cutting no citation', (citations, sentences) => {
    const answer = bigAnswer(citations, sentences);
    const messages = renderAnswer(answer, { model: 'm', elapsedMs: 1, key: '1' });
    for (const m of messages) {
      expect(m.embeds.length).toBeLessThanOrEqual(L.embedsPerMessage);
      expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(L.embedsTotal);
      for (const e of m.embeds) {
        expect(e.description?.length ?? 0).toBeLessThanOrEqual(L.embedDescription);
        expect(e.fields?.length ?? 0).toBeLessThanOrEqual(L.embedFields);
        expect(e.title?.length ?? 0).toBeLessThanOrEqual(L.embedTitle);
      }
      for (const row of m.components) for (const c of row.components as any[]) if (c.options) expect(c.options.length).toBeLessThanOrEqual(L.selectOptions);
    }
    const described = messages.flatMap((m) => m.embeds.map((e) => e.description ?? '')).join('');
    const body = bodyText(answer.lead, answer.parts);
    expect(described.match(/\[\d+\]/g)).toEqual(body.match(/\[\d+\]/g));
    expect(messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []))).toHaveLength(citations);
  });

  it('full passages for the Sources button split into several embeds when long', () => {
    const long = { id: 'p', label: 'L', title: 'T', text: '长段落。'.repeat(1500) };
    const messages = renderPassages([long, { ...long, id: 'q' }], '来源', '无');
    const embeds = messages.flatMap((m) => m.embeds);
    expect(embeds.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(L.embedsTotal);
  });
});
