import type { Answer, QuestionLang, ScoredPassage } from '../core/answer.js';
import { composeExtractive, type ComposeInput } from '../answer/extractive.js';
import type { LlmComposer } from '../answer/llm.js';
import { llmConfigFromEnv } from '../answer/llmConfig.js';
import { validateQuestion } from '../answer/validateQuestion.js';
import { parseQuestion } from '../answer/questionFrame.js';
import { phrasesFor } from '../answer/messages.js';
import { bylineOf, namedDocuments } from '../retrieval/documentHints.js';
import { countByKind, type DocumentInfo, type Passage } from '../core/passage.js';
import type { TextEmbedder } from '../embedding/embedder-api.js';
import { Embedder } from '../embedding/embedder.js';
import { loadHubEmbedder } from '../embedding/select.js';
import type { DownloadListener } from '../embedding/hub.js';
import { resolveModelSetting } from '../embedding/modelSetting.js';
import { UnavailableEmbedder } from '../embedding/unavailable.js';
import { Glossary, type ExpansionGroup } from '../glossary/glossary.js';
import { CURATED_FILE, loadCuratedGlossary } from '../glossary/curated.js';
import { englishName, readIndexLexicon, type Lexicon } from '../glossary/lexicon.js';
import { citeChoices, citePassage } from '../cite/cite.js';
import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from '../core/hash.js';
import type { IndexSnapshot, IndexStore } from '../index/api.js';
import { openIndexStore } from '../index/open.js';
import { IndexError } from '../core/errors.js';
import { LiveIndex } from '../index/live.js';
import { Retriever } from '../retrieval/hybrid.js';
import { FeedbackPrior, type VoteSource } from '../retrieval/feedbackBoost.js';
import { detectLang } from '../text/language.js';
import { chineseWords, COMMON_ENGLISH, contentTerms, STOPWORDS } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';
import { ingest, indexIsStale, type IngestSummary } from './ingest.js';
import { corpusDifference, corpusDifferenceText } from './ingest-fingerprint.js';
import { questionGaps, type QuestionGaps } from './corpusGaps.js';
import { createDocumentShelf, type DocumentShelf } from './documents.js';
import { createPublishedShelf } from './publishedShelf.js';
import { findSources, type ClaimCheck, type ClaimCheckDeps } from './claim-check.js';
import { UserInputError } from '../core/errors.js';
import { type AskOptions, type Choice, type CiteResult, type Librarian, type SourceSummary, type TermResult } from './librarian-api.js';


export interface LibrarianOptions {
  corpusDir: string;
  indexDir: string;
  /** EMBEDDING_MODEL; a changed setting makes the index stale. */
  model?: string;
  /** Build the index when missing or stale (default true). */
  autoIngest?: boolean;
  /** An LLM composer (src/answer/llm.ts); default: from LLM_PROVIDER etc., else extractive only. Null = never. */
  composer?: LlmComposer | null;
  onWarning?: (message: string) => void;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Progress of a hub model download (the index's model, or the setting's on a first ingest). */
  onDownload?: DownloadListener;
  onIngested?: (summary: IngestSummary) => void;
}

/** Everything one index generation needs; swapped as a whole so a question in flight keeps a consistent set. */
interface Generation {
  index: IndexSnapshot;
  embedder: TextEmbedder;
  /** The index's embedding model cannot be loaded: answers come from its lexical (BM25) side alone. */
  lexicalOnly: boolean;
  retriever: Retriever;
  glossary: Glossary;
  /** CC-CEDICT glosses of the corpus's own words, built at ingest (empty for an index without one). */
  lexicon: Lexicon;
  /** English name of a Chinese term: the glossary's English alias first, then the lexicon's first sense. */
  englishName: (zh: string) => string | undefined;
  /** The same index searched with a given expansion (a question's lexicon words left out when unconfirmed). */
  retrieverWith: (expand: (question: string) => string[]) => Retriever;
  /** Glossary aliases of a question (the last one remembered). */
  expand: (question: string) => string[];
  /** Votes on earlier answers (one prior, handed from each generation to the next). */
  feedback: FeedbackPrior;
}

