// Child process for index-faults.test.ts: one full ingest (argv[2] corpus, argv[3] index), killed by the parent at a
// random moment. Prints "ready" once its modules are loaded (the kill clock starts then), "stage <name>" at each
// stage and "done" at the end, so the parent can tell where the kill landed.
import { ingest } from '../../src/service/ingest.js';

const [corpusDir, indexDir] = process.argv.slice(2);
let stage = '';
process.stdout.write('ready\n');
await ingest({
  corpusDir,
  indexDir,
  model: 'corpus',
  force: true,
  onProgress: (name) => {
    if (name !== stage) process.stdout.write(`stage ${(stage = name)}\n`);
  },
});
process.stdout.write('done\n');
