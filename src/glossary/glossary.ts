import type { DocumentInfo, Passage } from '../core/passage.js';
import { chineseWords, stemEnglish, wordBoundaries } from '../text/segment.js';
import { searchKey, toMainlandVocabulary, toSimplified, toTraditional } from '../text/searchKey.js';
import type { CuratedEntry } from './curated.js';
import { definitionScore, sentencesOf, type Sentence } from './definition.js';
import type { GlossaryCitation, GlossaryEntry } from './entry.js';
import { extractCandidates, type TermCandidate } from './extract.js';
import { bigramSimilarity, editDistance, typoBudget } from './similarity.js';
import { choice, CHOICES_MAX, type Choice } from '../text/choice.js';
import type { Lexicon } from './lexicon.js';

export interface GlossaryJSON {
  version: 1;
  entries: GlossaryEntry[];
  /** Curated "vocabulary" entries: English words → Chinese forms, used only to expand questions. */
  bridge?: BridgeTerm[];
  /** Latin codes (MSP, IRA, G7) that occur in the corpus: the only Latin forms worth adding to a question. */
  codes?: string[];
}

/** Forms the question expands to, and the words of the question they stand for. */
export interface ExpansionGroup {
  source: string;
  forms: string[];
  /** The forms come from the CC-CEDICT lexicon, not a curated entry (a likelier sense, not a certain one). */
  dictionary?: boolean;
  /** The one form is the mainland's word for the source, a Taiwan word of the same length (矽 → 硅). */
  variant?: boolean;
}

/** A word pair that only expands questions (imports → 进口); not shown by lookup. */
export interface BridgeTerm {
  term: string;
  aliases: string[];
}

const BRIDGE_KIND = 'vocabulary';

const MAX_CITATIONS = 5;
const HAN = /\p{Script=Han}/u;

/**
 * Key for comparing names: search key (simplified, NFKC, lower case), English words stemmed,
 * spaces/hyphens/quotes dropped — so "Friend-shoring", "friend shoring" and "金屬北約" meet their entries.
 */