export interface LibrarianService extends Librarian {
  allPassages(): Passage[];
  /** Dense / lexical / hybrid search for `lodestone eval`, with or without glossary expansion. */
  searcher(options?: { expand?: boolean }): Retriever;
  /** Re-read index/ if another process (ingest --watch) committed a new generation. */
  reload(): Promise<boolean>;
  /** Follow index/ for new generations (fs.watch with polling as a fallback); `npm start` turns it on. */
  watch(): void;
  readonly documents: DocumentShelf;
  useFeedback(source: VoteSource | undefined): void;
  questionGaps(questions: string[]): Promise<QuestionGaps[]>;
  close(): Promise<void>;
}

const DEFAULT_K = 8;
/** Passages an answer is composed from (it quotes from the best few that are not reference notes). */
const COMPOSER_POOL = 16;
const MAX_SEARCH_K = 25;

export async function createLibrarian(options: LibrarianOptions): Promise<LibrarianService> {
  const model = options.model ?? process.env.EMBEDDING_MODEL;
  const store = openIndexStore(options.indexDir);
  if (store.published) return servePublished(options, store);
  if (options.autoIngest !== false && (await indexIsStale(options.corpusDir, options.indexDir, model))) {
    const summary = await ingest({ corpusDir: options.corpusDir, indexDir: options.indexDir, model, onProgress: options.onProgress, onDownload: options.onDownload, onWarning: options.onWarning });
    options.onIngested?.(summary);
  }
  let generation: Generation;
  try {
    generation = await openGeneration(options, await store.load());
  } catch (error) {
    // a truncated or corrupted index is rebuilt from corpus/ rather than refusing to start
    if (!(error instanceof IndexError) || options.autoIngest === false) throw error;
    options.onWarning?.(`${error.message.split('\n')[0]} — rebuilding it now`);
    const summary = await ingest({ corpusDir: options.corpusDir, indexDir: options.indexDir, model, force: true, onProgress: options.onProgress, onDownload: options.onDownload, onWarning: options.onWarning });
    options.onIngested?.(summary);
    generation = await openGeneration(options, await store.load());
  }
  return new LibrarianImpl({ ...options, composer: await composerFor(options) }, store, generation);
}

/**
 * With DATABASE_URL the collection is the generation a build published (`ingest`, `/docs`): this process loads it
 * and never builds, whatever its corpus folder holds. A build here — because the folder is empty, missing or
 * another machine's, or the local copy failed to load — would publish this folder as everyone's collection and
 * drop the other machines' documents. A folder that differs is said once; the answers come from the published one.
 */
async function servePublished(options: LibrarianOptions, store: IndexStore): Promise<LibrarianService> {
  // none published: the store's IndexError says where to run `lodestone ingest` (one line, exit 2)
  const index = await store.load();
  const difference = corpusDifference(options.corpusDir, index);
  if (difference) {
    options.onWarning?.(
      `the corpus folder ${options.corpusDir} is not what the published index was built from (${corpusDifferenceText(difference)}); answering from the published index — its documents change only where \`lodestone ingest\` or /docs runs`,
    );
  }
  const generation = await openGeneration(options, index, undefined, true);
  return new LibrarianImpl({ ...options, composer: await composerFor(options) }, store, generation, true);
}

async function composerFor(options: LibrarianOptions): Promise<LlmComposer | null> {
  if (options.composer !== undefined) return options.composer;
  const config = llmConfigFromEnv();
  // LangChain loads only when an LLM is configured
  return config ? (await import('../answer/llm.js')).createLlmComposer(config) : null;
}

async function openGeneration(options: LibrarianOptions, index: IndexSnapshot, previous?: Generation, published = false): Promise<Generation> {
  const { embedder, lexicalOnly } = await embedderFor(index, options, previous);
  const glossary = loadGlossary(options, index, published);
  const lexicon = readIndexLexicon(options.indexDir, index.manifest.build, options.onWarning);
  glossary.useLexicon(lexicon);
  // the retriever and the composer both want a question's expansion: computed once per question
  let last: { question: string; aliases: string[] } | undefined;
  const expand = (question: string): string[] => {
    if (last?.question !== question) last = { question, aliases: glossary.expandQuery(question) };
    return last.aliases;
  };
  const feedback = previous?.feedback ?? new FeedbackPrior();
  const retriever = new Retriever(index, embedder, { expand, lexicalOnly, feedback });
  const retrieverWith = (expandWith: (question: string) => string[]) => new Retriever(index, embedder, { expand: expandWith, lexicalOnly, feedback });
  return { index, embedder, lexicalOnly, retriever, glossary, lexicon, englishName: (zh) => englishName(zh, glossary, lexicon), retrieverWith, expand, feedback };
}

