// Child process for crash.test.ts: writes index generations into argv[2] until killed.
// With argv[3] === 'kill-before-commit' it SIGKILLs itself after writing a generation's files, before the commit.
import { writeIndex } from '../../src/index/store.js';
import { largeIndexInput } from './fixtures.js';

const [dir, mode] = process.argv.slice(2);
const input = await largeIndexInput(40);
for (let i = 0; ; i++) {
  writeIndex(dir, {
    ...input,
    corpusFingerprint: `child-${i}`,
    beforeCommit: mode === 'kill-before-commit' ? () => process.kill(process.pid, 'SIGKILL') : undefined,
  });
  process.stdout.write(`wrote ${i}\n`);
}
