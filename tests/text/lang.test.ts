/**
 * The language data (lang/*.json) the answer stage and retrieval read: every name the code asks for exists and
 * compiles, and the index fingerprint changes with the vocabulary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allForms, cue, langDataHash, pattern, patternTemplate, value, words } from '../../src/text/lang.js';
import { gazetteer, isPlaceName, placesIn } from '../../src/text/gazetteer.js';
import { corpusFingerprint } from '../../src/service/ingest-fingerprint.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Every `cue('x')`, `words('x')`, `pattern('zh', 'x')` … the code calls with a literal name. */
function namesUsed(): { kind: string; lang?: string; name: string }[] {
  const out: { kind: string; lang?: string; name: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(cue|anchoredCue|words|allForms)\('([A-Za-z]+)'/g)) out.push({ kind: m[1], name: m[2] });
    for (const m of text.matchAll(/\b(pattern|patternTemplate|value|forms)\('(zh|en)', '([A-Za-z]+)'/g)) out.push({ kind: m[1], lang: m[2], name: m[3] });
  }
  return out;
}

describe('language data', () => {
  it('every cue, word list, pattern, value and form table the code names exists and compiles', () => {
    const used = namesUsed();
    expect(used.length).toBeGreaterThan(50);
    for (const { kind, lang, name } of used) {
      const where = `${kind}(${lang ? `${lang}, ` : ''}${name})`;
      if (kind === 'cue' || kind === 'anchoredCue') expect(() => cue(name), where).not.toThrow();
      else if (kind === 'words') expect(words(name).length, where).toBeGreaterThan(0);
      else if (kind === 'allForms') expect(() => allForms(name), where).not.toThrow();
      else if (kind === 'pattern') expect(() => pattern(lang as 'zh', name), where).not.toThrow();
      else if (kind === 'patternTemplate') expect(patternTemplate(lang as 'zh', name), where).toBeTruthy();
      else if (kind === 'value') expect(value(lang as 'zh', name), where).toBeTruthy();
    }
  });

  it('a name no file has is an error, not an empty match', () => {
    expect(() => cue('noSuchCue')).toThrow(/no cue "noSuchCue"/);
    expect(() => words('noSuchWords')).toThrow();
  });

  it('cues of both languages are one expression: a where-question in any script or English', () => {
    for (const q of ['镍主要分布在哪里？', '鎳主要分佈在哪裡？', 'Where is nickel mined?']) expect(cue('askWhere').test(q.toLowerCase()), q).toBe(true);
  });

  it('the gazetteer names places in three scripts and English, and short forms only whole', () => {
    expect(gazetteer().length).toBeGreaterThan(40);
    expect(placesIn('日本和韩国').map((p) => p.id)).toEqual(['日本', '韩国']);
    expect(placesIn('what about canada?').map((p) => p.id)).toEqual(['加拿大']);
    expect(isPlaceName('美方')).toBe(true);
    expect(isPlaceName('us')).toBe(true);
    expect(isPlaceName('锂矿')).toBe(false);
    // a one-character short form is no pattern of its own: 美 in 美元 is no place
    expect(placesIn('美元').length).toBe(0);
  });

  it('the corpus fingerprint includes the language files: a changed vocabulary rebuilds the index', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-lang-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.md'), '# 标题\n\n正文。\n');
      const now = corpusFingerprint(dir, 'v1');
      expect(now).toBe(corpusFingerprint(dir, 'v1', langDataHash()));
      expect(corpusFingerprint(dir, 'v1', 'another vocabulary')).not.toBe(now);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