/**
 * The glossary of this index generation and curated file. Building it takes a few hundred ms, so it is
 * cached beside the index (keyed by generation and curated-file hash) and rebuilt only when either changes.
 */
function loadGlossary(options: LibrarianOptions, index: IndexSnapshot, published: boolean): Glossary {
  // a published index carries the builder's curated glossary (none when it had none): this machine's corpus
  // folder, if any, may be another collection's; a local index goes with the corpus folder it was built from
  const attached = published || !fs.existsSync(options.corpusDir) ? index.attachment?.(CURATED_FILE) : undefined;
  const curated = attached ? loadCuratedGlossary(path.dirname(attached)) : published ? { entries: [], warnings: [] } : loadCuratedGlossary(options.corpusDir);
  for (const warning of curated.warnings) options.onWarning?.(warning);
  const key = sha256(`${index.generation}\n${index.manifest.corpusFingerprint}\n${JSON.stringify(curated.entries)}`);
  const cacheFile = path.join(options.indexDir, 'glossary-cache.json');
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { key: string; glossary: unknown };
    if (cached.key === key) return Glossary.fromJSON(cached.glossary as Parameters<typeof Glossary.fromJSON>[0]);
  } catch {
    // missing, stale or damaged cache: rebuild below
  }
  const glossary = Glossary.build(index.passages, index.documents, curated.entries);
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ key, glossary: glossary.toJSON() }));
    fs.renameSync(tmp, cacheFile);
  } catch (error) {
    options.onWarning?.(`glossary cache not written (${(error as Error).message}); it will be rebuilt next start`);
  }
  return glossary;
}

/**
 * The embedder the index was built with: the corpus model stored beside it, the hub model by name (from the
 * cache, else downloaded when the hub answers), or the local model directory it was built from. When that
 * model cannot be loaded at all, the index is not rebuilt with another one: it answers lexically (BM25), and
 * says so once — not again for the next generation built with the same model.
 */
async function embedderFor(index: IndexSnapshot, options: LibrarianOptions, previous?: Generation): Promise<{ embedder: TextEmbedder; lexicalOnly: boolean }> {
  const { modelId, dimensions } = index.manifest;
  if (index.modelDir) return { embedder: await Embedder.load({ model: 'corpus', modelDir: index.modelDir }), lexicalOnly: false };
  try {
    return { embedder: await indexModel(index, options), lexicalOnly: false };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    if (!(previous?.lexicalOnly && previous.index.manifest.modelId === modelId)) {
      const pull = modelId.startsWith('local:') ? 'put the model directory back' : `run \`npx lodestone models pull ${modelId}\` where the hub is reachable`;
      options.onWarning?.(
        `embedding: the index's model ${modelId} cannot be loaded (${reason}); answering from the index's words alone (no semantic search) — ${pull}, or rebuild with another model: \`npx lodestone ingest --force\``,
      );
    }
    return { embedder: new UnavailableEmbedder(modelId, dimensions, reason), lexicalOnly: true };
  }
}

/** The index's (non-corpus) model, checked to be the very model its vectors were made with. */
async function indexModel(index: IndexSnapshot, options: LibrarianOptions): Promise<TextEmbedder> {
  const { modelId } = index.manifest;
  if (!modelId.startsWith('local:')) return loadHubEmbedder(modelId, { onDownload: options.onDownload });
  // a local model directory: where the setting points now (it may have moved), else where it was at ingest
  const origin = index.manifest.build?.modelOrigin as { dir?: string } | undefined;
  const dirs: string[] = [];
  try {
    const request = resolveModelSetting(options.model ?? process.env.EMBEDDING_MODEL);
    if (request.kind === 'dir') dirs.push(request.dir);
  } catch {
    // a setting that no longer resolves is reported by ingest; the recorded directory may still be there
  }
  if (origin?.dir && !dirs.includes(origin.dir)) dirs.push(origin.dir);
  let reason = 'no model directory recorded';
  for (const dir of dirs) {
    try {
      const embedder = await Embedder.load({ model: dir });
      if (embedder.modelId === modelId) return embedder;
      reason = `${dir} now holds ${embedder.modelId}`;
    } catch (error) {
      reason = (error as Error).message;
    }
  }
  throw new Error(reason);
}

