import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { BaseRetriever } from '@langchain/core/retrievers';
import { RunnableLambda } from '@langchain/core/runnables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddings, createRetriever, type LodestoneRetriever } from '../../src/langchain/index.js';
import { REPO_ROOT } from '../support/paths.js';
import { makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from '../support/workspace.js';

let ws: Workspace;
let retriever: LodestoneRetriever;

beforeAll(async () => {
  ws = makeWorkspace('langchain');
  // the index as `lodestone ingest` builds it (offline corpus model)
  await (await openLibrarian(ws)).close();
  retriever = createRetriever({ indexDir: ws.indexDir, corpusDir: ws.corpusDir, k: 4 });
}, 180_000);

afterAll(async () => {
  await retriever?.close();
  removeWorkspace(ws);
});

describe('lodestone/langchain', () => {
  it('is the package entry ./langchain, built from src/langchain', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.exports['./langchain'].default).toBe('./dist/langchain/index.js');
    expect(pkg.exports['./langchain'].types).toBe('./dist/langchain/index.d.ts');
  });

  it('createRetriever gives a LangChain BaseRetriever whose invoke returns cited passages as Documents', async () => {
    expect(retriever).toBeInstanceOf(BaseRetriever);
    const docs = await retriever.invoke('美国对华实施选择性脱钩的领域');
    expect(docs).toHaveLength(4);
    for (const doc of docs) {
      expect(doc).toBeInstanceOf(Document);
      expect(doc.pageContent.length).toBeGreaterThan(0);
      expect(Object.keys(doc.metadata).sort()).toEqual(['docId', 'id', 'label', 'score', 'title']);
      expect(doc.metadata.id.startsWith(`${doc.metadata.docId}:`)).toBe(true);
      expect(doc.metadata.title).not.toBe(doc.metadata.docId);
      expect(typeof doc.metadata.score).toBe('number');
    }
    expect(docs.some((d) => d.pageContent.includes('脱钩'))).toBe(true);
    // best first
    const scores = docs.map((d) => d.metadata.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('composes with other runnables (pipe) like any LangChain retriever', async () => {
    const chain = retriever.pipe(RunnableLambda.from((docs: Document[]) => docs.map((d) => d.metadata.label)));
    const labels = await chain.invoke('critical minerals');
    expect(labels).toHaveLength(4);
    expect(labels.every((l: string) => l.length > 0)).toBe(true);
  });

  it('the embeddings are the index model: the retriever\'s and a standalone adapter give the same vectors', async () => {
    const embeddings = retriever.embeddings();
    expect(embeddings).toBeInstanceOf(Embeddings);
    const [top] = await retriever.invoke('稀土');
    const [vector] = await embeddings.embedDocuments([top.pageContent]);
    const query = await embeddings.embedQuery('稀土');
    expect(vector.length).toBe(query.length);
    const standalone = createEmbeddings({ indexDir: ws.indexDir, corpusDir: ws.corpusDir });
    expect(await standalone.embedQuery('稀土')).toEqual(query);
  });

  it('rejects a k outside 1–25 and a missing index with the reason', async () => {
    expect(() => createRetriever({ indexDir: ws.indexDir, corpusDir: ws.corpusDir, k: 0 })).toThrow(/k must be/);
    const missing = createRetriever({ indexDir: path.join(ws.root, 'nowhere'), corpusDir: ws.corpusDir });
    await expect(missing.invoke('稀土')).rejects.toThrow(/lodestone ingest/);
  });
});
