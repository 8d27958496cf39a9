/**
 * The command line of the documents table (DATABASE_URL): `ingest` imports the corpus folder then builds,
 * `docs list|remove|export`, and the import `migrate --to postgres` adds. src/service/collection.ts says how.
 */
import fs from 'node:fs';
import type { ImportPlan } from '../service/collection.js';
import type { Dirs } from './options.js';
import { progressReporter, summaryLine } from './open.js';
import { downloadReporter } from './download.js';

const names = (files: string[]) => (files.length <= 20 ? `: ${files.join(', ')}` : '');

/** What an import did (or, with --dry-run, would do), one line per kind of change and one per removal. */
export function importLines(plan: ImportPlan, dir: string, dryRun = false): string[] {
  const would = dryRun ? 'would be ' : '';
  const lines = [`${dryRun ? 'dry run — ' : ''}imported from ${dir}: ${plan.added.length} new, ${plan.updated.length} changed, ${plan.unchanged.length} unchanged`];
  if (plan.added.length) lines.push(`  ${would}added ${plan.added.length}${names(plan.added)}`);
  if (plan.updated.length) lines.push(`  ${would}updated ${plan.updated.length}${names(plan.updated)}`);
  if (plan.glossary === 'added' || plan.glossary === 'updated') lines.push(`  glossary.json ${would}${plan.glossary}`);
  for (const gone of plan.removed) lines.push(`  ${dryRun ? 'would remove' : 'removed'} ${gone.id} (${gone.file})`);
  for (const skipped of plan.skipped) lines.push(`  ${skipped}`);
  return lines;
}

/** Builds the table as it is now and prints the summary (or that the published generation already holds it). */
async function buildAndReport(url: string, dirs: Dirs, force?: boolean): Promise<void> {
  const { buildFromTable } = await import('../service/collectionBuild.js');
  const progress = progressReporter();
  try {
    const built = await buildFromTable(url, { indexDir: dirs.indexDir, model: process.env.EMBEDDING_MODEL, force, onProgress: progress.onProgress, onDownload: downloadReporter(progress).onDownload, onWarning: progress.warn });
    progress.stop();
    console.log(built.summary ? summaryLine(built.summary) : `the published index already holds the documents as they are (version ${built.version}); nothing to build`);
  } finally {
    progress.stop();
  }
}

/** `lodestone ingest` with DATABASE_URL: import the folder (when there is one), then build from the table. */
export async function runTableIngest(dirs: Dirs, options: { force?: boolean; watch?: boolean; prune?: boolean; dryRun?: boolean }): Promise<void> {
  const { importFolder, requireDatabaseUrl } = await import('../service/collection.js');
  const url = requireDatabaseUrl('ingest');
  const importOnce = async () => {
    if (!fs.existsSync(dirs.corpusDir)) {
      if (options.prune) throw new (await import('../core/errors.js')).UserInputError(`--prune needs the corpus folder, and ${dirs.corpusDir} does not exist; nothing was changed`);
      console.log(`no corpus folder at ${dirs.corpusDir}: building the documents already in the database`);
      return;
    }
    const plan = await importFolder(url, dirs.corpusDir, { prune: options.prune, dryRun: options.dryRun });
    for (const line of importLines(plan, dirs.corpusDir, options.dryRun)) console.log(line);
  };
  await importOnce();
  if (options.dryRun) return;
  await buildAndReport(url, dirs, options.force);
  if (!options.watch) return;
  console.log(`watching ${dirs.corpusDir} for changes (Ctrl-C to stop)`);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = fs.watch(dirs.corpusDir, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        try {
          await importOnce();
          await buildAndReport(url, dirs);
        } catch (error) {
          process.stderr.write(`warning: re-ingest failed: ${(error as Error).message.split('\n')[0]}\n`);
        }
      });
    }, 300);
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function runDocsList(json: boolean): Promise<void> {
  const { collectionPool, requireDatabaseUrl } = await import('../service/collection.js');
  const { listCurrent } = await import('../corpus/pg/documentTable.js');
  const documents = await listCurrent(await collectionPool(requireDatabaseUrl('docs list')));
  if (json) console.log(JSON.stringify(documents.map(({ id, file, title, sha256 }) => ({ id, file, title, sha256 }))));
  else for (const d of documents) console.log(`${d.id}\t${d.file}\t${d.title ?? ''}`);
}

/** `docs remove ID`: marks it removed, then builds, so the published collection no longer holds it. */
export async function runDocsRemove(dirs: Dirs, id: string): Promise<void> {
  const { removeStored, requireDatabaseUrl } = await import('../service/collection.js');
  const url = requireDatabaseUrl('docs remove');
  const removed = await removeStored(url, id);
  console.log(`removed ${removed.id} (${removed.file})`);
  await buildAndReport(url, dirs);
}

export async function runDocsExport(dir: string): Promise<void> {
  const { exportCollection, requireDatabaseUrl } = await import('../service/collection.js');
  const snapshot = await exportCollection(requireDatabaseUrl('docs export'), dir);
  console.log(`exported ${snapshot.documents.length} documents${snapshot.glossary ? ' and glossary.json' : ''} (version ${snapshot.version}) to ${dir}`);
}
