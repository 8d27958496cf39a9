import type { ExpansionGroup } from '../glossary/glossary.js';
import { bigrams } from '../glossary/similarity.js';
import type { Passage } from '../core/passage.js';
import { searchKey, toSimplified, toTraditional } from '../text/searchKey.js';
import { contentTerms, numbersIn } from '../text/segment.js';
import { chineseNumbersIn } from '../text/numerals.js';
import type { Answer, AnswerPart, Citation, QuestionLang, ScoredPassage } from '../core/answer.js';
import { answerText } from './plainText.js';
import { phrasesFor } from './messages.js';
import { nameMatch, profileQuestion, QUESTION_FRAME_WORDS, termMatch, type QuestionProfile } from './questionTerms.js';
import { splitSentences } from '../text/sentences.js';
import { clipChars } from '../text/clip.js';
import { sameNumber } from './citationCheck.js';
import { holdsAnswerType, isMoneyNoun, MONEY_FIGURE, SHARE_FIGURE, type QuestionIntent } from './intent.js';
import { inCollectionWords, parseQuestion, type QuestionFrame } from './questionFrame.js';
import { cue, pattern } from '../text/lang.js';
import { isPlaceName } from '../text/gazetteer.js';
import { answerUnit, opensEnumeration, ordinalIn } from './answerUnit.js';
import { buildLead, listItems, scoredSpans } from './lead.js';
import { answerProbability, decisionModel, leadTraces, linearLogit, sentenceTraces, sentenceVector } from './decision.js';
import { decisionFeatures, pairStats, questionChars, sentenceFeatures } from './decisionFeatures.js';

/** Whole answer text (lead + quotes + source list), in characters: what tests and the bot check. */
export const ANSWER_MAX_CHARS = 1300;
/** Body (lead + quotes) caps: about 600 Han characters or 900 characters overall. */
export const ANSWER_BODY_MAX_CHARS = 900;
export const ANSWER_BODY_MAX_HAN = 600;

/**
 * supported ⇔ at least one sentence chosen, every number of the question (and a follow-up's own words) in what is
 * quoted, and the fitted decision (src/answer/decision.ts, model/answer-decision.json) answering: its features are
 * the coverage and answer-type signals below, the sentence ranker's scores and retrieval's, all general.
 */

export interface ComposeInput {
  /** The question as composed with (a follow-up's standalone form); `frame` holds how it was read. */
  question: string;
  lang: QuestionLang;
  /** The question read once (src/answer/questionFrame.ts); read from `question` when the caller has none. */
  frame?: QuestionFrame;
  results: ScoredPassage[];
  passageById: (id: string) => Passage | undefined;
  titleOf: (docId: string) => string;
  /** Cosine similarity of the question to each sentence (same order), e.g. from the corpus embedder. */
  embedSimilarity?: (question: string, sentences: string[]) => Promise<number[]> | number[];
  /** Glossary expansion for English (or any) questions: English terms plus Chinese aliases. */
  expandedTerms?: string[];
  /** expandedTerms grouped by the question word or glossary entry they stand for (one question item each). */
  expansionGroups?: ExpansionGroup[];
  /** English words of the question with no Chinese counterpart in the corpus (see profileQuestion). */
  unbridgedTerms?: string[];
  /** Documents the question names ("the web article says…"): only their passages are quoted. */
  namedDocIds?: Set<string>;
  /** Text of the previous answer in the conversation: its quotes are not repeated. */
  previousAnswer?: string;
  /** Glossary terms in a text with their English names (curated first), for English leads and gloss lines. */
  englishNames?: (text: string) => { term: string; english: string }[];
  /** How a document's metadata names it — its author, its venue (周亚敏, 加西網) — for questions that name it so. */
  bylineOf?: (docId: string) => string[];
  /** Whether the dictionary knows a Chinese word as a verb (see Lexicon.isVerb). */
  isVerb?: (word: string) => boolean;
  /** English name of one Chinese term (curated glossary first, then the corpus lexicon), for English leads. */
  englishName?: (zh: string) => string | undefined;
  /** Title (short, e.g. the label's author–year) of a document, for comparison headings. */
  shortNameOf?: (docId: string) => string;
}

/** Everything but timings, which the caller (the service) measures. */
export type ComposedAnswer = Omit<Answer, 'timings'>;

interface Candidate {
  passage: Passage;
  score: number;
  /** Rank of the passage in retrieval (footnotes inherit the rank of the paragraph citing them). */
  rank: number;
  isLinkedFootnote: boolean;
  text: string;
  key: string;
  index: number;
  /** Sentence relevance, 0..~2. */
  relevance: number;
  /** Weighted question items this sentence covers (terms, numbers, names). */
  covers: Set<string>;
  /** The sentence ranker's features (when a ranker is fitted, or `eval --fit` collects them). */
  features?: number[];
  /** The ranker's score (a logit; comparable across the candidates of one question). */
  logit?: number;
  /** What the question's form adds or takes (a table it names, a footnote for a source question, a repeat). */
  bonus: number;
  /** Weighted share of the question's items the sentence holds. */
  coverage: number;
}

/** A ranker probability of 1 weighs what full coverage with the best rank and type priors did (~1.2). */
const RANKER_SCALE = 1.2;
const RANKER_TEMPERATURE = 2;

const MAX_PASSAGES = 8;
const MAX_CITED_PASSAGES = 4;
/** Quotes chosen to cover the question, before answer units (enumerations) are completed. */
const MAX_PICKS = 3;
/** Quote lines in all, answer units and comparison sides included. */
const MAX_QUOTES = 8;
/**
 * Support is judged on a wider set than is quoted: the sentences that together cover most of the question
 * (as a reader scanning the top passages would), so a tight answer is not refused for being tight.
 */
const SUPPORT_PICKS = 6;

interface Item {
  id: string;
  weight: number;
  /** A rare term of the question (or a number/name): near misses differ from the corpus in these. */
  distinctive: boolean;
  /**
   * An English word no expansion bridges, or only the dictionary does: a Chinese passage may say it in other
   * words (breakthrough → 突破性进展), so its absence is weaker evidence (half weight in distinctiveCoverage).
   */
  soft?: boolean;
  present: (key: string, numbers: string[]) => number;
}