/**
 * Words of a question that the corpus cannot contain: English words not in its text and with no glossary
 * alias, Chinese words that occur nowhere in it. The composer counts them as uncovered, so a question about
 * something else ("the capital of France", 量子计算) is not "answered" by a sentence that shares its other words.
 */
async function absentWords(question: string, g: Generation, confirmed: Set<string> = new Set(), groups: ExpansionGroup[] = []): Promise<string[]> {
  const key = searchKey(question);
  const english = [...contentTerms(key.replace(/\p{Script=Han}+/gu, ' '))].filter((word) => /^[a-z]{3,}$/.test(word) && !COMMON_ENGLISH.has(word));
  const chinese = chineseWords(key).filter((word) => word.length >= 2 && !STOPWORDS.has(word));
  // a word only the dictionary bridges counts as bridged when its Chinese is confirmed (see confirmedExpansion)
  // so does a word inside a phrase the glossary expands ("permanent" in "permanent magnet")
  const inPhrase = new Set(groups.flatMap((group) => [...contentTerms(group.source)]));
  const bridged = (word: string) =>
    inPhrase.has(word) || g.glossary.expandQuery(word, { lexicon: false }).length > 0 || g.glossary.expandQuery(word).some((zh) => confirmed.has(zh));
  const candidates = [...new Set([...english, ...chinese])].filter((word) => !bridged(word));
  const frequencies = await Promise.all(candidates.map((word) => g.index.lexical.documentFrequency(word)));
  return candidates.filter((_, i) => frequencies[i] === 0);
}

/**
 * A question's glossary expansion for the composer. The curated entries' forms stand; a form only the CC-CEDICT
 * lexicon supplied stands when a retrieved passage holds it together with the question's curated terms (or
 * the question has none) — "capital" is 资本 in this corpus, yet no passage speaks of France's 资本, so in "the
 * capital of France" it stays an uncovered English word, and `ask` searches again without it.
 */
function confirmedExpansion(question: string, g: Generation, results: ScoredPassage[]): { terms: string[]; confirmed: Set<string> } {
  const all = g.expand(question);
  const curated = new Set(g.glossary.expandQuery(question, { lexicon: false }));
  const lexiconOnly = all.filter((t) => !curated.has(t));
  if (lexiconOnly.length === 0) return { terms: all, confirmed: new Set() };
  const curatedHan = [...curated].filter((t) => /\p{Script=Han}/u.test(t)).map((t) => searchKey(t));
  const retrieved = results.map((r) => r.passage.searchKey || searchKey(r.passage.text));
  const confirmed = new Set(
    lexiconOnly.filter((t) => retrieved.some((text) => text.includes(searchKey(t)) && (curatedHan.length === 0 || curatedHan.some((c) => text.includes(c))))),
  );
  return { terms: all.filter((t) => curated.has(t) || confirmed.has(t)), confirmed };
}

/** The expansion's groups, each keeping only the forms confirmedExpansion kept. */
function keptGroups(groups: ExpansionGroup[], kept: string[]): ExpansionGroup[] {
  const keep = new Set(kept);
  return groups.map((g) => ({ ...g, forms: g.forms.filter((f) => keep.has(f)) })).filter((g) => g.forms.length > 0);
}

