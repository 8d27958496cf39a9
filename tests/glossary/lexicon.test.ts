import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCuratedGlossary } from '../../src/glossary/curated.js';
import { Glossary } from '../../src/glossary/glossary.js';
import { cleanSense, englishName, Lexicon, lexiconWords, readIndexLexicon, readLexiconFile, type DictionaryLookup } from '../../src/glossary/lexicon.js';
import { createLibrarian, type LibrarianService } from '../../src/service/librarian.js';
import { ingest } from '../../src/service/ingest.js';
import { PAPER_TEXTS, ARTICLE_TEXTS } from '../index/fixtures.js';
import { fakeDeps } from '../service/ingest-fakes.js';
import { corpusPassages, REPO_CORPUS_DIR } from './corpus-passages.js';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `lodestone-${prefix}-`));

/** A dictionary with the senses CC-CEDICT gives these words (a unit-test stand-in; the real one is tested below). */
const SENSES: Record<string, string[]> = {
  关税: ['customs duty', 'tariff'],
  光缆: ['optical cable'],
  设施: ['facilities', 'installation'],
  链: ['chain', 'cable (unit of length: 100 fathoms, about 185 m)', 'to chain'],
  钴: ['(chemistry) cobalt (Taiwan pr. [gu1])', 'used in 鈷鉧|钴𬭁[gu3 mu3]'],
  电池: ['battery; electric cell', 'CL:節|节[jie2],組|组[zu3]'],
  冷战: ['Cold War', 'strained relationship'],
};
const fakeLookup = (calls: string[][] = []): DictionaryLookup => async (words) => {
  calls.push(words);
  return { senses: new Map(words.filter((w) => SENSES[w]).map((w) => [w, SENSES[w]])), verbs: ['买', '用'] };
};

describe('CC-CEDICT senses', () => {
  it.each([
    ['(chemistry) cobalt (Taiwan pr. [gu1])', 'cobalt'],
    ['nickel (chemistry)', 'nickel'],
    ['to supplement (one\'s salary etc)', 'to supplement'],
    ['variant of 家具[jia1 ju4]', ''],
    ['surname Zhang', ''],
    ['CL:節|节[jie2]', ''],
    ['used in 鈷鉧|钴𬭁[gu3 mu3]', ''],
    ['see also 紅銅|红铜[hong2 tong2]', ''],
  ])('%s → "%s"', (sense, cleaned) => {
    expect(cleanSense(sense)).toBe(cleaned);
  });
});

describe('Lexicon', () => {
  const words = new Map(Object.keys(SENSES).map((w, i) => [w, i + 1]));
  const lexicon = Lexicon.fromSenses('k', words, new Map(Object.entries(SENSES)));

  it('gives a word its English names, simplified or traditional, cross-references and classifiers dropped', () => {
    expect(lexicon.englishOf('关税')).toEqual(['customs duty', 'tariff']);
    expect(lexicon.englishOf('關稅')).toEqual(['customs duty', 'tariff']);
    expect(lexicon.englishOf('钴')).toEqual(['cobalt']);
    expect(lexicon.englishOf('电池')).toEqual(['battery', 'electric cell']);
    expect(lexicon.englishOf('量子')).toEqual([]);
  });

  it('finds corpus words for an English word: a whole-sense match before a word inside a longer sense, one-character words last', () => {
    expect(lexicon.chineseFor('tariffs')).toEqual(['关税']);
    expect(lexicon.chineseFor('cables')).toEqual(['光缆', '链']);
    expect(lexicon.chineseFor('facilities')[0]).toBe('设施');
    expect(lexicon.chineseFor('war')).toEqual(['冷战']);
  });

  it('gives nothing for function words and words any question uses', () => {
    for (const w of ['the', 'to', 'of', 'what', 'which', 'many', 'say']) expect(lexicon.chineseFor(w), w).toEqual([]);
  });

  it('knows the dictionary\'s short verbs, with a resultative complement too, and keeps them through JSON', () => {
    const withVerbs = Lexicon.fromSenses('k', words, new Map(Object.entries(SENSES)), ['买', '用']);
    expect(['买', '用到', '买下'].map((w) => withVerbs.isVerb(w))).toEqual([true, true, true]);
    expect(['钴', '关税', '买卖', '用户'].map((w) => withVerbs.isVerb(w))).toEqual([false, false, false, false]);
    const json = withVerbs.toJSON();
    expect(Lexicon.fromJSON(JSON.parse(JSON.stringify(json))).isVerb('买')).toBe(true);
    expect(() => Lexicon.fromJSON({ ...json, verbs: `${json.verbs}|锗` })).toThrow(/checksum/);
  });

  it('round-trips through JSON and refuses a damaged file', () => {
    const json = lexicon.toJSON();
    expect(Lexicon.fromJSON(JSON.parse(JSON.stringify(json))).englishOf('光缆')).toEqual(['optical cable']);
    const damaged = { ...json, entries: json.entries.map(([zh, g, n]) => [zh, zh === '光缆' ? ['optical fibre'] : g, n]) };
    expect(() => Lexicon.fromJSON(damaged)).toThrow(/checksum/);
  });
});

