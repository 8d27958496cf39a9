#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { UserInputError } from '../core/errors.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { resolveDirs, defaultEvalSet, REPO_EVAL_SET, type GlobalOptions } from './options.js';
import { runBatch } from './batch.js';
import { answerJson, answerText, citeJson, citeText, searchJson, searchText, sourcesText, termJson, termText } from './format.js';
import { debugRequested, exitCodeFor, isHelpExit, oneLineError } from './errors.js';
// the service (index, models, glossary) is imported only by a command that uses it: `--help` stays fast
const openLibrarian: typeof import('./open.js').openLibrarian = async (...args) => (await import('./open.js')).openLibrarian(...args);
const runIngest: typeof import('./open.js').runIngest = async (...args) => (await import('./open.js')).runIngest(...args);

// .env beside the repo, when present; variables already in the environment win.
if (existsSync('.env')) process.loadEnvFile('.env');

const program = new Command();
program
  .name('lodestone')
  .description('Answers questions about the documents in corpus/ and cites the exact passages it rests on.')
  .option('--corpus <dir>', 'corpus folder (env CORPUS_DIR)', undefined)
  .option('--index <dir>', 'index folder (env INDEX_DIR)', undefined)
  .option('--debug', 'on an error, print its stack trace instead of one line')
  // usage errors are thrown (not process.exit(1)) and printed by the catch below as one line, exit 2;
  // subcommands defined after this inherit both settings
  .exitOverride()
  .configureOutput({ outputError: () => undefined });

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new InvalidArgumentError('expected a whole number from 1 to 50');
  return n;
}

program
  .command('ingest')
  .description('load, clean and chunk corpus/, embed the passages and write index/ (incremental); with DATABASE_URL: import corpus/ into the documents table, then build from it')
  .option('--force', 'rebuild everything, the corpus model included')
  .option('--watch', 'keep running and re-ingest when a file in corpus/ changes')
  .option('--prune', 'with DATABASE_URL: also remove the stored documents corpus/ lacks (each printed)')
  .option('--dry-run', 'with DATABASE_URL: print what the import would add, update or remove; change nothing')
  .action(async (options: { force?: boolean; watch?: boolean; prune?: boolean; dryRun?: boolean }) => {
    await runIngest(resolveDirs(globals()), options);
  });

program
  .command('passages')
  .description('list the passages in the index, for inspection')
  .option('--doc <id>', 'only this document')
  .option('--json', 'one JSON object per passage')
  .action(async (options: { doc?: string; json?: boolean }) => {
    const librarian = await openLibrarian(resolveDirs(globals()));
    if (options.doc && !librarian.sources().some((s) => s.doc.id === options.doc)) {
      const ids = librarian.sources().map((s) => s.doc.id);
      throw new UserInputError(`no document “${options.doc}” in the index (documents: ${ids.join(', ') || 'none'}); see \`lodestone sources\``);
    }
    for (const p of librarian.allPassages()) {
      if (options.doc && p.docId !== options.doc) continue;
      console.log(options.json ? JSON.stringify(p) : `${p.id}\t${p.kind}\t${p.label}\t${p.text.replace(/\s+/g, ' ').slice(0, 80)}`);
    }
  });

program
  .command('ask')
  .description('answer a question with cited passages')
  .argument('[question...]', 'the question (simplified, traditional Chinese or English)')
  .option('--json', 'print one JSON object: {question, answer, supported, citations, timings, …}')
  .option('--batch', 'read {"id","question"} JSON lines from stdin, print one JSON object per line')
  .action(async (words: string[], options: { json?: boolean; batch?: boolean }) => {
    const librarian = await openLibrarian(resolveDirs(globals()));
    if (options.batch) {
      await runBatch(process.stdin, async (item) => answerJson(await librarian.ask(item.question, { history: item.history })));
      return;
    }
    const answer = await librarian.ask(words.join(' '));
    console.log(options.json ? JSON.stringify(answerJson(answer)) : answerText(answer));
  });

program
  .command('search')
  .description('hybrid (dense + BM25) passage search')
  .argument('[query...]', 'what to look for')
  .option('-k <n>', 'how many passages', positiveInt, 8)
  .option('--json', 'print JSON')
  .option('--batch', 'read {"id","question"} JSON lines from stdin')
  .action(async (words: string[], options: { k: number; json?: boolean; batch?: boolean }) => {
    const librarian = await openLibrarian(resolveDirs(globals()));
    if (options.batch) {
      await runBatch(process.stdin, async (item) => searchJson(item.question, await librarian.search(item.question, options.k)));
      return;
    }
    const query = words.join(' ');
    const results = await librarian.search(query, options.k);
    console.log(options.json ? JSON.stringify(searchJson(query, results)) : searchText(results));
  });

