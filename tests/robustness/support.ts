/**
 * Shared pieces of the robustness suite: the long/short switch, a temp copy of the corpus with its index,
 * a checker for Discord's payload limits, and a checker that an answer holds only corpus text and templates.
 */
import { seededRandom } from '../../src/embedding/svd.js';
import type { Answer } from '../../src/core/answer.js';
import { phrasesFor } from '../../src/answer/messages.js';
import { searchKey } from '../../src/text/searchKey.js';
import { DISCORD_LIMITS as L } from '../../src/bot/discordLimits.js';
import type { RenderedMessage } from '../../src/bot/render.js';


/** `LODESTONE_LONG=1` (npm run test:robustness) runs the long variants. */
export const LONG = process.env.LODESTONE_LONG === '1';

/** Short variant in `npm test`, long one behind the flag. */
export function runs(short: number, long: number): number {
  return LONG ? long : short;
}

/** One line per test that the lead can quote in the report. */
export function summary(name: string, figures: Record<string, unknown>): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  console.log(`[robustness] ${name}: ${parts.join(' ')}${LONG ? ' (long)' : ''}`);
}

export { makeWorkspace, openLibrarian, removeWorkspace, type Workspace } from '../support/workspace.js';

/** A deterministic PRNG (mulberry32) so a failing random offset can be reproduced from the printed seed. */
export const prng = seededRandom;

// ---------------------------------------------------------------------------------------------------------
// Discord limits

/** Every limit a rendered message breaks (empty when it is valid to send). Lengths in UTF-16 units, as Discord counts. */
export function discordViolations(message: RenderedMessage): string[] {
  const v: string[] = [];
  const over = (what: string, value: string | undefined, max: number) => {
    if (value !== undefined && value.length > max) v.push(`${what} is ${value.length} > ${max}`);
  };
  over('content', message.content, L.messageContent);
  if (!message.content && message.embeds.length === 0) v.push('message has neither content nor embeds');
  if (message.embeds.length > L.embedsPerMessage) v.push(`${message.embeds.length} embeds > ${L.embedsPerMessage}`);
  let total = 0;
  for (const e of message.embeds) {
    over('embed title', e.title, L.embedTitle);
    over('embed description', e.description, L.embedDescription);
    over('embed footer', e.footer?.text, L.footerText);
    if (e.description !== undefined && e.description.trim() === '') v.push('empty embed description');
    if ((e.fields ?? []).length > L.embedFields) v.push(`${e.fields!.length} fields > ${L.embedFields}`);
    for (const f of e.fields ?? []) {
      over('field name', f.name, L.fieldName);
      over('field value', f.value, L.fieldValue);
      if (!f.name.trim() || !f.value.trim()) v.push('empty field name or value');
    }
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
    for (const f of e.fields ?? []) total += f.name.length + f.value.length;
  }
  if (total > L.embedsTotal) v.push(`embeds total ${total} > ${L.embedsTotal}`);
  if (message.components.length > 5) v.push(`${message.components.length} action rows > 5`);
  for (const row of message.components) {
    for (const c of row.components as any[]) {
      if (c.custom_id !== undefined) over('custom_id', c.custom_id, L.customId);
      if (c.label !== undefined) over('button label', c.label, 80);
      if (c.options) {
        if (c.options.length > L.selectOptions) v.push(`${c.options.length} select options > ${L.selectOptions}`);
        for (const o of c.options) {
          over('option label', o.label, L.selectOptionLabel);
          over('option value', o.value, L.selectOptionValue);
          over('option description', o.description, L.selectOptionDescription);
        }
      }
    }
  }
  return v;
}

/** Every string in the payload: a well-formed input must never come out with a half surrogate pair. */
export function strings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) node.forEach((n) => strings(n, out));
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => strings(n, out));
  return out;
}

export function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

// ---------------------------------------------------------------------------------------------------------
// Answer provenance (extractive mode)

/**
 * Lines of `answer.text` that are neither a fixed template, nor a verbatim quote of the passage its [n]
 * cites, nor a source/related line built from corpus metadata. Empty ⇔ the answer holds nothing invented
 * (and nothing echoed from the question).
 */
