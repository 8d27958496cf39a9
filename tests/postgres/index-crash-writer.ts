// Child process for index-publish.test.ts: publishes index generations to PostgreSQL (argv[2]) until killed.
// argv[4] === 'hang-before-commit': the first generation is uploaded in full inside its transaction, then the
// process prints "staged" and waits there (the parent kills it with the transaction open).
// argv[4] === 'loop': generations are published one after another, each printing "wrote <i>".
import { PgIndexStore } from '../../src/index/pg/store.js';
import { largeIndexInput } from '../index/fixtures.js';

const [url, cacheDir, mode] = process.argv.slice(2);
// many passages make each upload take long enough to be interrupted at varied points
const input = await largeIndexInput(200);
const store = new PgIndexStore(url, cacheDir);
for (let i = 0; ; i++) {
  await store.write({
    ...input,
    corpusFingerprint: `child-${i}`,
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
