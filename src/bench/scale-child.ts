// Child-process entry for one scale job: `node --import tsx scale-child.ts <job.json> <result.json>`.
import { readFileSync, writeFileSync } from 'node:fs';
import { runScaleJob, type ScaleJob } from './scale-job.js';

const [jobFile, resultFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobFile, 'utf8')) as ScaleJob;
writeFileSync(resultFile, JSON.stringify(await runScaleJob(job)));
// a server a part started (PGlite) or a pool left open must not keep the bench waiting on this child
process.exit(0);
