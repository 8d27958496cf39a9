import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexIsStale, ingest } from '../../src/service/ingest.js';
import { ARTICLE_TEXTS, PAPER_TEXTS } from '../index/fixtures.js';
import { fakeDeps } from './ingest-fakes.js';

/** Issue 13 (4): a model setting is compared by the model it resolves to; an unchanged model never re-ingests. */
function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-setting-'));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  fs.mkdirSync(corpusDir);
  fs.writeFileSync(path.join(corpusDir, 'paper.txt'), PAPER_TEXTS.join('\n\n'));
  fs.writeFileSync(path.join(corpusDir, 'article.txt'), ARTICLE_TEXTS.join('\n\n'));
  return { corpusDir, indexDir, deps: fakeDeps() };
}

describe('the model setting, by the model it resolves to', () => {
  it('EMBEDDING_MODEL=Xenova/multilingual-e5-small on an index built without it (hub offline) neither rebuilds nor retrains; removing it again neither', async () => {
    const { corpusDir, indexDir, deps } = setup();
    // built with the setting unset: the default hub model cannot be loaded here, so the corpus model is used
    const first = await ingest({ corpusDir, indexDir, deps, onWarning: () => undefined });
    expect(first.model).toMatch(/^corpus:/);
    expect(deps.trained).toBe(1);

    for (const setting of ['Xenova/multilingual-e5-small', 'e5-small', undefined, '']) {
      expect(await indexIsStale(corpusDir, indexDir, setting, deps), String(setting)).toBe(false);
      const again = await ingest({ corpusDir, indexDir, model: setting, deps, onWarning: () => undefined });
      expect(again).toMatchObject({ model: first.model, embeddedPassages: 0 });
    }
    expect(deps.trained).toBe(1);
  });

  it('another model is a change: a different preset, or corpus after a hub model', async () => {
    const { corpusDir, indexDir, deps } = setup();
    await ingest({ corpusDir, indexDir, model: 'corpus', deps });
    expect(await indexIsStale(corpusDir, indexDir, 'corpus', deps)).toBe(false);
    expect(await indexIsStale(corpusDir, indexDir, 'bge-small-zh', deps)).toBe(true);
    expect(await indexIsStale(corpusDir, indexDir, undefined, deps)).toBe(true);
  });

  it('an index from before request keys (only the raw setting recorded) is compared the same way', async () => {
    const { corpusDir, indexDir, deps } = setup();
    await ingest({ corpusDir, indexDir, deps, onWarning: () => undefined });
    const current = fs.readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim();
    const manifestFile = path.join(indexDir, current, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    delete manifest.build.modelRequest;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(await indexIsStale(corpusDir, indexDir, 'Xenova/multilingual-e5-small', deps)).toBe(false);
    expect(await indexIsStale(corpusDir, indexDir, 'bge-small-zh', deps)).toBe(true);
  });

  it('a setting that is no model at all is a configuration error before anything is built', async () => {
    const { corpusDir, indexDir, deps } = setup();
    await expect(ingest({ corpusDir, indexDir, model: 'gpt-embedder-9000', deps })).rejects.toThrow(/unknown embedding model "gpt-embedder-9000"/);
    expect(fs.existsSync(indexDir)).toBe(false);
  });
});