/** Question items with weights: terms (rarer in the candidate pool ⇒ heavier), numbers, names. */
function questionItems(profile: QuestionProfile, sentenceKeys: string[], focus: Set<string>): Item[] {
  const n = sentenceKeys.length || 1;
  const items: Item[] = [];
  for (const group of profile.groups) {
    // a group (the forms of one glossary entry or English word) is one item, covered by any of its forms
    const df = sentenceKeys.filter((k) => group.some((term) => termMatch(term, k) >= 1)).length;
    const idf = Math.log(1 + (n + 1) / (df + 0.5));
    const longest = Math.max(...group.map((term) => [...term].length));
    const lengthFactor = 1 + 0.25 * Math.min(3, longest - 1);
    const focusFactor = focus.size === 0 || group.some((term) => focus.has(term)) ? 1 : 0.5;
    // rare in the pool: at most a tenth of the sentences hold it
    const distinctive = df <= Math.max(1, n / 10) && group.some((term) => [...term].length >= 2 || /\p{Script=Han}/u.test(term));
    const present = group.length === 1 ? (key: string) => termMatch(group[0], key) : (key: string) => Math.max(...group.map((term) => termMatch(term, key)));
    const soft = group.every((term) => profile.soft.has(term));
    // an absent Chinese verb (买) or an English word of the asker's talk is weak evidence: half weight in coverage too
    const talk = group.every((term) => profile.absentVerbs.has(term) || profile.lightWords.has(term));
    // in a short question, a Chinese noun no retrieved sentence holds (首都 of 意大利的首都呢) is what the corpus
    // lacks: it weighs more (a long question has other words to tell a near miss by)
    const unseen = profile.groups.length <= 3 && df === 0 && !soft && group.every((term) => /\p{Script=Han}/u.test(term)) && longest >= 2;
    items.push({ id: `t:${group[0]}`, weight: Math.max(0.2, idf) * lengthFactor * focusFactor * (talk ? 0.5 : unseen ? 1.5 : 1), distinctive, present, soft });
  }
  for (const num of profile.numbers) {
    items.push({ id: `n:${num}`, weight: 3, distinctive: true, present: (_key, nums) => (nums.some((m) => sameNumber(m, num)) ? 1 : 0) });
  }
  for (const name of profile.names) {
    items.push({ id: `m:${name}`, weight: 4, distinctive: true, present: (key) => (nameMatch(name, key) ? 1 : 0) });
  }
  return items;
}

/** Near-duplicate: most of the shorter sentence's bigrams occur in the other (the web article repeats itself). */
function nearDuplicate(a: string, b: string): boolean {
  const ba = new Set(bigrams(a.replace(/\s+/g, '')));
  const bb = new Set(bigrams(b.replace(/\s+/g, '')));
  const [small, large] = ba.size <= bb.size ? [ba, bb] : [bb, ba];
  if (small.size === 0) return true;
  let shared = 0;
  for (const g of small) if (large.has(g)) shared++;
  return shared / small.size >= 0.7;
}

function hanCount(text: string): number {
  return text.match(/\p{Script=Han}/gu)?.length ?? 0;
}

/** A bibliography entry or bare link: worth quoting only when the question asks for a source. */
// (without the u flag: this runs on every sentence gathered, and u-mode matching is slower here)
const BIBLIOGRAPHY = cue('bibliography', 'i');

/** Gather passages to quote from: the top results plus the footnotes the top paragraphs link to. */
/** A passage that is nothing but a reference (author, “title,” URL, 载《…》第 5 期): it answers only "where from". */
function bibliographyOnly(passage: Passage): boolean {
  return passage.kind === 'footnote' && splitSentences(passage.text).every((s) => BIBLIOGRAPHY.test(s.text));
}

interface Gathered {
  passage: Passage;
  score: number;
  rank: number;
  linked: boolean;
}

function gatherPassages(input: ComposeInput, asksProvenance: boolean): Gathered[] {
  const seen = new Set<string>();
  const out: Gathered[] = [];
  const named = input.namedDocIds && input.namedDocIds.size ? input.namedDocIds : undefined;
  // English questions match the English of reference notes: those do not take the places of passages that answer
  const top = [...input.results]
    .filter((r) => !named || named.has(r.passage.docId))
    .filter((r) => asksProvenance || !bibliographyOnly(r.passage))
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_PASSAGES);
  top.forEach((r, rank) => {
    if (seen.has(r.passage.id)) return;
    seen.add(r.passage.id);
    out.push({ passage: r.passage, score: r.score, rank, linked: false });
  });
  top.slice(0, 4).forEach((r, rank) => {
    for (const fid of r.passage.footnotes ?? []) {
      if (seen.has(fid)) continue;
      const fn = input.passageById(fid);
      if (!fn) continue;
      seen.add(fid);
      out.push({ passage: fn, score: r.score, rank, linked: true });
    }
  });
  return out;
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

/** Score every sentence of the gathered passages against the question. */
async function scoreSentences(input: ComposeInput, gathered: Gathered[], profile: QuestionProfile, frame: QuestionFrame): Promise<{ candidates: Candidate[]; items: Item[] }> {
  const intent = frame.intent;
  const previous = input.previousAnswer ? squash(input.previousAnswer) : '';
  const raw: Omit<Candidate, 'relevance' | 'covers' | 'bonus' | 'coverage'>[] = [];
  for (const g of gathered) {
    for (const s of splitSentences(g.passage.text)) {
      if (!profile.asksProvenance && BIBLIOGRAPHY.test(s.text)) continue;
      raw.push({ passage: g.passage, score: g.score, rank: g.rank, isLinkedFootnote: g.linked, text: s.text, key: searchKey(s.text), index: s.index });
    }
  }
  const focus = new Set(frame.focus.map((t) => searchKey(t)));
  const items = questionItems(profile, raw.map((r) => r.key), focus);
  const totalWeight = items.reduce((sum, it) => sum + it.weight, 0) || 1;
  let similarities: number[] | undefined;
  if (input.embedSimilarity && raw.length) {
    try {
      similarities = await input.embedSimilarity(input.question, raw.map((r) => r.text));
    } catch {
      similarities = undefined; // similarity is a bonus; lexical scoring stands on its own
    }
  }
  const english = input.lang === 'en';
  const ranker = decisionModel().ranker;
  // the ranker's inputs measured once per passage and per question
  const weighted = (key: string, nums: string[]) => items.reduce((sum, it) => sum + it.present(key, nums) * it.weight, 0) / totalWeight;
  const passageCover = new Map<string, number>();
  for (const g of gathered) passageCover.set(g.passage.id, weighted(passageKey(g.passage), numbersIn(g.passage.text)));
  const stats = pairStats(profile.terms, gathered.map((g) => g.passage));
  const bestScore = Math.max(...gathered.map((g) => g.score), 1e-9);
  // an English question meets Chinese text through its terms' Chinese (the glossary's and the lexicon's)
  const questionKey = /\p{Script=Han}/u.test(input.question) ? searchKey(input.question) : `${searchKey(input.question)} ${profile.terms.join(' ')}`;
  const chars = questionChars(questionKey, raw.map((r) => r.key));
  const typed = intent.type !== 'what' && intent.type !== 'compare';
  const numbersOf = raw.map((r) => numbersIn(r.text));
  const samePassage = new Map<string, number[]>();
  raw.forEach((r, i) => samePassage.set(r.passage.id, [...(samePassage.get(r.passage.id) ?? []), i]));
  const candidates = raw.map((r, i) => {
    const nums = numbersOf[i];
    const covers = new Set<string>();
    let matched = 0;
    for (const it of items) {
      const m = it.present(r.key, nums);
      if (m > 0) {
        matched += m * it.weight;
        if (m >= 1) covers.add(it.id);
      }
    }
    const window = samePassage.get(r.passage.id)!.filter((j) => Math.abs(raw[j].index - r.index) <= 1);
    const features = ranker || sentenceTraces.on
      ? sentenceVector(
          sentenceFeatures({
            text: r.text,
            key: r.key,
            passage: r.passage,
            itemCoverage: matched / totalWeight,
            passageCoverage: passageCover.get(r.passage.id) ?? 0,
            windowCoverage: weighted(window.map((j) => raw[j].key).join(''), window.flatMap((j) => numbersOf[j])),
            rank: r.rank,
            scoreRatio: r.score / bestScore,
            holdsType: typed ? holdsAnswerType(intent.type, r.text) : undefined,
            index: r.index,
            questionKey,
            stats,
            ...chars,
          }),
        )
      : undefined;
    // Table rows carry their table name in the passage, not in each sentence.
    const tableBonus = profile.tables.some((t) => r.passage.table === t || r.passage.label.includes(t) || r.key.includes(t)) ? 0.15 : 0;
    const provenanceBonus = profile.asksProvenance && r.passage.kind === 'footnote' ? 0.25 : 0;
    const rankPrior = 0.15 * (1 - r.rank / MAX_PASSAGES);
    // a sentence holding the kind of answer asked for (a figure, a date, a reason) is the better quote
    const typeBonus = intent.type !== 'what' && intent.type !== 'compare' && holdsAnswerType(intent.type, r.text) ? 0.08 : 0;
    // English readers: the paper's own English abstract, when it answers
    const abstractBonus = english && r.passage.kind === 'abstract' && /[A-Za-z]{4,}/.test(r.text) ? 0.1 : 0;
    const sim = similarities?.[i] ?? 0;
    // a follow-up answers the new aspect: what the previous answer quoted comes after what it did not
    const repeated = previous && squash(r.text).length >= 8 && previous.includes(squash(r.text));
    const coversFocus = [...focus].some((t) => termMatch(t, r.key) >= 1);
    const repeatPenalty = repeated ? (coversFocus ? 0.02 : 0.2) : 0;
    const logit = ranker && features ? linearLogit(ranker, features) : undefined;
    const base = matched / totalWeight + rankPrior + typeBonus + 0.2 * Math.max(0, sim);
    const bonus = -repeatPenalty + tableBonus + provenanceBonus + abstractBonus;
    return { ...r, relevance: base + bonus, bonus, covers, features, logit, coverage: matched / totalWeight };
  });
  if (ranker) {
    // the fitted ranker's softmax share relative to the best sentence's (tempered), on the hand-set relevance's
    // scale (best 1.2): selectSentences' cut-offs (0.45 and 0.85 of the best) then mean "this much less likely to
    // answer" — 0.45 of the best is 1.6 logits below it
    const best = Math.max(...candidates.map((c) => c.logit ?? -Infinity));
    for (const c of candidates) if (c.logit !== undefined) c.relevance = RANKER_SCALE * Math.exp((c.logit - best) / RANKER_TEMPERATURE) + c.bonus;
  }
  return { candidates, items };
}