export function lookupKey(text: string): string {
  return searchKey(text)
    .replace(/['’]s\b/g, '')
    .replace(/[a-z0-9]+/g, (w) => stemEnglish(w))
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Stemmed Latin words of a text, with their character offsets in `searchKey(text)`-like input. */
function latinTokens(key: string): { word: string; start: number; end: number }[] {
  return [...key.matchAll(/[a-z0-9]+/g)].map((m) => ({ word: stemEnglish(m[0]), start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
}


function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Abbreviations and short codes that the Chinese text itself uses (MSP, IRA, G7, Chip 4): useful in expansions. */
function isCode(form: string): boolean {
  return /^[A-Z][A-Za-z0-9]{0,2}[A-Z0-9]{0,6}$/.test(form) && /[A-Z].*[A-Z0-9]|^[A-Z]{2,}/.test(form) || /^[A-Z][a-z]+ ?\d+$/.test(form);
}

interface Group {
  term: string;
  aliases: string[];
  curated?: CuratedEntry;
}

/** Mentions of any of the forms (search keys) in a passage key; longer forms first so overlaps count once. */
function countMentions(key: string, forms: string[]): number {
  let text = key;
  let n = 0;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (HAN.test(form)) {
      const parts = text.split(form);
      n += parts.length - 1;
      if (parts.length > 1) text = parts.join('\u0000');
    } else {
      const re = new RegExp(`(?<![a-z0-9])${escapeRegExp(form)}(?![a-z0-9])`, 'g');
      const hits = text.match(re)?.length ?? 0;
      if (hits) {
        n += hits;
        text = text.replace(re, '\u0000');
      }
    }
  }
  return n;
}

/** Forms a name is written in: itself plus its traditional and simplified spellings. */
function spellings(form: string): string[] {
  if (!HAN.test(form)) return [form];
  return [...new Set([form, toSimplified(form), toTraditional(form)])];
}

/** A form without the quotation marks around or inside it: “脫鉤” → 脫鉤, 《芯片法案》 → 芯片法案. */
function unquoted(form: string): string {
  return form.replace(/[“”‘’"「」『』《》〈〉]/gu, '').trim();
}

function mergeGroups(candidates: TermCandidate[], curated: CuratedEntry[]): Group[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  const register = (group: Group, form: string) => {
    const key = lookupKey(form);
    if (key && !byKey.has(key)) byKey.set(key, group);
  };
  for (const entry of curated) {
    const existing = byKey.get(lookupKey(entry.term));
    if (existing?.curated) {
      // A repeated curated term adds its aliases to the first.
      existing.aliases.push(...entry.aliases);
      for (const a of entry.aliases) register(existing, a);
      continue;
    }
    const group: Group = { term: entry.term, aliases: [...entry.aliases], curated: entry };
    groups.push(group);
    register(group, entry.term);
    for (const a of entry.aliases) register(group, a);
  }
  for (const c of candidates) {
    const forms = [c.term, ...c.aliases];
    const found = forms.map((f) => byKey.get(lookupKey(f))).find((g) => g !== undefined);
    if (found) {
      for (const f of forms) if (lookupKey(f) !== lookupKey(found.term)) found.aliases.push(f);
      for (const f of forms) register(found, f);
      // The corpus's simplified spelling is the canonical form of an extracted term.
      if (!found.curated && toSimplified(found.term) !== found.term && toSimplified(c.term) === c.term && lookupKey(c.term) === lookupKey(found.term)) {
        found.aliases.push(found.term);
        found.term = c.term;
      }
      continue;
    }
    const group: Group = { term: c.term, aliases: [...c.aliases] };
    groups.push(group);
    for (const f of forms) register(group, f);
  }
  for (const g of groups) {
    const termKey = searchKey(g.term);
    // “脱钩” and 《…》 are the term in quotation marks, not another name for it
    const seen = new Set<string>([unquoted(g.term)]);
    const aliases: string[] = [];
    const forms = [...g.aliases, ...spellings(g.term)].flatMap(spellings);
    for (const alias of [...forms.filter((f) => unquoted(f) === f), ...forms.filter((f) => unquoted(f) !== f)]) {
      if (seen.has(unquoted(alias)) || unquoted(alias) === '') continue;
      seen.add(unquoted(alias));
      if (alias !== g.term && !(searchKey(alias) === termKey && alias === toSimplified(alias) && g.term === toSimplified(g.term))) aliases.push(alias);
    }
    g.aliases = aliases;
  }
  return groups;
}

function citationOf(sentence: Sentence): GlossaryCitation {
  return { id: sentence.passage.id, label: sentence.passage.label, text: sentence.text };
}

export class Glossary {
  readonly entries: GlossaryEntry[];
  readonly bridge: BridgeTerm[];
  private readonly codes: Set<string>;
  private readonly keyIndex = new Map<string, number[]>();
  private readonly keys: { key: string; entry: number; form: string }[] = [];
  private readonly importance: number[];
  /** Chinese forms (search keys) → entries, for question expansion. */
  private readonly hanForms: { key: string; entry: number }[] = [];
  /** English forms as stemmed word lists → entries. */
  private readonly latinForms = new Map<string, { words: string[]; entry: number; caseSensitive?: string }[]>();

  /** Glossary entries then bridge terms: what expansion spans point into. */
  private readonly expansionTerms: { term: string; aliases: string[] }[];
  /** CC-CEDICT glosses of the corpus's words: bridges English question words no entry covers. */
  private lexicon?: Lexicon;

  private constructor(entries: GlossaryEntry[], bridge: BridgeTerm[] = [], codes: string[] = []) {
    this.entries = entries;
    this.bridge = bridge;
    this.codes = new Set(codes);
    this.expansionTerms = [...entries, ...bridge];
    this.importance = entries.map((e) => e.counts.reduce((n, c) => n + c.count, 0) + (e.origin === 'curated' ? 3 : 0));
    this.expansionTerms.forEach((entry, i) => {
      for (const form of [entry.term, ...entry.aliases]) {
        const key = lookupKey(form);
        if (!key) continue;
        if (i < entries.length) {
          const list = this.keyIndex.get(key);
          if (!list) this.keyIndex.set(key, [i]);
          else if (!list.includes(i)) list.push(i);
          if (!this.keys.some((k) => k.entry === i && k.key === key)) this.keys.push({ key, entry: i, form });
        }
        const sk = searchKey(form);
        if (HAN.test(sk)) {
          if (!this.hanForms.some((h) => h.entry === i && h.key === sk)) this.hanForms.push({ key: sk, entry: i });
        } else {
          const words = latinTokens(sk).map((t) => t.word);
          if (words.length === 0) continue;
          const bucket = this.latinForms.get(words[0]) ?? [];
          // Capitalised codes (US, EU, IRA, CHIPS) must appear in capitals, so the pronoun "us" does not mean 美国.
          const caseSensitive = /^[A-Z][A-Z0-9]{1,6}$/.test(form.trim()) ? form.trim() : undefined;
          bucket.push({ words, entry: i, caseSensitive });
          this.latinForms.set(words[0], bucket);
        }
      }
    });
  }

  /** Extracts terms from the passages, merges the curated entries (which win), finds definitions and counts. */
  static build(passages: Passage[], documents: DocumentInfo[] = [], curated: CuratedEntry[] = []): Glossary {
    void documents;
    const bridge = curated.filter((c) => c.kind === BRIDGE_KIND).map((c) => ({ term: c.term, aliases: c.aliases }));
    const groups = mergeGroups(extractCandidates(passages), curated.filter((c) => c.kind !== BRIDGE_KIND));
    const sentencesByPassage = new Map<string, Sentence[]>();
    const sentences = (p: Passage) => {
      let list = sentencesByPassage.get(p.id);
      if (!list) sentencesByPassage.set(p.id, (list = sentencesOf(p)));
      return list;
    };
    const passageKeys = passages.map((p) => p.searchKey || searchKey(p.text));
    const entries: GlossaryEntry[] = [];
    for (const g of groups) {
      const forms = [...new Set([g.term, ...g.aliases].map((f) => searchKey(f)).filter((f) => f.length >= (HAN.test(f) ? 1 : 2)))];
      const counts: { id: string; count: number; index: number }[] = [];
      passages.forEach((p, index) => {
        const count = countMentions(passageKeys[index], forms);
        if (count > 0) counts.push({ id: p.id, count, index });
      });
      counts.sort((a, b) => b.count - a.count || a.index - b.index);
      if (!g.curated && counts.length === 0) continue;
      const hanForms = forms.filter((f) => HAN.test(f));
      const sentenceForms = hanForms.length ? hanForms : forms;
      const anchorKey = g.curated?.anchor ? searchKey(g.curated.anchor) : undefined;
      let definition: Sentence | undefined;
      let bestScore = 0;
      for (const c of counts) {
        for (const s of sentences(passages[c.index])) {
          const score = definitionScore(s, sentenceForms, anchorKey);
          if (score > bestScore) {
            bestScore = score;
            definition = s;
          }
        }
      }
      const citations: GlossaryCitation[] = definition ? [citationOf(definition)] : [];
      for (const c of counts) {
        if (citations.length >= MAX_CITATIONS) break;
        if (citations.some((x) => x.id === c.id)) continue;
        let best: Sentence | undefined;
        let score = 0;
        for (const s of sentences(passages[c.index])) {
          const sc = definitionScore(s, sentenceForms);
          if (sc > score) {
            score = sc;
            best = s;
          }
        }
        if (best) citations.push(citationOf(best));
      }
      entries.push({
        term: g.term,
        aliases: g.aliases,
        definition: g.curated?.definition ?? definition?.text ?? '',
        citations,
        counts: counts.map(({ id, count }) => ({ id, count })),
        origin: g.curated ? 'curated' : 'extracted',
      });
    }
    const allKeys = passageKeys.join('\n');
    const codes = [...new Set([...entries, ...bridge].flatMap((e) => [e.term, ...e.aliases]).filter(isCode))].filter((code) =>
      new RegExp(`(?<![a-z0-9])${escapeRegExp(searchKey(code))}(?![a-z0-9])`).test(allKeys),
    );
    return new Glossary(entries, bridge, codes);
  }

  static fromJSON(json: unknown): Glossary {
    const data = json as Partial<GlossaryJSON> | null;
    if (!Array.isArray(data?.entries)) throw new Error('glossary JSON has no entries');
    return new Glossary(data.entries, Array.isArray(data.bridge) ? data.bridge : [], Array.isArray(data.codes) ? data.codes : []);
  }

  toJSON(): GlossaryJSON {
    return { version: 1, entries: this.entries, bridge: this.bridge, codes: [...this.codes] };
  }

  get size(): number {
    return this.entries.length;
  }

  private byImportance(a: number, b: number): number {
    return this.importance[b] - this.importance[a] || a - b;
  }

  /**
   * Exact, alias, script- and case-insensitive match first; then names the query starts or contains
   * (双反调查 → 双反) and names starting with the query; then typos (脱勾 → 脱钩). Nothing found: the closest terms.
   */
  lookup(query: string): { entries: GlossaryEntry[]; suggestions: string[] } {
    const key = lookupKey(query);
    if (!key) return { entries: [], suggestions: this.closest(key) };
    const exact = this.keyIndex.get(key);
    if (exact) return { entries: [...exact].sort((a, b) => this.byImportance(a, b)).map((i) => this.entries[i]), suggestions: [] };

    const keyLen = [...key].length;
    const minPrefix = HAN.test(key) ? 2 : 3;
    const scored = new Map<number, number>();
    const consider = (entry: number, rank: number) => {
      const prev = scored.get(entry);
      if (prev === undefined || rank < prev) scored.set(entry, rank);
    };
    for (const k of this.keys) {
      const len = [...k.key].length;
      if (keyLen >= minPrefix && k.key.startsWith(key)) consider(k.entry, 1 + len / 1000);
      else if (len >= minPrefix && len * 2 >= keyLen && key.includes(k.key)) consider(k.entry, 2 - len / 1000);
    }
    if (scored.size === 0) {
      const budget = typoBudget(key);
      for (const k of this.keys) {
        if (budget === 0) break;
        const d = editDistance(key, k.key, budget);
        if (d <= budget) consider(k.entry, 3 + d);
      }
    }
    if (scored.size > 0) {
      const ranked = [...scored.entries()].sort((a, b) => a[1] - b[1] || this.byImportance(a[0], b[0]));
      const bestRank = Math.floor(ranked[0][1]);
      const entries = ranked.filter(([, r]) => Math.floor(r) === bestRank).slice(0, 3).map(([i]) => this.entries[i]);
      return { entries, suggestions: [] };
    }
    return { entries: [], suggestions: this.closest(key) };
  }

  /** The nearest terms by character-bigram similarity and edit distance; never empty while the glossary is not. */
  private closest(key: string, n = 5): string[] {
    const best = new Map<number, number>();
    for (const k of this.keys) {
      const len = Math.max([...key].length, [...k.key].length, 1);
      const sim = key ? Math.max(bigramSimilarity(key, k.key), 1 - editDistance(key, k.key, len) / len) : 0;
      const score = sim + Math.min(this.importance[k.entry], 50) / 5000;
      if (score > (best.get(k.entry) ?? -1)) best.set(k.entry, score);
    }
    return [...best.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([i]) => this.entries[i].term);
  }

  /** Autocomplete: at most 25 choices, names and values at most 100 characters. */
  choices(prefix: string): Choice[] {
    const key = lookupKey(prefix);
    const rank = new Map<number, { rank: number; form: string }>();
    const consider = (entry: number, r: number, form: string) => {
      const prev = rank.get(entry);
      if (!prev || r < prev.rank) rank.set(entry, { rank: r, form });
    };
    if (!key) {
      this.entries.forEach((e, i) => consider(i, 0, e.term));
    } else {
      for (const k of this.keys) {
        if (k.key === key) consider(k.entry, 0, k.form);
        else if (k.key.startsWith(key)) consider(k.entry, 1, k.form);
        else if (k.key.includes(key)) consider(k.entry, 2, k.form);
      }
      if (rank.size < CHOICES_MAX) {
        const budget = typoBudget(key);
        if (budget > 0) for (const k of this.keys) if (!rank.has(k.entry) && editDistance(key, k.key, budget) <= budget) consider(k.entry, 3, k.form);
      }
    }
    return [...rank.entries()]
      .sort((a, b) => a[1].rank - b[1].rank || this.byImportance(a[0], b[0]))
      .slice(0, CHOICES_MAX)
      .map(([i, { form }]) => {
        const e = this.entries[i];
        const english = e.aliases.find((a) => /[a-z]/i.test(a) && !HAN.test(a));
        const other = form !== e.term ? form : english;
        return choice(other ? `${e.term} — ${other}` : e.term, e.term);
      });
  }

  /**
   * Terms of the glossary that occur in `text` (longest first, no overlaps) with their English name (the first
   * English alias), for gloss lines and English leads. Terms without an English name are left out.
   */
  englishNames(text: string): { term: string; english: string }[] {
    const key = searchKey(text);
    const found: { start: number; end: number; term: string; english: string }[] = [];
    const hits = this.hanForms.filter((h) => h.key.length >= 2 && key.includes(h.key)).sort((a, b) => b.key.length - a.key.length);
    // a term is glossed only where the sentence has it as words (国会 is not in 中美两国/会出现): segment first
    const cuts = wordBoundaries(key);
    for (const h of hits) {
      const e = this.expansionTerms[h.entry];
      const english = e.aliases.find((a) => /^[A-Za-z][A-Za-z0-9 '’-]{2,}$/.test(a) && !/^[A-Z0-9]{2,6}$/.test(a)) ?? e.aliases.find((a) => /^[A-Za-z]/.test(a));
      if (!english) continue;
      let start = key.indexOf(h.key);
      while (start >= 0 && !(cuts.has(start) && cuts.has(start + h.key.length))) start = key.indexOf(h.key, start + 1);
      if (start < 0) continue;
      const end = start + h.key.length;
      if (found.some((f) => start < f.end && f.start < end) || found.some((f) => f.english.toLowerCase() === english.toLowerCase())) continue;
      const at = [...text].length === key.length ? [...text].slice(start, end).join('') : e.term;
      found.push({ start, end, term: at, english });
    }
    return found.sort((a, b) => a.start - b.start).map(({ term, english }) => ({ term, english }));
  }

  /**
   * The other names (Chinese forms and the abbreviations the corpus uses) of every entry whose term or
   * alias occurs in the question, longest match first so "Minerals Security Partnership" is not read as
   * "security". Forms already in the question are left out. Used by retrieval to reach Chinese passages.
   * English words no entry covers then get the corpus words the lexicon glosses with them (`useLexicon`;
   * `{ lexicon: false }` leaves them out, for callers that want curated bridges only).
   */
  expandQuery(question: string, options: { lexicon?: boolean } = {}): string[] {
    return this.expandQueryGroups(question, options).flatMap((g) => g.forms);
  }

  /**
   * expandQuery's forms grouped by what they stand for (one glossary entry, one English word): the composer
   * counts a group as one question item, covered by any of its forms, and can leave out the groups of words
   * that only frame the question ("share", "hold").
   */
  expandQueryGroups(question: string, options: { lexicon?: boolean } = {}): ExpansionGroup[] {
    const key = searchKey(question).replace(/['’]s\b/g, '');
    const spans: { start: number; end: number; entry: number }[] = [];
    for (const h of this.hanForms) {
      let at = key.indexOf(h.key);
      while (at >= 0) {
        spans.push({ start: at, end: at + h.key.length, entry: h.entry });
        at = key.indexOf(h.key, at + 1);
      }
    }
    const tokens = latinTokens(key);
    tokens.forEach((t, i) => {
      for (const form of this.latinForms.get(t.word) ?? []) {
        if (i + form.words.length > tokens.length) continue;
        if (!form.words.every((w, j) => tokens[i + j].word === w)) continue;
        if (form.caseSensitive && !new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(form.caseSensitive)}(?![a-z0-9])`).test(question)) continue;
        spans.push({ start: t.start, end: tokens[i + form.words.length - 1].end, entry: form.entry });
      }
    });
    spans.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    const taken: { start: number; end: number }[] = [];
    const matched: { start: number; end: number; entry: number }[] = [];
    for (const s of spans) {
      if (taken.some((t) => s.start < t.end && t.start < s.end && !(t.start === s.start && t.end === s.end))) continue;
      taken.push(s);
      if (!matched.some((m) => m.entry === s.entry)) matched.push({ start: s.start, end: s.end, entry: s.entry });
    }
    matched.sort((a, b) => a.start - b.start);
    const out: ExpansionGroup[] = [];
    const seen = new Set<string>();
    // "Table 3" / "Figure 2" / "footnote 4" name the paper's own 表3 / 图2 / 注④.
    for (const m of key.matchAll(/\b(table|figure|fig)\.?\s*(\d+)/g)) {
      const form = (m[1] === 'table' ? '表' : '图') + m[2];
      if (!seen.has(form)) {
        seen.add(form);
        out.push({ source: m[0], forms: [form] });
      }
    }
    for (const { start, end, entry } of matched) {
      const e = this.expansionTerms[entry];
      const forms: string[] = [];
      for (const form of [e.term, ...e.aliases]) {
        if (!HAN.test(form) && !this.codes.has(form)) continue;
        const sk = searchKey(form);
        if (seen.has(sk) || key.includes(sk)) continue;
        seen.add(sk);
        forms.push(sk === form || !HAN.test(form) ? form : toSimplified(form));
      }
      if (forms.length) out.push({ source: key.slice(start, end), forms });
    }
    // Taiwan's words for what the corpus writes in the mainland's (晶片 → 芯片): an extra form each
    for (const [word, mainland] of taiwanWords(question)) {
      if (seen.has(mainland) || key.includes(mainland)) continue;
      seen.add(mainland);
      out.push({ source: word, forms: [mainland], variant: true });
    }
    // English words no entry covers: the corpus words whose dictionary sense is that word (curated entries first)
    if (this.lexicon && this.lexicon.size > 0 && options.lexicon !== false) {
      for (const t of tokens) {
        if (t.word.length < 3 || taken.some((s) => t.start < s.end && s.start < t.end)) continue;
        const forms: string[] = [];
        for (const m of this.lexicon.matches(t.word)) {
          if (m.score < LEXICON_MIN_SCORE || forms.length >= LEXICON_PER_WORD) break;
          if (seen.has(m.word) || key.includes(m.word)) continue;
          seen.add(m.word);
          forms.push(m.word);
        }
        if (forms.length) out.push({ source: t.word, forms, dictionary: true });
      }
    }
    return out;
  }

  /** Lets expandQuery bridge English words the entries do not cover through the corpus lexicon. */
  useLexicon(lexicon: Lexicon | undefined): this {
    this.lexicon = lexicon;
    return this;
  }
}

/**
 * Words of a traditional-script question that Taiwan writes differently from the mainland, with the mainland
 * form of the same length: [search-key word, mainland word] (晶片 → 芯片; 矽 → 硅, the segmenter splitting 矽錠).
 */
function taiwanWords(question: string): [string, string][] {
  const out: [string, string][] = [];
  for (const run of question.normalize('NFKC').match(/\p{Script=Han}+/gu) ?? []) {
    const plain = toSimplified(run);
    // only text written in traditional script: on simplified text twp rewrites shared words (程序 → 进程)
    if (plain === run) continue;
    const mainland = toMainlandVocabulary(run);
    if (plain === mainland || [...plain].length !== [...mainland].length) continue;
    const chars = [...mainland];
    let at = 0;
    for (const word of chineseWords(plain)) {
      const n = [...word].length;
      const other = chars.slice(at, at + n).join('');
      at += n;
      if (other !== word && !out.some(([w]) => w === word)) out.push([word, other]);
    }
  }
  return out;
}

/**
 * How close a lexicon sense must be to the English word (3: the whole sense, 2: one of two words) and how many
 * corpus words one English word may add. Measured (hybrid, corpus model) on eval/en.jsonl: without the lexicon
 * R@1 0.50 R@5 0.79 MRR 0.635; 2/2 → 0.62/0.88/0.741; 3/2 → 0.54/0.88/0.689; 2/1 → 0.58/0.88/0.710; 2/3 →
 * 0.62/0.92/0.750. The dev set's English rows are the same (0.83/1.00/0.917) at every setting.
 */
export const LEXICON_MIN_SCORE = 2;
export const LEXICON_PER_WORD = 2;