describe('the corpus words a lexicon is built for', () => {
  it('holds the segmenter’s words, longer compounds the segmenter splits, and the glossary’s terms — no function words', async () => {
    const { passages } = await corpusPassages();
    const words = lexiconWords(passages, ['海底光缆']);
    for (const w of ['关税', '光缆', '自由主义', '海底光缆', '钴']) expect(words.has(w), w).toBe(true);
    for (const w of ['的', '是', '和']) expect(words.has(w), w).toBe(false);
  });
});

describe('ingest and the lexicon', () => {
  function setup() {
    const root = tmp('lexicon-ingest');
    const corpusDir = path.join(root, 'corpus');
    fs.mkdirSync(corpusDir);
    fs.writeFileSync(path.join(corpusDir, 'paper.txt'), [...PAPER_TEXTS, '美国对光伏组件加征关税，海底光缆等设施难以被武器化。'].join('\n\n'));
    fs.writeFileSync(path.join(corpusDir, 'article.txt'), ARTICLE_TEXTS.join('\n\n'));
    const calls: string[][] = [];
    const deps = { ...fakeDeps(), lookupDictionary: fakeLookup(calls) };
    return { root, corpusDir, indexDir: path.join(root, 'index'), calls, opts: { corpusDir, indexDir: path.join(root, 'index'), model: 'corpus', deps, lexiconCacheDir: path.join(root, 'cache') } };
  }

  it('opens the dictionary once: re-ingesting an unchanged corpus, even with --force, reuses the lexicon', async () => {
    const { opts, calls, indexDir } = setup();
    const first = await ingest(opts);
    expect(first.lexicon).toMatchObject({ built: true });
    expect(first.lexicon!.words).toBeGreaterThan(0);
    expect(calls).toHaveLength(1);
    const second = await ingest(opts);
    expect(second.lexicon).toMatchObject({ built: false, words: first.lexicon!.words });
    await ingest({ ...opts, force: true });
    expect(calls).toHaveLength(1);
    const manifest = JSON.parse(fs.readFileSync(path.join(indexDir, fs.readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim(), 'manifest.json'), 'utf8'));
    expect(readIndexLexicon(indexDir, manifest.build).englishOf('光缆')).toEqual(['optical cable']);
  });

  it('a corpus with new words is looked up again; an index whose lexicon file was damaged reads as empty, with a warning', async () => {
    const { opts, calls, corpusDir, indexDir } = setup();
    await ingest(opts);
    fs.appendFileSync(path.join(corpusDir, 'article.txt'), '\n\n冷战时期的产物。');
    const again = await ingest(opts);
    expect(again.lexicon?.built).toBe(true);
    expect(calls).toHaveLength(2);
    const generation = fs.readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim();
    const build = JSON.parse(fs.readFileSync(path.join(indexDir, generation, 'manifest.json'), 'utf8')).build;
    fs.writeFileSync(path.join(indexDir, build.lexicon.file), '{"version":1,"entries":[');
    const warnings: string[] = [];
    expect(readIndexLexicon(indexDir, build, (w) => warnings.push(w)).size).toBe(0);
    expect(warnings.join('\n')).toMatch(/lexicon .* missing or damaged/);
  });
});