/**
 * Greedy selection: the most relevant sentence first, then whichever adds the most question items not yet
 * covered (multi-part questions get each part), at most MAX_PICKS; a later pick must add an item or be
 * nearly as relevant as the best. Each pick then brings its answer unit (the rest of its enumeration, the
 * sentence it introduces).
 */
function selectSentences(candidates: Candidate[], items: Item[], intent: QuestionIntent, mode: 'quote' | 'support' = 'quote'): Candidate[] {
  const weightOf = new Map(items.map((it) => [it.id, it.weight]));
  const totalWeight = items.reduce((s, it) => s + it.weight, 0) || 1;
  const chosen: Candidate[] = [];
  const covered = new Set<string>();
  let bodyChars = 0;
  let bodyHan = 0;
  const pool = candidates.filter((c) => c.relevance > 0.12).sort((a, b) => b.relevance - a.relevance);
  const best = pool[0]?.relevance ?? 0;
  const fits = (c: Candidate): boolean => {
    const line = quoteLine(c.text, 9);
    return bodyChars + [...line].length + 1 <= ANSWER_BODY_MAX_CHARS - 160 && bodyHan + hanCount(line) <= ANSWER_BODY_MAX_HAN - 80;
  };
  const take = (c: Candidate) => {
    const line = quoteLine(c.text, 9);
    chosen.push(c);
    bodyChars += [...line].length + 1;
    bodyHan += hanCount(line);
    for (const id of c.covers) covered.add(id);
  };
  const allowed = (c: Candidate): boolean => {
    if (chosen.includes(c) || !fits(c) || chosen.length >= MAX_QUOTES) return false;
    const citedPassages = new Set(chosen.map((d) => d.passage.id));
    if (!citedPassages.has(c.passage.id) && citedPassages.size >= MAX_CITED_PASSAGES) return false;
    return !chosen.some((d) => nearDuplicate(c.key, d.key));
  };
  const withUnit = (c: Candidate) => {
    take(c);
    const sentences = splitSentences(c.passage.text);
    const unit = answerUnit(sentences, c.index);
    for (const index of unit) {
      if (index === c.index) continue;
      const member = candidates.find((d) => d.passage.id === c.passage.id && d.index === index);
      if (member && allowed(member)) take(member);
    }
    // a passage that ends where an enumeration begins (…具備明確的實施門檻。 | 其壹,…): the unit runs on into the next
    if (Math.max(...unit) !== sentences[sentences.length - 1]?.index) return;
    const next = candidates.find((d) => d.passage.docId === c.passage.docId && d.passage.ordinal === c.passage.ordinal + 1 && d.index === 0);
    if (!next || !opensEnumeration(next.text)) return;
    const nextSentences = splitSentences(next.passage.text);
    for (const index of answerUnit(nextSentences, 0)) {
      const member = candidates.find((d) => d.passage.id === next.passage.id && d.index === index);
      if (member && allowed(member)) take(member);
    }
  };
  let picks = 0;
  const maxPicks = mode === 'support' ? SUPPORT_PICKS : intent.type === 'list' || intent.type === 'compare' ? MAX_PICKS + 1 : MAX_PICKS;
  while (picks < maxPicks) {
    let pick: Candidate | undefined;
    let pickValue = 0;
    let pickGain = 0;
    for (const c of pool) {
      if (!allowed(c)) continue;
      let gain = 0;
      for (const id of c.covers) if (!covered.has(id)) gain += weightOf.get(id) ?? 0;
      const value = chosen.length === 0 ? c.relevance : (mode === 'support' ? 0.6 : 0.5) * c.relevance + gain / totalWeight;
      if (value > pickValue) {
        pickValue = value;
        pick = c;
        pickGain = gain;
      }
    }
    if (!pick) break;
    if (mode === 'support') {
      if (chosen.length > 0 && pickValue < Math.max(0.2, 0.5 * best)) break;
      take(pick);
      picks++;
      continue;
    }
    if (chosen.length > 0) {
      // padding: a later quote must add a question item, and be of some relevance itself
      if (pickGain / totalWeight < 0.08 && pick.relevance < 0.85 * best) break;
      if (pick.relevance < 0.45 * best) break;
    }
    withUnit(pick);
    picks++;
  }
  return chosen;
}

function quoteLine(sentence: string, n: number): string {
  return `- ${sentence} [${n}]`;
}

/** Weighted share of question items covered by the chosen sentences (partial term matches count). */
function coverage(chosen: Candidate[], items: Item[]): number {
  const total = items.reduce((s, it) => s + it.weight, 0);
  if (total === 0) return 0;
  let got = 0;
  for (const it of items) {
    let m = 0;
    for (const c of chosen) m = Math.max(m, it.present(c.key, numbersIn(c.text)));
    got += m * it.weight;
  }
  return got / total;
}

