import { SingleBar, Presets } from 'cli-progress';
import { createLibrarian, type LibrarianService } from '../service/librarian.js';
import { ingest, watchCorpus, type IngestSummary } from '../service/ingest.js';
import type { Dirs } from './options.js';

const STAGE_NAMES: Record<string, string> = { load: 'loading', chunk: 'chunking', train: 'training model', embed: 'embedding', index: 'indexing' };

/** A progress bar on stderr (stdout stays clean for --json), one bar per stage. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { onProgress: (stage: string, done: number, total: number) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  let current = '';
  const interactive = Boolean(stream.isTTY) || process.env.LODESTONE_PROGRESS === '1';
  return {
    onProgress(stage, done, total) {
      if (!interactive) return;
      if (stage !== current) {
        bar?.stop();
        current = stage;
        bar = new SingleBar({ stream, format: `${(STAGE_NAMES[stage] ?? stage).padEnd(15)} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
        bar.start(Math.max(total, 1), done);
      } else bar?.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

export function summaryLine(summary: IngestSummary): string {
  const kinds = Object.entries(summary.byKind).map(([kind, n]) => `${n} ${kind}`).join(', ');
  const reuse = summary.reusedDocuments ? `, ${summary.reusedDocuments} unchanged document(s) reused` : '';
  return `ingested ${summary.documents} documents, ${summary.passages} passages (${kinds}) in ${summary.seconds.toFixed(2)} s with ${summary.model}${reuse}`;
}

export async function runIngest(dirs: Dirs, options: { force?: boolean; watch?: boolean }): Promise<void> {
  const progress = progressReporter();
  const summary = await ingest({ ...dirs, model: process.env.EMBEDDING_MODEL, force: options.force, onProgress: progress.onProgress, onWarning: warn });
  progress.stop();
  console.log(summaryLine(summary));
  if (!options.watch) return;
  console.log(`watching ${dirs.corpusDir} for changes (Ctrl-C to stop)`);
  const watcher = watchCorpus({ ...dirs, model: process.env.EMBEDDING_MODEL, onWarning: warn }, (result) => console.log(summaryLine(result)));
  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The shared service, building or refreshing the index first when the corpus changed. */
export async function openLibrarian(dirs: Dirs): Promise<LibrarianService> {
  const progress = progressReporter();
  try {
    return await createLibrarian({ ...dirs, onWarning: warn, onProgress: progress.onProgress, onIngested: (s) => process.stderr.write(summaryLine(s) + '\n') });
  } finally {
    progress.stop();
  }
}