/** Author and year ("周亚敏 2024"), else the title: a comparison heading per document. */
function shortName(doc: DocumentInfo | undefined): string {
  if (!doc) return '';
  const who = doc.author && !/^(?:佚名|unknown|anonymous|匿名)$/i.test(doc.author) ? doc.author : doc.venue?.split(/[（(「,，]/)[0];
  return who ? `${who}${doc.year ? ` ${doc.year}` : ''}` : doc.title;
}

/** A bare follow-up ("为什么？") with no conversation: ask for the subject instead of guessing. */
function needsContextAnswer(question: string, lang: QuestionLang, started: number): Answer {
  const lead = phrasesFor(lang).needsContext;
  return {
    question,
    lead,
    parts: [],
    text: lead,
    citations: [],
    supported: false,
    lang,
    related: [],
    composer: 'extractive',
    timings: { embedMs: 0, searchMs: 0, composeMs: 0, totalMs: performance.now() - started },
  };
}

class LibrarianImpl implements LibrarianService {
  private generation: Generation;
  /** Follows index/CURRENT; a newer generation that fails to load is reported and the current one kept. */
  private readonly live: LiveIndex;
  private swapping: Promise<boolean> = Promise.resolve(false);
  readonly documents: DocumentShelf;

  constructor(
    private readonly options: LibrarianOptions,
    store: IndexStore,
    generation: Generation,
    /** Served from the published index (DATABASE_URL): see servePublished. */
    private readonly published = false,
  ) {
    this.generation = generation;
    const model = options.model ?? process.env.EMBEDDING_MODEL;
    const url = process.env.DATABASE_URL?.trim();
    // with DATABASE_URL /docs writes the documents table, never this machine's corpus folder (publishedShelf.ts)
    this.documents =
      published && url
        ? createPublishedShelf({ url, indexDir: options.indexDir, model, onWarning: options.onWarning }, this)
        : createDocumentShelf({ corpusDir: options.corpusDir, indexDir: options.indexDir, model, onWarning: options.onWarning }, this);
    this.live = new LiveIndex(store, generation.index, {
      onSwap: (index) => void this.adopt(index),
      onError: (error) => options.onWarning?.(`new index not loaded, keeping the previous one: ${error.message}`),
    });
  }

  /**
   * Builds the rest of a generation (embedder, glossary, retriever) for a newly loaded index and only then
   * puts it in service: a question in flight keeps the generation it started with.
   */
  private adopt(index: IndexSnapshot): Promise<boolean> {
    this.swapping = this.swapping.then(async () => {
      try {
        this.generation = await openGeneration(this.options, index, this.generation, this.published);
        return true;
      } catch (error) {
        this.options.onWarning?.(`new index not loaded, keeping the previous one: ${(error as Error).message}`);
        return false;
      }
    });
    return this.swapping;
  }

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const started = performance.now();
    const question = validateQuestion(rawQuestion);
    const lang: QuestionLang = options.lang ?? detectLang(question);
    const g = this.generation;
    // the question is read once; search, composition and the LLM path read this frame
    const frame = parseQuestion(question, { lang, history: options.history, condensed: await this.condensedQuestion(question, options.history) });
    if (frame.needsContext) return needsContextAnswer(question, lang, started);
    const searchQuery = frame.standalone;
    const k = options.k ?? DEFAULT_K;
    // the composer sets reference notes aside, so it looks further down the ranking than the k it cites from
    const pool = Math.max(k, COMPOSER_POOL);
    let { results, timings } = await g.retriever.search(searchQuery, pool);
    // dictionary words no retrieved passage confirms (see confirmedExpansion) are searched again without them
    const expansion = confirmedExpansion(searchQuery, g, results);
    if (expansion.terms.length < g.expand(searchQuery).length) {
      const again = await g.retrieverWith(() => expansion.terms).search(searchQuery, pool);
      results = again.results;
      timings = { embedMs: timings.embedMs + again.timings.embedMs, searchMs: timings.searchMs + again.timings.searchMs };
    }
    const composeStart = performance.now();
    const documents = g.index.documents;
    const groups = keptGroups(g.glossary.expandQueryGroups(searchQuery), expansion.terms);
    const input: ComposeInput = {
      // sentences are scored against the standalone question (a follow-up's carried-over context included)
      question: searchQuery,
      lang,
      frame,
      results,
      passageById: (id) => g.index.byId(id),
      titleOf: (docId: string) => g.index.document(docId)?.title ?? docId,
      expandedTerms: expansion.terms,
      expansionGroups: groups,
      unbridgedTerms: await absentWords(searchQuery, g, expansion.confirmed, groups),
      // a follow-up's own question names the document, not the carried context
      namedDocIds: namedDocuments(frame.asked, documents),
      previousAnswer: options.history?.length ? options.history[options.history.length - 1].answer : undefined,
      englishNames: (text) => g.glossary.englishNames(text),
      isVerb: (word) => g.lexicon.isVerb(word),
      englishName: g.englishName,
      shortNameOf: (docId) => shortName(g.index.document(docId)),
      bylineOf: (docId) => bylineOf(g.index.document(docId)),
    };
    const composed = this.options.composer ? await this.options.composer.compose({ ...input, history: options.history }) : await composeExtractive(input);
    const composeMs = performance.now() - composeStart;
    return {
      ...composed,
      question,
      timings: { embedMs: timings.embedMs, searchMs: timings.searchMs, composeMs, totalMs: performance.now() - started },
    };
  }

  /**
   * A follow-up ("and cobalt?") condensed by the LLM into a standalone question, when one is configured; otherwise
   * undefined, and the frame carries the previous question's content terms over (src/answer/followUp.ts).
   */
  private async condensedQuestion(question: string, history: AskOptions['history']): Promise<string | undefined> {
    const composer = this.options.composer;
    if (!history?.length || !composer) return undefined;
    try {
      return (await composer.condenseQuestion(history, question)).trim() || undefined;
    } catch (error) {
      this.options.onWarning?.(`condensing the follow-up failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  async search(rawQuery: string, k = DEFAULT_K): Promise<ScoredPassage[]> {
    const query = validateQuestion(rawQuery);
    if (!Number.isInteger(k) || k < 1 || k > MAX_SEARCH_K) throw new UserInputError(`k must be a whole number from 1 to ${MAX_SEARCH_K}`);
    return (await this.generation.retriever.search(query, k)).results;
  }

  term(rawQuery: string): TermResult {
    const query = rawQuery.replace(/\s+/g, ' ').trim();
    if (!query) throw new UserInputError('Which term? / 请输入要查询的术语。');
    if ([...query].length > 100) throw new UserInputError('A term is at most 100 characters. / 术语最长 100 个字符。');
    const { entries, suggestions } = this.generation.glossary.lookup(query);
    return { query, entries, suggestions };
  }

  termChoices(prefix: string): Choice[] {
    return this.generation.glossary.choices(prefix.slice(0, 100));
  }

  async cite(idOrWords: string): Promise<CiteResult | null> {
    const query = idOrWords.replace(/\s+/g, ' ').trim();
    if (!query) throw new UserInputError('Which passage? Give its id or a few of its words. / 请给出段落编号或其中几个词。');
    const g = this.generation;
    const found = await citePassage(query.slice(0, 500), g.index.passages, g.index.documents, (terms, k) => g.index.lexical.search(terms, k));
    if (!found) return null;
    return { ...found, title: g.index.document(found.passage.docId)?.title ?? found.passage.docId };
  }

  citeChoices(prefix: string): Choice[] {
    return citeChoices(prefix.slice(0, 100), this.generation.index.passages);
  }

  findSources(claim: string, options: { lang?: QuestionLang } = {}): Promise<ClaimCheck> {
    const g = this.generation;
    const deps: ClaimCheckDeps = {
      search: async (q, k) => (await g.retriever.search(q, k)).results,
      bridges: (q) => g.glossary.expandQueryGroups(q),
      titleOf: (docId) => g.index.document(docId)?.title ?? docId,
    };
    return findSources(claim, deps, options);
  }

  sources(): SourceSummary[] {
    const { index } = this.generation;
    return index.documents.map((doc) => {
      const mine = index.passages.filter((p) => p.docId === doc.id);
      return { doc, passages: mine.length, byKind: countByKind(mine) };
    });
  }

  passage(id: string): Passage | undefined {
    return this.generation.index.byId(id.trim());
  }

  allPassages(): Passage[] {
    return this.generation.index.passages;
  }

  searcher(options: { expand?: boolean } = {}): Retriever {
    const g = this.generation;
    return options.expand === false ? new Retriever(g.index, g.embedder, { lexicalOnly: g.lexicalOnly, feedback: g.feedback }) : g.retriever;
  }

  useFeedback(source: VoteSource | undefined): void {
    this.generation.feedback.use(source);
  }

  async questionGaps(questions: string[]): Promise<QuestionGaps[]> {
    const g = this.generation;
    const lookups = {
      absent: (q: string) => absentWords(q, g),
      expansion: (q: string) => g.glossary.expandQuery(q, { lexicon: false }),
      documentFrequency: (term: string) => g.index.lexical.documentFrequency(term),
    };
    return Promise.all(questions.map((q) => questionGaps(q, lookups)));
  }

  describe() {
    const { index } = this.generation;
    return { model: index.manifest.modelId, passages: index.passages.length, documents: index.documents.length, llm: this.options.composer?.name };
  }

  async reload(): Promise<boolean> {
    const swapped = await this.live.reloadIfChanged();
    // a swap the watcher started just before is finished too, so a caller sees the newest generation in service
    const adopted = await this.swapping;
    return swapped && adopted;
  }

  watch(): void {
    this.live.watch();
  }

  async close(): Promise<void> {
    this.live.close();
    await this.swapping;
  }
}
