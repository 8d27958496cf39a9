import type { AnswerPart, Citation, QuestionLang } from '../core/answer.js';
import { phrasesFor } from './messages.js';

/** Source list after the body, in characters. */
export const ANSWER_SOURCES_MAX_CHARS = 400;

/** One part as a line of plain text: quotes as list items ending in their marker. */
export function partLine(part: AnswerPart): string {
  switch (part.kind) {
    case 'quote':
      return `- ${part.text} [${part.n}]`;
    case 'heading':
      return `${part.text}`;
    case 'gloss':
      return `  ${part.text}`;
    case 'prose':
    case 'related':
      return part.text;
  }
}

/** The numbered source list: `[n] label — title`, within ANSWER_SOURCES_MAX_CHARS. */
export function sourceList(citations: Citation[], lang: QuestionLang): string {
  const heading = phrasesFor(lang).sourcesHeading;
  const lines = [heading];
  let used = [...heading].length;
  for (const c of citations) {
    let line = `[${c.n}] ${c.label} — ${c.title}`;
    if ([...line].length > 120) line = [...line].slice(0, 119).join('') + '…';
    if (used + [...line].length + 1 > ANSWER_SOURCES_MAX_CHARS) break;
    lines.push(line);
    used += [...line].length + 1;
  }
  return lines.join('\n');
}

/** Lead and parts as plain lines (no source list): what the bot puts in its embed. */
export function bodyText(lead: string, parts: AnswerPart[]): string {
  return [lead, ...parts.map(partLine)].join('\n');
}

/** The whole plain answer: body, a blank line, the source list (when anything is cited). */
export function answerText(lead: string, parts: AnswerPart[], citations: Citation[], lang: QuestionLang): string {
  const body = bodyText(lead, parts);
  return citations.length ? `${body}\n\n${sourceList(citations, lang)}` : body;
}