/** Share of the question's distinctive items that the chosen sentences hold (1 when it has none; soft items count half). */
function distinctiveCoverage(chosen: Candidate[], items: Item[]): number {
  const distinctive = items.filter((it) => it.distinctive);
  if (distinctive.length === 0) return 1;
  let got = 0;
  let total = 0;
  for (const it of distinctive) {
    let m = 0;
    for (const c of chosen) m = Math.max(m, it.present(c.key, numbersIn(c.text)));
    const weight = it.soft ? 0.5 : 1;
    got += m * weight;
    total += weight;
  }
  return got / total;
}

const MARKERS_IN = /<sup>([^<]{1,6})<\/sup>|([\u2460-\u2473\u2776-\u277F])/g;

/**
 * Provenance: for "where does this figure come from?" questions, the footnotes that the chosen sentences
 * point to (their ③ markers, or the passage's only footnote) are quoted as well — the paper's own sources.
 */
function addSourceFootnotes(chosen: Candidate[], candidates: Candidate[], input: ComposeInput): void {
  const additions: Candidate[] = [];
  for (const c of chosen) {
    const ids = c.passage.footnotes ?? [];
    if (ids.length === 0) continue;
    const footnotes = ids.map((id) => input.passageById(id)).filter((p): p is Passage => Boolean(p));
    const marks = [...c.text.matchAll(MARKERS_IN)].map((m) => m[1] ?? m[2]);
    let linked = footnotes.filter((f) => marks.some((m) => f.label.includes(m) || f.text.trimStart().startsWith(m) || f.id.endsWith(m)));
    if (linked.length === 0 && footnotes.length === 1) linked = footnotes;
    for (const f of linked) {
      if (chosen.some((d) => d.passage.id === f.id) || additions.some((d) => d.passage.id === f.id)) continue;
      const first = splitSentences(f.text)[0];
      if (!first) continue;
      const existing = candidates.find((d) => d.passage.id === f.id && d.index === first.index);
      additions.push(existing ?? { ...c, passage: f, isLinkedFootnote: true, text: first.text, key: searchKey(first.text), index: first.index, covers: new Set() });
    }
  }
  let chars = chosen.reduce((s, c) => s + [...quoteLine(c.text, 9)].length + 1, 0);
  let han = chosen.reduce((s, c) => s + hanCount(c.text), 0);
  for (const a of additions.slice(0, 2)) {
    const line = quoteLine(a.text, 9);
    if (chars + [...line].length + 1 > ANSWER_BODY_MAX_CHARS - 160 || han + hanCount(line) > ANSWER_BODY_MAX_HAN - 80) continue;
    // ranked just below the sentence that cites it
    chosen.push({ ...a, relevance: Math.max(0, ...chosen.map((c) => c.relevance)) - 0.001 });
    chars += [...line].length + 1;
    han += hanCount(line);
  }
}

/**
 * The question read with its Taiwan words in the mainland's form where the passages write that (矽锭 → 硅锭):
 * its terms are then the passages' words, joined and matched as any other.
 */
function inMainlandWords(question: string, groups: ExpansionGroup[] = [], occurs: (text: string) => boolean): string {
  const variants = groups.filter((g) => g.variant && occurs(g.forms[0]) && !occurs(g.source));
  if (variants.length === 0) return question;
  // simplified, Latin letters kept as written (capitals mark names)
  let text = toSimplified(question.normalize('NFKC'));
  for (const g of variants) text = text.split(g.source).join(g.forms[0]);
  return text;
}

/**
 * A question that names a document by its author or venue (周亚敏那篇论文, 加西網那篇文章) asks about the
 * document, not about them: the name is no item a passage must hold.
 */
function withoutAuthors(profile: QuestionProfile, input: ComposeInput): QuestionProfile {
  const key = searchKey(input.question);
  const authors = [...new Set(input.results.map((r) => r.passage.docId))]
    .flatMap((docId) => input.bylineOf?.(docId) ?? [])
    .filter((a) => /\p{Script=Han}{2}/u.test(a))
    .map((a) => searchKey(a))
    .filter((a) => key.includes(a));
  if (authors.length === 0) return profile;
  // only terms inside the name as the question writes it (周, 亚, 敏 of 周亚敏)
  const byline = (t: string) => /\p{Script=Han}/u.test(t) && authors.some((a) => a.includes(t));
  const groups = profile.groups.filter((g) => !g.every(byline));
  if (groups.length === profile.groups.length) return profile;
  const kept = new Set(groups.flat());
  return { ...profile, groups, terms: profile.terms.filter((t) => kept.has(t)) };
}

/** The passage's search key (stored with the index; computed for passages built without one). */
const passageKey = (p: Passage): string => p.searchKey || searchKey(p.text);

/** Names of the question that no retrieved passage holds: the question is about something the corpus lacks. */
export function missingNames(profile: QuestionProfile, passages: Passage[], expansionGroups: ExpansionGroup[] = []): string[] {
  const keys = passages.map((p) => passageKey(p));
  // an acronym the glossary translates (IEA → 国际能源署) is present in its Chinese name
  const forms = (name: string) => [name, ...expansionGroups.filter((g) => g.source === name).flatMap((g) => g.forms.map((f) => searchKey(f)))];
  return profile.names.filter((name) => !keys.some((k) => forms(name).some((f) => nameMatch(f, k))));
}

function citationFor(n: number, passage: Passage, text: string, score: number, titleOf: (docId: string) => string): Citation {
  return { n, id: passage.id, docId: passage.docId, title: titleOf(passage.docId), label: passage.label, text, score };
}

/** Why an answer was (not) supported: the measured signals the decision and `eval --answers` use. */
export interface SupportSignals {
  /** Weighted coverage of the question's items by the support set. */
  coverage: number;
  /** The quoted sentences hold the kind of answer asked for (a figure, a date …) about what was asked. */
  answerType: boolean;
  /** Best share of distinctive items in a passage whose sentence holds the asked-for figure or date. */
  typedDistinctive: number;
  missingNames: string[];
}

/**
 * Share of distinctive items the passage holding an asked-for figure or date must exceed: more than half, so a
 * question with two rare items (钴, 刚果) needs both — a cobalt row without Congo does not answer about Congo.
 */
const TYPED_MIN_DISTINCTIVE = 0.5;


/**
 * What the asked noun may be written as in a passage: its parts, all of which must occur, each with the forms
 * that count for it (锂和钴 → 锂 and 钴; 矽锭 → 矽锭 or 硅锭; "plants" → its Chinese forms, or the English word
 * when nothing bridges it). Undefined when there is no noun to check or it only frames the question ("share").
 */
function askedNounForms(noun: string | undefined, profile: QuestionProfile, expansionGroups: ExpansionGroup[] = []): string[][] | undefined {
  // (money is checked as a sum of money: intent.asksMoney)
  if (!noun || isMoneyNoun(noun)) return undefined;
  if (/\p{Script=Han}/u.test(noun)) {
    // each part (锂 and 钴 of 锂和钴), written as the question does or as a form of its group (矽锭 → 硅锭)
    const parts = noun.split(pattern('zh', 'nounParts')).filter((part) => part.length > 0).map((part) => searchKey(part));
    return parts.map((part) => [part, ...(profile.groups.find((g) => g.includes(part)) ?? [])]);
  }
  const stem = [...contentTerms(noun)][0];
  if (!stem || QUESTION_FRAME_WORDS.has(stem)) return undefined;
  const forms = formsOfWord(stem, expansionGroups);
  return [(forms.length ? forms : [stem]).map((form) => searchKey(form))];
}