program
  .command('term')
  .description('look a term up in the glossary built from the corpus')
  .argument('[term...]', 'a term in Chinese (either script), English, or an abbreviation')
  .option('--json', 'print JSON')
  .option('--batch', 'read {"id","question"} JSON lines from stdin')
  .action(async (words: string[], options: { json?: boolean; batch?: boolean }) => {
    const librarian = await openLibrarian(resolveDirs(globals()));
    if (options.batch) {
      await runBatch(process.stdin, async (item) => termJson(librarian.term(item.question)));
      return;
    }
    const result = librarian.term(words.join(' '));
    console.log(options.json ? JSON.stringify(termJson(result)) : termText(result));
  });

program
  .command('cite')
  .description('a passage with a ready-to-paste citation, by id or by a few of its words')
  .argument('[passage...]', 'passage id (e.g. zhou2024:4.3:p3fa2) or words from it')
  .option('--json', 'print JSON')
  .action(async (words: string[], options: { json?: boolean }) => {
    const librarian = await openLibrarian(resolveDirs(globals()));
    const result = await librarian.cite(words.join(' '));
    if (!result) {
      process.stderr.write(`no passage matches “${words.join(' ')}”\n`);
      process.exitCode = 2;
      return;
    }
    console.log(options.json ? JSON.stringify(citeJson(result)) : citeText(result));
  });

program
  .command('check')
  .description('find the passages that support a claim, or say that they give other figures or none does')
  .argument('[claim...]', 'the claim (simplified, traditional Chinese or English)')
  .option('--json', 'print JSON')
  .action(async (words: string[], options: { json?: boolean }) => {
    const librarian = await openLibrarian(resolveDirs(globals()));
    const { claimCheckJson, claimCheckText } = await import('./check.js');
    const check = await librarian.findSources(words.join(' '));
    console.log(options.json ? JSON.stringify(claimCheckJson(check)) : claimCheckText(check));
    // like grep: 0 when every sentence is supported, 1 otherwise (scripts can check claims)
    if (check.verdict !== 'supported') process.exitCode = 1;
  });

program
  .command('sources')
  .description('the documents in the index, with metadata and passage counts')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const librarian = await openLibrarian(resolveDirs(globals()));
    const sources = librarian.sources();
    console.log(options.json ? JSON.stringify(sources) : sourcesText(sources));
  });

program
  .command('eval')
  .description('retrieval quality on a question set: Recall@1/5/10 and MRR per language, dense / lexical / hybrid')
  .option('--set <file>', 'JSONL question set (default eval/dev.jsonl in the repo)')
  .option('--answers', 'also score the answers (evidence cited, keywords, none questions, length)')
  .option('--no-expand', 'without glossary query expansion (to measure its effect)')
  .option('--json', 'print JSON')
  .option('--feedback-from <file>', "simulate a reader's 👍/👎 on the answers to this set's questions and rank with them (the feedback boost)")
  .option('--squad <file>', 'a SQuAD-layout reading-comprehension set as a temporary collection: answer figures per language (eval/README.md)')
  .option('--squad-questions <file>', 'with --squad: ask the parallel questions of this file (same ids; XQuAD English), scoring against both golds')
  .option('--leave-out-every <n>', 'with --squad: every n-th article of the part is left out, its questions near misses', '6')
  .option('--part <part>', 'with --squad: fit (odd articles), report (even articles) or all', 'fit')
  .option('--work-dir <dir>', 'with --squad: build the collection here and keep it (default: a temporary folder, removed)')
  .option('--fit-lead', 'fit which span of the quoted sentences leads, on the same data; writes the lead ranker into model/answer-decision.json')
  .option('--fit', 'fit the answer-or-refuse model on the fitting parts and the seed sets; writes model/answer-decision.json (eval/README.md)')
  .option('--external <dir>', 'with --fit or --fit-lead: the public reading-comprehension sets', '../shared/eval/external')
  .option('--report', 'with --fit or --fit-lead: measure the report parts with the fitted model and record them in the file')
  .option('--dump <file>', "with --fit: also write every example (features, label, source) as JSON, to study the fit")
  .action(async (options: { set?: string; json?: boolean; answers?: boolean; expand: boolean; feedbackFrom?: string; squad?: string; squadQuestions?: string; leaveOutEvery: string; part: string; workDir?: string; fit?: boolean; fitLead?: boolean; external: string; report?: boolean; dump?: string }) => {
    if (options.fitLead) {
      const { runFitLead } = await import('./fit.js');
      await runFitLead({ external: options.external, corpusDir: resolveDirs(globals()).corpusDir, evalDir: dirname(REPO_EVAL_SET), report: options.report === true, dump: options.dump });
      return;
    }
    if (options.fit) {
      const { runFit } = await import('./fit.js');
      await runFit({ external: options.external, corpusDir: resolveDirs(globals()).corpusDir, evalDir: dirname(REPO_EVAL_SET), report: options.report === true, dump: options.dump });
      return;
    }
    if (options.squad !== undefined) {
      const every = Number(options.leaveOutEvery);
      if (!Number.isInteger(every) || every < 0) throw new UserInputError(`--leave-out-every is "${options.leaveOutEvery}": give a whole number (0 leaves nothing out)`);
      if (!['fit', 'report', 'all'].includes(options.part)) throw new UserInputError(`--part is "${options.part}": use fit, report or all`);
      const { runSquadEval } = await import('./squad.js');
      await runSquadEval({ squad: options.squad, squadQuestions: options.squadQuestions, leaveOutEvery: every, part: options.part as 'fit' | 'report' | 'all', json: options.json, workDir: options.workDir });
      return;
    }
    const set = options.set ?? defaultEvalSet();
    if (!set) throw new UserInputError('no question set: pass --set FILE (eval/dev.jsonl is not in this checkout)');
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
        throw new UserInputError(`cannot read the question set ${file}: ${why}`);
      }
    };
    const text = read(set);
    const feedbackFrom = options.feedbackFrom === undefined ? undefined : read(options.feedbackFrom);
    const { runEval } = await import('./eval.js');
    await runEval(resolveDirs(globals()), text, { ...options, feedbackFrom });
  });

