import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentInfo, Passage } from '../../src/core/passage.js';
import type { IngestDeps } from '../../src/service/ingest.js';
import { FakeEmbedder, makePassage } from '../index/fixtures.js';

/** Test seams for ingest: one passage per blank-line paragraph of each .txt file; a "model" that is a file. */
export function fakeDeps(): IngestDeps & { trained: number; embedders: FakeEmbedder[] } {
  const state = { trained: 0, embedders: [] as FakeEmbedder[] };
  return Object.assign(state, {
    async buildPassages(corpusDir: string) {
      const documents: DocumentInfo[] = [];
      const passages: Passage[] = [];
      for (const file of fs.readdirSync(corpusDir).filter((f) => f.endsWith('.txt')).sort()) {
        const raw = fs.readFileSync(path.join(corpusDir, file));
        const id = file.replace(/\.txt$/, '');
        documents.push({ id, title: id, author: 'T', lang: 'zh-Hans', file, contentHash: createHash('sha256').update(raw).digest('hex') });
        raw.toString('utf8').split(/\n\s*\n/).map((t) => t.trim()).filter(Boolean).forEach((t, i) => passages.push(makePassage(id, i, t)));
      }
      return { documents, passages, warnings: [] };
    },
    async trainCorpusModel(texts: string[], outDir: string) {
      state.trained++;
      fs.mkdirSync(outDir, { recursive: true });
      const id = createHash('sha256').update(texts.join('\n')).digest('hex').slice(0, 8);
      fs.writeFileSync(path.join(outDir, 'model.txt'), id);
      return { modelId: `corpus:${id}` };
    },
    async loadEmbedder(spec: { model: string; modelDir?: string }) {
      if (spec.model !== 'corpus' || !spec.modelDir) throw new Error(`no network for ${spec.model}`);
      const embedder = new FakeEmbedder(`corpus:${fs.readFileSync(path.join(spec.modelDir, 'model.txt'), 'utf8')}`);
      state.embedders.push(embedder);
      return embedder;
    },
    async chunkerVersion() {
      return 'fake-1';
    },
  });
}