/** The forms the expansion gives an English word of the question (its Chinese renderings). */
function formsOfWord(word: string, expansionGroups: ExpansionGroup[]): string[] {
  return expansionGroups.filter((g) => contentTerms(g.source).has(word)).flatMap((g) => g.forms);
}

/**
 * The question's terms that spell the asked object, each with the forms that count for it (an English word's
 * expansion); country and other common terms of the pool are left out — only what the object is must match.
 */
function askedObjectTerms(object: string | undefined, profile: QuestionProfile, expansionGroups: ExpansionGroup[] = []): string[][] {
  if (!object) return [];
  if (/\p{Script=Han}/u.test(object)) {
    const key = searchKey(object);
    return profile.groups.filter((g) => g.some((t) => /\p{Script=Han}/u.test(t) && key.includes(t)) && !g.some(isPlaceName));
  }
  const words = [...contentTerms(object)];
  return words
    .map((w) => formsOfWord(w, expansionGroups).map((f) => searchKey(f)))
    .filter((forms) => forms.length > 0 && !forms.some(isPlaceName));
}

/**
 * The item a question opens with (its subject: 澳大利亚…, 中国在…; "When did the Minerals Security Partnership…"),
 * with its forms; not a year or frame word. In English, the first phrase the glossary bridges.
 */