program
  .command('chat')
  .description('a terminal chat: a plain line asks; /term, /cite, /search, /sources, /help as in Discord')
  .action(async () => {
    const { runChat } = await import('./chat.js');
    await runChat(await openLibrarian(resolveDirs(globals())));
  });

program
  .command('start')
  .description('build the index if missing or stale (with DATABASE_URL: load the published one), then run the Discord bot (DISCORD_TOKEN set) or the terminal chat')
  .action(async () => {
    const { runStart } = await import('./start.js');
    await runStart(resolveDirs(globals()));
  });

program
  .command('deploy-commands')
  .description('register the slash commands with Discord (in DISCORD_GUILD_ID when set, else globally)')
  .action(async () => {
    const { runDeployCommands } = await import('./start.js');
    await runDeployCommands();
  });

const docs = program.command('docs').description('the documents stored in PostgreSQL (DATABASE_URL): list, remove, export');
docs
  .command('list', { isDefault: true })
  .description('the current documents: id, file, title')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const { runDocsList } = await import('./collection.js');
    await runDocsList(options.json === true);
  });
docs
  .command('remove')
  .description('remove a document (by id or file name), then build and publish without it')
  .argument('<id>', 'the document id (lodestone docs list)')
  .action(async (id: string) => {
    const { runDocsRemove } = await import('./collection.js');
    await runDocsRemove(resolveDirs(globals()), id);
  });
docs
  .command('export')
  .description('write every current document back as files, with their sidecars and glossary.json, into a new folder')
  .argument('<dir>', 'a new or empty folder')
  .action(async (dir: string) => {
    const { runDocsExport } = await import('./collection.js');
    await runDocsExport(dir);
  });

program
  .command('migrate')
  .description('copy the embedded bot state (data/feedback.sqlite: votes, settings, thread memory) and the documents of corpus/ into PostgreSQL (DATABASE_URL); safe to run again')
  .requiredOption('--to <target>', 'where to: postgres')
  .option('--from <file>', 'the SQLite state file (default FEEDBACK_DB, else data/feedback.sqlite)')
  .action(async (options: { to: string; from?: string }) => {
    const { runMigrate } = await import('./migrate.js');
    await runMigrate({ ...options, corpusDir: resolveDirs(globals()).corpusDir });
  });

const models = program.command('models').description('embedding models: the presets and the download cache; fetch one ahead of time');
models
  .command('list', { isDefault: true })
  .description('the presets, which are cached, what EMBEDDING_MODEL picks, and the index’s model')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const { listModels, modelListingText } = await import('./models.js');
    const listing = await listModels(resolveDirs(globals()));
    console.log(options.json ? JSON.stringify(listing) : modelListingText(listing));
  });
models
  .command('pull')
  .description('download a hub preset into the cache (default: EMBEDDING_MODEL, else the default preset) and print where it went')
  .argument('[preset]', 'a preset name, e.g. Xenova/multilingual-e5-small')
  .action(async (preset: string | undefined) => {
    const { pullModel } = await import('./models.js');
    console.log(await pullModel(preset));
  });

program
  .command('bench')
  .description('benchmarks: ingest, query latency, index scale, baselines, the bot through a local Discord server')
  .option('--json', 'print JSON')
  .option('--scale <sizes>', 'comma-separated synthetic corpus sizes', '10000,100000')
  .option('--queries <n>', 'how many questions for latency', '500')
  .option('--no-bot', 'skip the Discord round-trip part')
  .option('--write <file>', 'write the report there (e.g. bench/RESULTS.md) instead of the ignored bench/out/RESULTS.md')
  .option('--backend <name>', 'pgvector: also search the scale vectors inside PostgreSQL (DATABASE_URL with pgvector, else PGlite)', 'hnswlib')
  .action(async (options: { json?: boolean; scale: string; queries: string; bot: boolean; write?: string; backend: string }) => {
    const { runBench } = await import('../bench/run.js');
    await runBench(resolveDirs(globals()), { ...options, evalSet: defaultEvalSet() });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!isHelpExit(error)) process.stderr.write(oneLineError(error, { debug: debugRequested() }) + '\n');
  process.exitCode = exitCodeFor(error);
}
