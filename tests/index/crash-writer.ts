// Child process for crash.test.ts: writes index generations into argv[2] until killed.
// With argv[3] === 'kill-before-commit' it SIGKILLs itself after writing a generation's files, before the commit.
import { writeIndex } from '../../src/index/store.js';
import { FakeEmbedder, sampleCorpus } from './fixtures.js';

const [dir, mode] = process.argv.slice(2);
const embedder = new FakeEmbedder();
const { documents, passages } = sampleCorpus();
// many passages make each write take long enough to be interrupted at varied points
const many = Array.from({ length: 40 }, (_, r) => passages.map((p) => ({ ...p, id: `${p.id}:r${r}`, text: `${p.text}${r}` }))).flat();
const vectors = await embedder.embedPassages(many.map((p) => p.text));
for (let i = 0; ; i++) {
  writeIndex(dir, {
    documents,
    passages: many,
    vectors,
    embedderModelId: embedder.modelId,
    dims: embedder.dimensions,
    corpusFingerprint: `child-${i}`,
    chunkerVersion: 'test',
    beforeCommit: mode === 'kill-before-commit' ? () => process.kill(process.pid, 'SIGKILL') : undefined,
  });
  process.stdout.write(`wrote ${i}\n`);
}
