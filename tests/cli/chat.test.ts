import { describe, expect, it } from 'vitest';
import { chatReply } from '../../src/cli/chat.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import { withLibrarian } from '../support/workspace.js';

let librarian: LibrarianService;
withLibrarian('chat', (l) => (librarian = l));

describe('the terminal chat', () => {
  it('answers a plain line with quoted, numbered sources', async () => {
    const reply = await chatReply(librarian, '美国给西半球电力部门定了什么可再生能源目标？', []);
    expect(reply).toContain('70%');
    expect(reply).toMatch(/\[1\]/);
  });

  it('/term, /cite, /search, /sources and /help work as in Discord', async () => {
    expect(await chatReply(librarian, '/term 友岸外包', [])).toContain('友岸外包');
    expect(await chatReply(librarian, '/cite 三大支柱路径', [])).toContain('周亚敏');
    expect(await chatReply(librarian, '/search 镓 芯片', [])).toMatch(/^1\. \[/);
    const sources = await chatReply(librarian, '/sources', []);
    expect(sources).toContain('zhou2024');
    expect(sources).toContain('jxw2025');
    expect(await chatReply(librarian, '/help', [])).toContain('/term');
    expect(await chatReply(librarian, '/nonsense', [])).toContain('unknown command');
  });

  it('a follow-up carries the previous question over', async () => {
    const history: { question: string; answer?: string }[] = [];
    await chatReply(librarian, '美国的镍主要从哪些国家进口？', history);
    expect(history).toHaveLength(1);
    // the first table row quoted (表3 rows read "…｜关键矿物：镍｜回收比例：52%｜…")
    const firstQuote = (reply: string) => reply.split('\n').find((line) => line.startsWith('- ') && line.includes('关键矿物：')) ?? '';
    // "its recycling rate?" alone matches every row of 表3; after a question about nickel it is nickel's row
    const followUp = await chatReply(librarian, '它的回收比例是多少？', history);
    expect(firstQuote(followUp)).toContain('关键矿物：镍');
    const alone = await chatReply(librarian, '它的回收比例是多少？', []);
    expect(firstQuote(alone)).not.toContain('关键矿物：镍');
  });

  it('an unknown term is answered with the closest terms, never an empty reply', async () => {
    const reply = await chatReply(librarian, '/term 量子区块链', []);
    expect(reply).toMatch(/not in the glossary/);
    expect(reply).toMatch(/Closest terms: \S+/);
  });
});
