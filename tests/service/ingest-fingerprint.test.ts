import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusFiles, corpusFingerprint } from '../../src/service/ingest-fingerprint.js';

function corpus(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-fp-'));
  fs.writeFileSync(path.join(dir, 'a.md'), '# 标题\n\n正文。');
  fs.writeFileSync(path.join(dir, 'a.md.meta.json'), '{"id":"a"}');
  return dir;
}

describe('corpus fingerprint', () => {
  it('changes when a document, its metadata or the chunker version changes, and only then', () => {
    const dir = corpus();
    const fp = corpusFingerprint(dir, 'v1');
    expect(corpusFingerprint(dir, 'v1')).toBe(fp);
    expect(corpusFingerprint(dir, 'v2')).not.toBe(fp);
    fs.writeFileSync(path.join(dir, '.a.md.swp'), 'editor scratch');
    fs.writeFileSync(path.join(dir, 'a.md~'), 'backup');
    expect(corpusFingerprint(dir, 'v1')).toBe(fp);
    fs.writeFileSync(path.join(dir, 'a.md.meta.json'), '{"id":"a","year":2024}');
    const fp2 = corpusFingerprint(dir, 'v1');
    expect(fp2).not.toBe(fp);
    fs.renameSync(path.join(dir, 'a.md'), path.join(dir, 'b.md'));
    expect(corpusFingerprint(dir, 'v1')).not.toBe(fp2);
  });

  it('lists files in a stable order, sub-folders included', () => {
    const dir = corpus();
    fs.mkdirSync(path.join(dir, 'more'));
    fs.writeFileSync(path.join(dir, 'more', 'c.txt'), '内容');
    expect(corpusFiles(dir)).toEqual(['a.md', 'a.md.meta.json', 'more/c.txt']);
  });
});