function questionSubject(question: string, profile: QuestionProfile, expansionGroups: ExpansionGroup[] = []): string[] | undefined {
  const key = searchKey(question).replace(pattern('zh', 'leadingYear'), '');
  // (not a verb or preposition the passages do not write: 按现在…, 照…)
  if (/^\p{Script=Han}/u.test(key)) return profile.groups.find((g) => g.some((t) => /\p{Script=Han}/u.test(t) && key.startsWith(t)) && !g.every((t) => profile.soft.has(t)));
  // the sentence that asks, not a preamble ("I keep hearing about friend-shoring. Which countries …?")
  // (a stop after a word of three letters or more ends a sentence; "u.s." does not)
  const asking = key.split(/(?<=[?!]|[a-z]{3}\.)\s+/).filter((part) => /\b(?:what|which|who|when|where|how|why|whose)\b|\?/.test(part)).pop() ?? key;
  const first = expansionGroups
    .filter((g) => !g.dictionary && /[a-z]/.test(g.source) && asking.includes(g.source) && !contentTerms(g.source).has('share'))
    // "which company …": what is asked for, not whose it is
    .filter((g) => !new RegExp(`\\b(?:which|what)\\s+(?:(?!(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should)\\b)[a-z-]+\\s+)?${g.source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(asking))
    .sort((a, b) => asking.indexOf(a.source) - asking.indexOf(b.source))[0];
  return first && profile.groups.find((g) => g.some((t) => first.forms.some((f) => searchKey(f) === t)));
}

/** A sentence that opens by pointing back at what the one before named (该评估, 这一法案, 此类). */
const REFERS_BACK = new RegExp(`^[\\s“"（(]*(?:${cue('refersBack').source})`, 'u');

/** A name in a text: a title, a quoted term, a Latin word or acronym. */
const NAME_IN_TEXT = /《[^》]{2,40}》|“[^”]{2,20}”|"[^"]{2,20}"|「[^」]{2,20}」|\b[A-Z]{2,}[A-Za-z0-9-]*\b|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b/gu;

/** Two items joined in one clause (无钴电池和固态设计的下一代锂电池, 监控与梗阻制造). */
const TWO_ITEMS = cue('twoItems');

/** Each clause of a sentence that holds a share, with the sentence's opening clause, in search-key form. */
function shareClauses(text: string): string[] {
  const cs = text.split(/(?<=[，,；;])/u);
  return cs.filter((cl) => SHARE_FIGURE.test(cl.normalize('NFKC'))).map((cl) => searchKey(cs[0] === cl ? cl : cs[0] + cl));
}

/**
 * The items a Chinese share question says the share is of, before its 占 (中国的钴产量占全球多少 → 中国, 钴, 产量;
 * 2019年中国在电池产业中游精炼环节的占比 → 中国, 电池, 产业, 中游, 精炼, 环节): each a group of the profile.
 */
function shareSubject(question: string, profile: QuestionProfile): string[][] {
  const key = searchKey(question);
  // 占 the verb (X 占全球多少), not the noun 占比, whose phrase may hold verbs of its own (要求…来自…的比例)
  const clause = key.split(/[，,；;。？?]/u).find((part) => pattern('zh', 'shareVerb').test(part));
  const before = clause?.match(pattern('zh', 'shareSubject'))?.[1];
  // from the last list mark or question word on (…从哪些国家进口、回收 → 回收)
  const subject = before?.split(pattern('zh', 'subjectStart')).pop();
  if (!subject || !/\p{Script=Han}/u.test(subject)) return [];
  const han = (t: string) => /\p{Script=Han}/u.test(t);
  // groups written inside the subject (not a term that runs on past it, as 产量占全球 does)
  const inside = profile.groups.filter((g) => g.some((t) => han(t) && subject.includes(t)) && g.every((t) => !han(t) || subject.includes(t) || !key.includes(t)));
  // pieces of a longer term (永磁, 体 of 永磁体) are matched as that term
  const longer = (t: string) => inside.some((g) => g.some((u) => u !== t && u.length > t.length && u.includes(t)));
  return inside.filter((g) => !g.every((t) => !han(t) || longer(t)));
}

function supportSignals(chosen: Candidate[], candidates: Candidate[], items: Item[], profile: QuestionProfile, frame: QuestionFrame, question: string, expansionGroups?: ExpansionGroup[]): SupportSignals {
  const intent = frame.intent;
  const cover = coverage(chosen, items);
  // the sentences of c's passage from `from` to `to` places around it (-1, 0: it and the one before)
  const around = (c: Candidate, from: number, to: number) => candidates.filter((o) => o.passage.id === c.passage.id && o.index >= c.index + from && o.index <= c.index + to);
  const keyOf = (sentences: Candidate[]) => sentences.map((o) => o.key).join('');
  const typed = [...intent.types].filter((t) => t === 'quantity' || t === 'date' || t === 'change');
  // A figure or date answers only when the sentence holding it is about what was asked: the 30% tariff on solar
  // cells does not answer a question about a tariff on electric cars. Its sentence (with its neighbours in the
  // passage) must hold at least half of the question's distinctive items and the asked noun.
  let typedDistinctive = typed.length === 0 ? 1 : 0;
  const nounForms = askedNounForms(intent.askedNoun, profile, expansionGroups);
  // a question in several parts (…？…？) may find each part in another passage: their union is what answers
  const multiPart = frame.multiPart;
  const typedPassages: Candidate[] = [];
  const money = intent.asksMoney === true;
  const objectTerms = askedObjectTerms(intent.askedObject, profile, expansionGroups);
  const subject = questionSubject(question, profile, expansionGroups);
  const shareOf = multiPart ? [] : shareSubject(question, profile);
  // an English question's countries (How many … does China have?) are beside its figure: the passages write
  // whose figure it is in the sentence or the one before
  const countries = /\p{Script=Han}/u.test(question) || multiPart ? [] : (expansionGroups ?? []).filter((g) => /[a-z]/.test(g.source) && isPlaceName(g.source)).map((g) => profile.groups.find((pg) => g.forms.some((f) => pg.includes(searchKey(f))))).filter((g): g is string[] => g !== undefined);
  const years = frame.years;
  for (const c of chosen) {
    if (typed.length === 0 || !typed.some((t) => holdsAnswerType(t, c.text))) continue;
    if (money && !MONEY_FIGURE.test(c.text.normalize('NFKC'))) continue;
    // (a question in parts may ask for a share in one and for names in another)
    if (intent.asksShare && !multiPart && !SHARE_FIGURE.test(c.text.normalize('NFKC'))) continue;
    const key = passageKey(c.passage);
    // the sentence and the one before it: where a figure's year and owner are written (not a passage's other figures)
    const nearKey = keyOf(around(c, -1, 0));
    // (a question in parts asks for the noun in one of them: any sentence of its passage may serve another)
    // the noun may also be named just after it (…处理废旧锂电池3.2万吨…。…处理能力还将翻一番)
    const nounKey = multiPart ? key : keyOf(around(c, -1, 1));
    if (nounForms && !nounForms.every((forms) => forms.some((form) => termMatch(form, nounKey) >= 0.5))) continue;
    // the figure is about what was asked (锂电池, not 太阳能电池) and of the year asked (2019, not 2018)
    if (objectTerms.some((forms) => !forms.some((form) => termMatch(form, key) >= 1))) continue;
    // …in the sentence or the one before it: a passage may name another year elsewhere (2021 figure, 2022 project)
    if (!years.every((y) => nearKey.includes(y))) continue;
    // what the share is of (中国的钴产量 in 中国的钴产量占全球多少): all of it beside the figure
    if ([...shareOf, ...countries].some((forms) => !forms.some((form) => termMatch(form, nearKey) >= 1))) continue;
    // …and in the clause of the share itself, or the sentence's opening clause that names its topic (镓作为…，
    // 中国产量占全球总量的90%): 13%的钴 and 80% 由中国主导 are two clauses, not China's cobalt
    if (shareOf.length && !c.text.includes('｜') && !shareClauses(c.text).some((k) => shareOf.every((forms) => forms.some((form) => termMatch(form, k) >= 1)))) continue;
    // whose figure it is: the question's subject (澳大利亚 in 澳大利亚对美国出口的锂占多少) is in the passage
    if (subject && !subject.some((form) => termMatch(form, key) >= 1)) continue;
    const whole = { ...c, key, text: c.passage.text };
    typedPassages.push(whole);
    typedDistinctive = Math.max(typedDistinctive, distinctiveCoverage(multiPart ? typedPassages : [whole], items));
  }
  // a list is answered by its items (A、B、C; 一是…二是…) in a quote or the sentences after it: a sentence that
  // only names the group (五眼联盟, 五点计划) or counts it (有 14 种) lists nothing
  // a count asked for (哪五点, 哪几个国家, which 14 minerals) wants the run of items, not two joined by 和
  // (two items are A和B: 哪两个国家 → 加拿大和墨西哥)
  const counted = cue('askCounted').test(searchKey(question));
  const enumerates = (c: Candidate) =>
    listItems(c.text).length >= 2 ||
    ordinalIn(c.text) !== undefined ||
    (!counted && TWO_ITEMS.test(c.text)) ||
    // the items follow: an enumeration (其一…其二…), or a run after a colon
    around(c, 1, 3).some((o) => ordinalIn(o.text) !== undefined) ||
    (/[：:]\s*$/u.test(c.text) && around(c, 1, 1).some((o) => listItems(o.text).length >= 2));
  const listed = !intent.types.has('list') || multiPart || intent.types.has('compare') || chosen.some(enumerates);
  // what something is called is answered by a name the question does not already say (《…》, “…”, SPFS)
  // …beside the thing named (传输系统 in 传输系统叫什么名字), not anywhere in the sentence
  const gap = (a0: number, a1: number, b0: number, b1: number) => (a0 >= b1 ? a0 - b1 : b0 >= a1 ? b0 - a1 : 0);
  const asked = searchKey(question);
  const head = searchKey(question).match(pattern('zh', 'namedHead'))?.[1];
  const nameBeside = (c: Candidate) => {
    const text = toSimplified(c.text.normalize('NFKC'));
    const at = head ? [...text.matchAll(new RegExp(head, 'gu'))].map((m) => m.index!) : [];
    return [...text.matchAll(NAME_IN_TEXT)].some(
      (m) => !asked.includes(searchKey(m[0].replace(/^[《“"「]|[》”"」]$/gu, ''))) && (at.length === 0 || at.some((i) => gap(i, i + head!.length, m.index!, m.index! + m[0].length) <= 6)),
    );
  };
  const named = !intent.asksName || chosen.some(nameBeside);
  // where something is, or comes from, is answered by a sentence that says so (分布在, 来自, 位于 …)
  const located = intent.type !== 'where' || multiPart || chosen.some((c) => holdsAnswerType('where', c.text));
  const answerType = typedDistinctive > TYPED_MIN_DISTINCTIVE && listed && named && located;
  const missing = [...missingNames(profile, [...new Set(candidates.map((c) => c.passage))], expansionGroups), ...profile.unknownKinds];
  // a rare subject (韩国 in 韩国对中国石墨出口实施了哪些管制措施) must be in a quoted sentence: sentences about
  // what someone else did do not answer
  const subjectItem = subject && items.find((it) => it.id === `t:${subject[0]}`);
  const holdsSubject = (c: Candidate) => subject!.some((form) => termMatch(form, c.key) >= 1);
  // …or in the sentence a quoted one refers back to (…百日评估》。该评估报告指出 …)
  const refersBack = (c: Candidate) => REFERS_BACK.test(c.text) && around(c, -1, -1).some(holdsSubject);
  if (subject && subjectItem?.distinctive && !chosen.some((c) => holdsSubject(c) || refersBack(c))) missing.push(subject[0]);
  return { coverage: cover, answerType, typedDistinctive, missingNames: missing };
}

/** Sides a quote belongs to in a comparison (US/China …, or the documents), by the side's words in it. */
interface Side {
  heading: string;
  test: (c: Candidate) => boolean;
  /** Said under the heading when no quote belongs to it. */
  missing?: string;
}

/**
 * The parts of a question in several parts (MSP是什么？什么时候成立的？), each with the words only it says: each is
 * answered under its own heading from a sentence that holds its words, or said to be missing — never filled with a
 * passage that does not mention it. Fewer than two parts with words of their own: none.
 */
function questionParts(frame: QuestionFrame, profile: QuestionProfile, input: ComposeInput): Side[] {
  if (!frame.multiPart) return [];
  const pieces = frame.standalone.split(/(?<=[？?])/u).map((p) => p.trim()).filter((p) => /[\p{L}\p{N}]/u.test(p));
  if (pieces.length < 2) return [];
  const termsOf = (piece: string) => {
    const key = searchKey(piece);
    const own = profile.terms.filter((t) => key.includes(t));
    // an English part's words reach the Chinese passages through the glossary's forms
    for (const g of input.expansionGroups ?? []) if (/[a-z]/.test(g.source) && key.includes(g.source)) own.push(...g.forms.map((f) => searchKey(f)).filter((f) => profile.terms.includes(f)));
    return [...new Set(own)];
  };
  const all = pieces.map(termsOf);
  const shared = new Set(all[0].filter((t) => all.every((terms) => terms.includes(t))));
  const parts = pieces.map((piece, i) => ({ piece, terms: all[i].filter((t) => !shared.has(t)) }));
  if (parts.filter((p) => p.terms.length > 0).length < 2) return [];
  const colon = input.lang === 'en' ? ':' : '：';
  return parts.map(({ piece, terms }) => ({
    heading: `${clipChars(piece.replace(/[？?]\s*$/u, ''), 30)}${colon}`,
    // a part with no words of its own (什么时候成立的？) is about what the others name
    test: (c: Candidate) => (terms.length ? terms : [...shared]).some((t) => termMatch(t, c.key) >= 1),
    missing: phrasesFor(input.lang).noPartPassage,
  }));
}


function comparisonSides(intent: QuestionIntent, input: ComposeInput): Side[] {
  if (intent.bothDocuments) {
    const docs = [...new Set(input.results.map((r) => r.passage.docId))];
    return docs.map((docId) => ({ heading: `${input.shortNameOf?.(docId) ?? input.titleOf(docId)}${input.lang === 'en' ? ':' : '：'}`, test: (c: Candidate) => c.passage.docId === docId }));
  }
  const colon = input.lang === 'en' ? ':' : '：';
  return intent.sides.map((side) => {
    const name = typeof side.label === 'string' ? sideName(side.label, input) : side.label[input.lang];
    return { heading: `${name}${colon}`, test: (c: Candidate) => side.test(c.key) };
  });
}

/** A side the question names in its own words, as the reader should see it (its English name for an English reader). */
function sideName(label: string, input: ComposeInput): string {
  if (input.lang === 'en') return input.englishName?.(label) ?? label;
  return input.lang === 'zh-Hant' ? toTraditional(label) : label;
}

/** Makes sure each side of a comparison has a quote when the candidates hold one (the best for that side). */
function completeSides(chosen: Candidate[], candidates: Candidate[], sides: Side[]): void {
  const best = Math.max(0, ...candidates.map((c) => c.relevance));
  const bestCoverage = Math.max(0, ...candidates.map((c) => c.coverage));
  for (const side of sides) {
    if (chosen.some(side.test)) continue;
    const pick = candidates
      // a side's sentence need not rank near the best (the ranker may favour one document's wording), but it must
      // hold half as much of the question as the best does
      .filter((c) => side.test(c) && (c.relevance >= 0.3 * best || c.coverage >= 0.5 * bestCoverage) && !chosen.some((d) => nearDuplicate(c.key, d.key)))
      .sort((a, b) => b.relevance - a.relevance)[0];
    if (pick) chosen.push(pick);
  }
}

const YEAR = /^(?:1[89]|20)\d{2}$/;

/**
 * When the two documents answer a figure or date question with different figures, say so (the quotes above
 * hold both): "两篇文献给出的数字不同（甲：54；乙：32）". Only the figures of each side's quotes that are about what
 * was asked (a quote covering one of the question's items) are compared.
 */
function differingFigures(sides: Side[], quoted: Candidate[], intent: QuestionIntent, lang: QuestionLang): string | undefined {
  const wantsDate = intent.types.has('date');
  if (!wantsDate && !intent.types.has('quantity') && !intent.types.has('change')) return undefined;
  const figures = sides.map((side) => {
    const set = new Set<string>();
    for (const c of quoted) {
      if (!side.test(c) || c.covers.size === 0) continue;
      for (const n of numbersIn(c.text)) if (YEAR.test(n) === wantsDate) set.add(n);
    }
    return { name: side.heading.replace(/[:：]$/, ''), figures: [...set] };
  });
  if (figures.length < 2 || figures.some((f) => f.figures.length === 0)) return undefined;
  const [a, b] = figures;
  if (a.figures.some((x) => b.figures.some((y) => sameNumber(x, y)))) return undefined;
  const list = (f: { name: string; figures: string[] }) => `${f.name}${lang === 'en' ? ': ' : '：'}${f.figures.slice(0, 3).join(lang === 'en' ? ', ' : '、')}`;
  return phrasesFor(lang).differingFigures(wantsDate, list(a), list(b));
}

/** English names of glossary terms in a quote: `金属北约 = "Metals NATO"`; not a quote, no [n]. */
function glossLine(text: string, input: ComposeInput): string | undefined {
  // the reader asked in English: a term whose English the question already says needs no gloss
  const asked = input.question.toLowerCase();
  const names = (input.englishNames?.(text) ?? []).filter((n) => !asked.includes(n.english.toLowerCase())).slice(0, 3);
  if (names.length === 0) return undefined;
  return names.map((n) => `${n.term} = "${n.english}"`).join('; ');
}

/**
 * The default composer: a lead that states the answer, then the sentences that answer the question,
 * verbatim and in the source's script, each followed by its passage's [n]; or, when the corpus cannot
 * answer, says so and lists related passages. Returns everything but `timings` (the caller measures them).
 */
export async function composeExtractive(input: ComposeInput): Promise<ComposedAnswer> {
  const asked = frameOf(input);
  const gathered = gatherPassages(input, asked.asksProvenance);
  const keys = gathered.map((g) => passageKey(g.passage).replace(/\s+/g, ''));
  const occurs = (text: string) => keys.some((k) => k.includes(text));
  const question = inMainlandWords(input.question, input.expansionGroups, occurs);
  const frame = inCollectionWords(asked, question);
  const profile = withoutAuthors(profileQuestion(question, input.expandedTerms, input.unbridgedTerms, input.expansionGroups, occurs, input.isVerb), input);
  const intent = frame.intent;
  const { candidates, items } = await scoreSentences(input, gathered, profile, frame);
  const chosen = selectSentences(candidates, items, intent);
  const sides = intent.type === 'compare' ? comparisonSides(intent, input) : questionParts(frame, profile, input);
  if (sides.length) completeSides(chosen, candidates, sides);
  const support = selectSentences(candidates, items, intent, 'support');
  const signals = supportSignals(support, candidates, items, profile, frame, question, input.expansionGroups);
  const first = [...chosen].sort((a, b) => b.relevance - a.relevance)[0];
  const features = decisionFeatures({
    coverage: signals.coverage,
    distinctive: distinctiveCoverage(support, items),
    typedDistinctive: signals.typedDistinctive,
    answerType: signals.answerType,
    missingName: signals.missingNames.length > 0,
    sentences: candidates.map((c) => ({ relevance: c.relevance, passageId: c.passage.id })),
    bestLogit: Math.max(...candidates.map((c) => c.logit ?? -Infinity)),
    first: first?.passage,
    firstRank: first?.rank ?? MAX_PASSAGES,
    results: input.results,
    pool: gathered.map((g) => g.passage),
    terms: profile.terms,
    english: input.lang === 'en',
  });
  const model = decisionModel();
  const probability = answerProbability(model, features);
  const decision = {
    features,
    probability,
    firstPassageId: first?.passage.id,
    ...(sentenceTraces.on ? { sentences: candidates.filter((c) => c.features).map((c) => ({ passageId: c.passage.id, text: c.text, x: c.features! })) } : {}),
  };
  // the hard rules, true of any language and document: a number or year the question states is in what is quoted
  // (2019's figure is not 2018's), and a follow-up's own words (那锗呢 → 锗) are in a quote — what it asks is new
  const focusQuoted = frame.focus.length === 0 || chosen.some((c) => frame.focus.some((t) => termMatch(searchKey(t), c.key) >= 1));
  const supported = chosen.length > 0 && numbersQuoted(frame.numbers, chosen) && focusQuoted && probability >= model.threshold[input.lang === 'en' ? 'en' : 'zh'];

  if (!supported) return { ...noAnswer(input, candidates), supportScore: probability, decision };
  if (profile.asksProvenance) addSourceFootnotes(chosen, candidates, input);

  // Order: passages by their best sentence's relevance, sentences by document order within a passage.
  const byPassage = new Map<string, Candidate[]>();
  for (const c of chosen) {
    const list = byPassage.get(c.passage.id) ?? [];
    list.push(c);
    byPassage.set(c.passage.id, list);
  }
  const groups = [...byPassage.values()]
    .map((list) => list.sort((a, b) => a.index - b.index))
    .sort((a, b) => Math.max(...b.map((c) => c.relevance)) - Math.max(...a.map((c) => c.relevance)));
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  groups.forEach((group, i) => {
    numberOf.set(group[0].passage.id, i + 1);
    citations.push(citationFor(i + 1, group[0].passage, group.map((c) => c.text).join(''), group[0].score, input.titleOf));
  });
  const parts: AnswerPart[] = [];
  const pushQuote = (c: Candidate) => {
    parts.push({ kind: 'quote', text: c.text, n: numberOf.get(c.passage.id)! });
    if (input.lang === 'en' && hanCount(c.text) > 0) {
      const gloss = glossLine(c.text, input);
      if (gloss) parts.push({ kind: 'gloss', text: gloss });
    }
  };
  if (sides.length) {
    const placed = new Set<Candidate>();
    for (const side of sides) {
      parts.push({ kind: 'heading', text: side.heading });
      const mine = groups.flat().filter((c) => !placed.has(c) && side.test(c));
      if (mine.length === 0) parts.push({ kind: 'prose', text: side.missing ?? phrasesFor(input.lang).noSidePassage });
      for (const c of mine) {
        placed.add(c);
        pushQuote(c);
      }
    }
    for (const c of groups.flat()) if (!placed.has(c)) pushQuote(c);
    // under headings a passage's sentences may show in another order than the document's: a citation's text is
    // its quotes as shown
    for (const citation of citations) citation.text = parts.filter((p) => p.kind === 'quote' && p.n === citation.n).map((p) => p.text).join('');
    const differ = intent.bothDocuments ? differingFigures(sides, groups.flat(), intent, input.lang) : undefined;
    if (differ) parts.push({ kind: 'prose', text: differ });
  } else {
    for (const c of groups.flat()) pushQuote(c);
  }

  // The lead states the answer, drawn from the quotes in order of relevance and checked against its passage.
  const ranked = [...chosen].sort((a, b) => b.relevance - a.relevance);
  const bestRelevance = Math.max(1e-9, ranked[0]?.relevance ?? 1);
  const leadSources = ranked.map((c) => ({ text: c.text, n: numberOf.get(c.passage.id)!, passageText: c.passage.text, relevance: c.relevance / bestRelevance, footnote: c.passage.kind === 'footnote' }));
  const leadContext = { intent, question, lang: input.lang, englishName: input.englishName, asksProvenance: frame.asksProvenance };
  const lead = buildLead(leadSources, leadContext, profile.terms);
  const leadText = intent.bothDocuments || !lead ? phrasesFor(input.lang).neutralLead : lead.text;
  // an English reader who cannot read the lead (Chinese with no English beside it) is told why, once
  const note = phrasesFor(input.lang).chineseSourceNote;
  if (note && lead && /\p{Script=Han}/u.test(leadText) && !/[A-Za-z]{3,}/u.test(leadText.replace(/^In short:/u, ''))) parts.push({ kind: 'prose', text: note });
  const text = answerText(leadText, parts, citations, input.lang);
  const traced = leadTraces.on ? { ...decision, leads: scoredSpans(leadSources, leadContext, profile.terms, undefined).map((c) => ({ text: c.text, x: c.x })) } : decision;
  return { question: input.question, lead: leadText, parts, text, citations, supported: true, lang: input.lang, related: [], composer: 'extractive', supportScore: probability, decision: traced };
}

/** The frame the caller read, or the question read now (tests and callers without one). */
function frameOf(input: ComposeInput): QuestionFrame {
  return input.frame ?? parseQuestion(input.question, { lang: input.lang });
}

/** Every number the question states (2019, 41.6%) is written in a quoted passage, in Arabic or Chinese numerals (百日, 二〇一九). */
function numbersQuoted(numbers: string[], chosen: Candidate[]): boolean {
  const texts = [...new Set(chosen.map((c) => c.passage.text))].map((t) => t.normalize('NFKC').replace(/(?<=\d),(?=\d{3})/g, ''));
  const written = new Set(texts.flatMap((t) => chineseNumbersIn(t)));
  return numbers.every((n) => {
    const digits = n.normalize('NFKC').replace(/,/g, '').match(/\d+(?:\.\d+)?/)?.[0];
    return !digits || written.has(String(Number(digits))) || texts.some((t) => t.includes(digits));
  });
}

/** "The corpus has no passage that answers this", plus the closest passages marked as related. */
function noAnswer(input: ComposeInput, candidates: Candidate[]): ComposedAnswer {
  const phrases = phrasesFor(input.lang);
  const related: Citation[] = [];
  const seen = new Set<string>();
  // the best sentences of the closest passages; when every sentence was set aside (bibliography notes), the passages
  const closest = candidates.length ? [...candidates].sort((a, b) => b.relevance - a.relevance) : input.results.map((r) => ({ passage: r.passage, text: r.passage.text, score: r.score }));
  // neighbouring passages share a boundary sentence: the same sentence is never listed twice
  const shown: string[] = [];
  for (const c of closest) {
    if (seen.has(c.passage.id) || related.length >= 3) continue;
    const key = searchKey(c.text);
    if (shown.some((k) => nearDuplicate(k, key))) continue;
    seen.add(c.passage.id);
    shown.push(key);
    related.push(citationFor(related.length + 1, c.passage, c.text, c.score, input.titleOf));
  }
  const parts: AnswerPart[] = [];
  if (related.length) {
    parts.push({ kind: 'heading', text: phrases.relatedHeading });
    for (const r of related) parts.push({ kind: 'related', text: `· ${r.label} — ${r.title}: ${clipChars(r.text, 120)}` });
  }
  return {
    question: input.question,
    lead: phrases.noAnswer,
    parts,
    text: answerText(phrases.noAnswer, parts, [], input.lang),
    citations: [],
    supported: false,
    lang: input.lang,
    related,
    composer: 'extractive',
  };
}
