// Child process for index-publish.test.ts: publishes index generations to PostgreSQL (argv[2]) until killed.
// argv[4] === 'hang-before-commit': the first generation is uploaded in full inside its transaction, then the
// process prints "staged" and waits there (the parent kills it with the transaction open).
// argv[4] === 'loop': generations are published one after another, each printing "wrote <i>".
import { PgIndexStore } from '../../src/index/pg/store.js';
import { FakeEmbedder, sampleCorpus } from '../index/fixtures.js';

const [url, cacheDir, mode] = process.argv.slice(2);
const embedder = new FakeEmbedder();
const { documents, passages } = sampleCorpus();
// many passages make each upload take long enough to be interrupted at varied points
const many = Array.from({ length: 200 }, (_, r) => passages.map((p) => ({ ...p, id: `${p.id}:r${r}`, text: `${p.text}${r}` }))).flat();
const vectors = await embedder.embedPassages(many.map((p) => p.text));
const store = new PgIndexStore(url, cacheDir);
for (let i = 0; ; i++) {
  await store.write({
    documents,
    passages: many,
    vectors,
    embedderModelId: embedder.modelId,
    dims: embedder.dimensions,
    corpusFingerprint: `child-${i}`,
    chunkerVersion: 'test',
    beforeCommit:
      mode === 'hang-before-commit'
        ? () => {
            process.stdout.write('staged\n');
            // block right here, transaction open, until the parent's SIGKILL
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
          }
        : undefined,
  });
  process.stdout.write(`wrote ${i}\n`);
}