export function foreignLines(answer: Answer, passageText: (id: string) => string | undefined): string[] {
  const phrases = phrasesFor(answer.lang);
  const templates = new Set([
    phrases.lead, phrases.noAnswer, phrases.relatedHeading, phrases.sourcesHeading, phrases.needsContext, '',
    phrases.neutralLead, phrases.noSidePassage, phrases.noPartPassage, phrases.chineseSourceNote ?? '',
  ]);
  // a comparison's side heading ("美国：", "Green competition:") names what the question named: no claim
  const sideHeading = (line: string) => /^[^\[\]\n]{1,34}[:：]$/u.test(line);
  const bad: string[] = [];
  const quotes: { n: number; sentence: string }[] = [];
  const lines = answer.text.split('\n');
  lines.forEach((line, i) => {
    if (i === 0 && !templates.has(line) && !leadFromPassage(line, answer, passageText)) bad.push(line);
  });
  for (const [i, line] of lines.entries()) {
    if (i === 0 || templates.has(line) || sideHeading(line)) continue;
    // a gloss line under a quote: "  术语 = "English"; …", each term in a cited passage
    if (/^ {2}\S/.test(line)) {
      const terms = [...line.matchAll(/(?:^|; )\s*([^=;]+?) = "[^"]+"/g)].map((m) => m[1].trim());
      if (terms.length === 0 || !terms.every((t) => answer.citations.some((c) => passageText(c.id)?.includes(t)))) bad.push(line);
      continue;
    }
    // a comparison heading per document: "<author year>：" of a cited document
    if (/^[^[\]]{1,40}[：:]$/.test(line) && answer.citations.some((c) => line.startsWith(c.label.split(' · ')[0]))) continue;
    // a quoted sentence: "- <sentence> [n]", the sentence verbatim from the passage cited as [n]
    const quote = /^- ([\s\S]+) \[(\d+)\]$/.exec(line);
    if (quote) {
      const cited = answer.citations.find((c) => c.n === Number(quote[2]));
      quotes.push({ n: Number(quote[2]), sentence: quote[1] });
      const text = cited && passageText(cited.id);
      if (!text || !text.includes(quote[1])) bad.push(line);
      continue;
    }
    // a source line: "[n] <label> — <title>" (possibly clipped with …)
    const source = /^\[(\d+)\] ([\s\S]+)$/.exec(line);
    if (source) {
      const cited = answer.citations.find((c) => c.n === Number(source[1]));
      const full = cited ? `${cited.label} — ${cited.title}` : undefined;
      const shown = source[2].replace(/…$/, '');
      if (!full || !full.startsWith(shown)) bad.push(line);
      continue;
    }
    // a related passage: "· <label> — <title>: <clipped passage text>" (labels may repeat: any related one may match)
    const related = answer.related.filter((r) => line.startsWith(`· ${r.label} — ${r.title}: `));
    if (related.length) {
      const ok = related.some((r) => {
        const shown = line.slice(`· ${r.label} — ${r.title}: `.length).replace(/…$/, '');
        return passageText(r.id)?.includes(shown) ?? false;
      });
      if (!ok) bad.push(line);
      continue;
    }
    bad.push(line);
  }
  // every citation's quoted span is from its passage: one sentence of it, or the sentences quoted for [n] joined
  for (const c of [...answer.citations, ...answer.related]) {
    const text = passageText(c.id);
    const quoted = quotes.filter((q) => q.n === c.n && answer.citations.includes(c)).map((q) => q.sentence).join('');
    if (!text) bad.push(`citation ${c.n} names a passage that does not exist: ${c.id}`);
    else if (!text.includes(c.text) && c.text !== quoted) bad.push(`citation ${c.n} text is not from ${c.id}: ${c.text.slice(0, 60)}`);
  }
  return bad;
}

/**
 * A lead that states the answer: "<fragments> [n]" where every Chinese fragment is text of passage n and
 * every figure is in it or computed from its figures (a difference, a unit conversion by powers of ten).
 */
function leadFromPassage(line: string, answer: Answer, passageText: (id: string) => string | undefined): boolean {
  const m = /^([\s\S]+) \[(\d+)\]$/.exec(line);
  if (!m) return false;
  const cited = answer.citations.find((c) => c.n === Number(m[2]));
  const text = cited && passageText(cited.id);
  if (!text) return false;
  const key = searchKey(text).replace(/\s+/g, '');
  const body = m[1].replace(/^In short: /, '').replace(/…$/, '');
  const templateWords = /从|從|降至|升至|下降|上升|个百分点|個百分點/g;
  for (const fragment of body.split(/[、；;，,：:—]|\s(?:from|to|down|up)\s/)) {
    const han = fragment.replace(templateWords, ' ').match(/[\p{Script=Han}《》“”]+/gu) ?? [];
    for (const h of han) if (!key.includes(searchKey(h).replace(/\s+/g, ''))) return false;
  }
  const figures = (text.normalize('NFKC').match(/\d+(?:\.\d+)?/g) ?? []).map(Number);
  const derived = new Set<number>();
  for (const a of figures) {
    for (const f of [1, 10, 100, 1000, 0.1, 0.01]) derived.add(Math.round(a * f * 100) / 100);
    for (const b of figures) derived.add(Math.round(Math.abs(a - b) * 100) / 100);
  }
  return (body.normalize('NFKC').match(/\d+(?:\.\d+)?/g) ?? []).every((n) => derived.has(Math.round(Number(n) * 100) / 100));
}
