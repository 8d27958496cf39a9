import { UserInputError } from '../core/errors.js';
import { createLibrarian, type LibrarianService } from '../service/librarian.js';
import { ingest, watchCorpus, type IngestSummary } from '../service/ingest.js';
import type { Dirs } from './options.js';
import { progressReporter } from './progress.js';
import { checkLlmSettings } from './llmSettings.js';
import { downloadReporter } from './download.js';

export { progressReporter } from './progress.js';

export function summaryLine(summary: IngestSummary): string {
  const kinds = Object.entries(summary.byKind).map(([kind, n]) => `${n} ${kind}`).join(', ');
  const reuse = summary.reusedDocuments ? `, ${summary.reusedDocuments} unchanged document(s) reused` : '';
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `ingested ${n(summary.documents, 'document')}, ${n(summary.passages, 'passage')} (${kinds}) in ${summary.seconds.toFixed(2)} s with ${summary.model}${reuse}`;
}

export async function runIngest(dirs: Dirs, options: { force?: boolean; watch?: boolean; prune?: boolean; dryRun?: boolean }): Promise<void> {
  if (process.env.DATABASE_URL?.trim()) return (await import('./collection.js')).runTableIngest(dirs, options);
  if (options.prune || options.dryRun) {
    throw new UserInputError(`--prune and --dry-run are for DATABASE_URL, where documents live in PostgreSQL; without it the corpus folder is the collection: delete the file there`);
  }
  const progress = progressReporter();
  let summary: IngestSummary;
  try {
    summary = await ingest({ ...dirs, model: process.env.EMBEDDING_MODEL, force: options.force, onProgress: progress.onProgress, onDownload: downloadReporter(progress).onDownload, onWarning: progress.warn });
  } finally {
    progress.stop();
  }
  console.log(summaryLine(summary));
  if (!options.watch) return;
  console.log(`watching ${dirs.corpusDir} for changes (Ctrl-C to stop)`);
  const watcher = watchCorpus({ ...dirs, model: process.env.EMBEDDING_MODEL, onWarning: progress.warn }, (result) => console.log(summaryLine(result)));
  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The shared service, building or refreshing the index first when the corpus changed (with DATABASE_URL: loading the published one). */
export async function openLibrarian(dirs: Dirs): Promise<LibrarianService> {
  checkLlmSettings();
  const progress = progressReporter();
  const onIngested = (summary: IngestSummary) => {
    progress.stop();
    progress.line(summaryLine(summary));
  };
  try {
    return await createLibrarian({ ...dirs, onWarning: progress.warn, onProgress: progress.onProgress, onDownload: downloadReporter(progress).onDownload, onIngested });
  } finally {
    progress.stop();
  }
}
