import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/core/passage.js';
import { PassageLines, passagesToLines } from '../../src/index/passageLines.js';

const passage = (id: string, text: string): Passage => ({
  id,
  docId: id.split(':')[0],
  kind: 'paragraph',
  label: `label ${id}`,
  text,
  searchKey: text,
  sectionPath: ['一 问题的提出'],
  ordinal: 0,
  footnotes: [],
  citedBy: [],
});

describe('passages as JSON lines', () => {
  const passages = [
    passage('zhou2024:1:p1a2b', '第一段。\n有换行、"引号"和\\反斜杠。'),
    passage('doc "quoted":2:p3c4d', 'English, 繁體 and emoji 🙂'),
    passage('jxw2025:1:p9f00', ''),
  ];

  it('round-trips every passage exactly, ids (escapes included) read without parsing the lines', () => {
    const lines = PassageLines.read(Buffer.from(passagesToLines(passages)));
    expect(lines.ids).toEqual(passages.map((p) => p.id));
    expect(lines.at(1)).toEqual(passages[1]);
    expect(lines.toArray()).toEqual(passages);
  });

  it('parses a passage once and hands out the same object after', () => {
    const lines = PassageLines.read(Buffer.from(passagesToLines(passages)));
    expect(lines.at(0)).toBe(lines.at(0));
  });

  it('refuses a line that does not start with its id', () => {
    expect(() => PassageLines.read(Buffer.from('{"text":"x","id":"a"}\n'))).toThrow(/does not start with its id/);
    expect(PassageLines.read(Buffer.from('')).length).toBe(0);
  });
});