describe('English questions through the real CC-CEDICT lexicon (shipped corpus)', () => {
  let root: string;
  let librarian: LibrarianService;
  const question = 'Which facilities are hard for a single country to weaponize, such as submarine cables?';
  const answering = '多國共管的海底光纜等設施則難以被單壹國家武器化';

  beforeAll(async () => {
    root = tmp('lexicon-real');
    const corpusDir = path.join(root, 'corpus');
    fs.cpSync(REPO_CORPUS_DIR, corpusDir, { recursive: true });
    const indexDir = path.join(root, 'index');
    // a private cache: CC-CEDICT itself is opened here, not a lexicon another run left behind
    const summary = await ingest({ corpusDir, indexDir, model: 'corpus', lexiconCacheDir: path.join(root, 'cache') });
    expect(summary.lexicon).toMatchObject({ built: true });
    librarian = await createLibrarian({ corpusDir, indexDir, model: 'corpus', composer: null, autoIngest: false });
  }, 120_000);

  afterAll(async () => {
    await librarian?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('the real dictionary marks verbs, not the minerals and things a near miss asks about', () => {
    const indexDir = path.join(root, 'index');
    const lexicon = readLexiconFile(path.join(indexDir, fs.readdirSync(indexDir).find((f) => /^lexicon-[0-9a-f]+\.json$/.test(f))!))!;
    expect(['买', '购买', '禁止', '用到'].filter((w) => !lexicon.isVerb(w))).toEqual([]);
    expect(['锗', '石墨', '峰会', '关税', '稀土'].filter((w) => lexicon.isVerb(w))).toEqual([]);
  });

  it('the curated glossary alone has no Chinese for "facilities" or "cables"; the lexicon bridges them', async () => {
    const { passages, documents } = await corpusPassages();
    const curatedOnly = Glossary.build(passages, documents, loadCuratedGlossary(REPO_CORPUS_DIR).entries);
    const plain = curatedOnly.expandQuery(question);
    expect(plain).not.toContain('光缆');
    expect(plain).not.toContain('设施');
    const withLexicon = (librarian as unknown as { generation: { glossary: Glossary } }).generation.glossary.expandQuery(question);
    expect(withLexicon).toEqual(expect.arrayContaining(['光缆', '设施']));
    // curated entries come first: 武器化 (weaponize) before the dictionary's words
    expect(withLexicon.indexOf('武器化')).toBeLessThan(withLexicon.indexOf('光缆'));
  });

  it('retrieves the web article paragraph that answers it, first', async () => {
    const results = await librarian.search(question, 5);
    expect(results[0].passage.text.replace(/\s+/g, '')).toContain(answering);
  });

  it('names Chinese terms in English: the glossary’s English alias first, then the dictionary’s', async () => {
    const { passages, documents } = await corpusPassages();
    const glossary = Glossary.build(passages, documents, loadCuratedGlossary(REPO_CORPUS_DIR).entries);
    const lexicon = (librarian as unknown as { generation: { lexicon: Lexicon } }).generation.lexicon;
    expect(englishName('金属北约', glossary, lexicon)).toBe('Minerals Security Partnership');
    expect(englishName('光缆', glossary, lexicon)).toBe('optical cable');
    expect(englishName('量子纠缠态', glossary, lexicon)).toBeUndefined();
  });
});
