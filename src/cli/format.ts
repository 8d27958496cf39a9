import { clipChars } from '../text/clip.js';
import { isUnknownAuthor } from '../corpus/document.js';
import type { Answer, ScoredPassage } from '../core/answer.js';
import type { CiteResult, SourceSummary, TermResult } from '../service/librarian-api.js';

/** The `ask --json` contract of DESIGN.md (extra fields are allowed after the contract's). */
export function answerJson(answer: Answer): object {
  return {
    question: answer.question,
    answer: answer.text,
    supported: answer.supported,
    citations: answer.citations.map((c) => ({ n: c.n, id: c.id, docId: c.docId, title: c.title, label: c.label, text: c.text, score: round(c.score) })),
    timings: answer.timings,
    lead: answer.lead,
    lang: answer.lang,
    composer: answer.composer,
    related: answer.related.map((c) => ({ id: c.id, label: c.label, title: c.title, text: c.text, score: round(c.score) })),
    ...(answer.note ? { note: answer.note } : {}),
  };
}

export function searchJson(query: string, results: ScoredPassage[]): object {
  return {
    query,
    results: results.map((r) => ({ id: r.passage.id, docId: r.passage.docId, label: r.passage.label, text: r.passage.text, score: round(r.score) })),
  };
}

export function termJson(result: TermResult): object {
  return {
    query: result.query,
    entries: result.entries.map((e) => ({ term: e.term, aliases: e.aliases, definition: e.definition, citations: e.citations, counts: e.counts.slice(0, 10), origin: e.origin })),
    ...(result.entries.length === 0 ? { message: 'not in the glossary', suggestions: result.suggestions } : {}),
  };
}

export function citeJson(result: CiteResult): object {
  const p = result.passage;
  return { id: p.id, docId: p.docId, label: p.label, text: p.text, citation: result.citation };
}

function round(score: number): number {
  return Math.round(score * 10000) / 10000;
}

// ---- terminal rendering (the chat and the non-JSON commands) ----

export function answerText(answer: Answer): string {
  const lines = [answer.text];
  if (answer.note) lines.push('', `(${answer.note})`);
  lines.push('', `— ${answer.composer}, ${answer.timings.totalMs.toFixed(0)} ms`);
  return lines.join('\n');
}

/**
 * Ranked passages without a number: the fused score is a reciprocal-rank sum (0.015–0.016 for every result)
 * that means nothing to a reader. Shown instead: which searches found the passage — its words (BM25), its
 * meaning (embeddings) or both. `--json` keeps the score for programs.
 */
export function searchText(results: ScoredPassage[]): string {
  if (results.length === 0) return 'No passage matches.';
  const how = (r: ScoredPassage) => (r.lexicalRank && r.denseRank ? 'words + meaning' : r.lexicalRank ? 'words' : r.denseRank ? 'meaning' : '');
  return results.map((r, i) => `${i + 1}. [${r.passage.id}] ${r.passage.label}${how(r) ? `  (${how(r)})` : ''}\n   ${clip(r.passage.text, 160)}`).join('\n');
}

export function termText(result: TermResult): string {
  if (result.entries.length === 0) {
    const near = result.suggestions.length ? ` Closest terms: ${result.suggestions.join('、')}` : '';
    return `“${result.query}” is not in the glossary.${near}`;
  }
  return result.entries
    .map((e) => {
      const head = `${e.term}${e.aliases.length ? ` (${e.aliases.join(' / ')})` : ''}`;
      const cites = e.citations.slice(0, 3).map((c, i) => `  [${i + 1}] ${c.label} [${c.id}]: ${clip(c.text, 140)}`);
      return [head, `  ${e.definition}`, ...cites].join('\n');
    })
    .join('\n\n');
}

export function citeText(result: CiteResult): string {
  return `${result.citation}\n[${result.passage.id}]`;
}

export function sourcesText(sources: SourceSummary[]): string {
  return sources
    .map((s) => {
      const kinds = Object.entries(s.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
      const year = s.doc.year !== undefined && !String(s.doc.venue ?? '').includes(String(s.doc.year)) ? s.doc.year : undefined;
      const meta = [isUnknownAuthor(s.doc.author) ? undefined : s.doc.author, s.doc.venue, year].filter(Boolean).join(', ');
      return `${s.doc.id}: ${s.doc.title}${meta ? ` — ${meta}` : ''} (${[s.doc.format, s.doc.lang].filter(Boolean).join(', ')}; ${s.passages} passage${s.passages === 1 ? '' : 's'}: ${kinds})`;
    })
    .join('\n');
}

/** One line of at most `max` characters, for terminal lists. */
export function clip(text: string, max: number): string {
  return clipChars(text.replace(/\s+/g, ' '), max);
}
