/**
 * Pure rendering of answers into Discord message payloads (plain API JSON), within Discord's limits.
 * Long text is split at line or sentence ends, never inside an `[n]` marker nor between a sentence and its markers.
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow, type APIEmbed } from 'discord.js';
import type { Answer, Citation } from '../core/answer.js';
import { bodyText } from '../answer/plainText.js';
import { DISCORD_LIMITS as L } from './discordLimits.js';
import { phrasesFor } from './phrases.js';

export interface RenderedMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Custom-id prefixes of the components the bot puts under an answer. */
export const CUSTOM_ID = {
  sources: 'lode:src:',
  voteUp: 'lode:up:',
  voteDown: 'lode:down:',
  cite: 'lode:cite:',
} as const;

const EMBED_COLOR = 0x3b6ea5;
const MARKER_AT_END = /\[\d*$/;
const SENTENCE_END = /(?:[。！？；…]|[.!?;](?=\s|\[|$))["”’」』）)]*(?:\s*\[\d+\])*/g;

/** Splits `text` into pieces of at most `max` characters at the safest boundary available. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = safeCut(rest, max);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

function safeCut(text: string, max: number): number {
  const window = text.slice(0, max);
  const floor = Math.floor(max / 3);
  // 1. a line break
  const newline = window.lastIndexOf('\n');
  if (newline >= floor) return newline + 1;
  // 2. a sentence end, with its citation markers
  let sentence = -1;
  for (const m of window.matchAll(SENTENCE_END)) {
    const end = m.index! + m[0].length;
    if (end <= max && text[end] !== '[') sentence = end;
  }
  if (sentence >= floor) return sentence;
  // 3. a space or comma not followed by a marker
  for (let i = window.length; i > floor; i--) {
    if (/[\s,，、]/.test(window[i - 1]) && text[i] !== '[') return i;
  }
  // 4. a hard cut, moved back out of a marker and a surrogate pair
  let cut = max;
  const marker = window.match(MARKER_AT_END);
  if (marker && marker.index! > 0) cut = marker.index!;
  // keep a marker with the character it follows rather than starting the next piece with it
  while (cut > 1 && text[cut] === '[') cut -= 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut;
}

/** Trims to `max` characters with an ellipsis, at a safe boundary when one is close. */
export function clip(text: string, max: number): string {
  const flat = text.trim();
  if (flat.length <= max) return flat;
  return splitText(flat, max - 1)[0] + '…';
}

/** Characters Discord counts towards the 6,000 per-message embed total. */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/** Groups embeds into messages of at most 10 embeds and 6,000 characters. */
export function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const len = embedLength(embed);
    if (current.length && (current.length >= L.embedsPerMessage || size + len > L.embedsTotal)) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(embed);
    size += len;
  }
  if (current.length) messages.push(current);
  return messages;
}

/** Embeds carrying `text` as descriptions, the first titled; continuation embeds are marked as such. */
export function textEmbeds(title: string | undefined, text: string, continued = '(…)'): APIEmbed[] {
  const pieces = splitText(text, L.embedDescription);
  if (pieces.length === 0) pieces.push('—');
  return pieces.map((description, i) => ({
    color: EMBED_COLOR,
    ...(i === 0 && title ? { title: clip(title, L.embedTitle) } : {}),
    ...(i > 0 && title ? { title: clip(`${title} ${continued}`, L.embedTitle) } : {}),
    description,
  }));
}

export interface AnswerRenderOptions {
  /** Model id shown in the footer. */
  model: string;
  elapsedMs: number;
  /** Key the components carry so a click finds its answer. */
  key: string;
  /** The question as the user wrote it (defaults to `answer.question`). */
  question?: string;
}

/** The cited (or, when unsupported, related) passages shown under an answer. */
export function listedCitations(answer: Answer): Citation[] {
  return answer.supported && answer.citations.length ? answer.citations : answer.related;
}

/** Answer → one or more messages: the answer embed(s), the numbered sources, a footer, and the buttons on the first. */
export function renderAnswer(answer: Answer, options: AnswerRenderOptions): RenderedMessage[] {
  const phrases = phrasesFor(answer.lang);
  const cited = listedCitations(answer);
  const body = bodyText(answer.lead, answer.parts);
  const embeds = textEmbeds(options.question ?? answer.question, body, phrases.continued);

  // numbered sources as fields: at most 25 per embed, and sized to leave room in the 6,000 total
  let sourceEmbed: APIEmbed | null = null;
  for (const c of cited) {
    const field = { name: clip(`[${c.n}] ${c.label}`, 200), value: clip(c.title || c.docId, 300) };
    const fieldLen = field.name.length + field.value.length;
    if (!sourceEmbed || (sourceEmbed.fields ?? []).length >= L.embedFields || embedLength(sourceEmbed) + fieldLen > L.embedsTotal / 2) {
      sourceEmbed = { color: EMBED_COLOR, title: sourceEmbed ? `${phrases.sourcesHeading} ${phrases.continued}` : phrases.sourcesHeading, fields: [] };
      embeds.push(sourceEmbed);
    }
    sourceEmbed.fields!.push(field);
  }

  const seconds = (options.elapsedMs / 1000).toFixed(1);
  const footer = [answer.note, `${options.model} · ${answer.composer} · ${seconds} s`].filter(Boolean).join('\n');
  embeds[embeds.length - 1].footer = { text: clip(footer, L.footerText) };

  const messages: RenderedMessage[] = packEmbeds(embeds).map((group) => ({ embeds: group, components: [] }));
  messages[0].components = answerComponents(answer, options.key);
  return messages;
}

/** Sources button, 👍 / 👎, and a select menu that quotes one citation. */
export function answerComponents(answer: Answer, key: string): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const phrases = phrasesFor(answer.lang);
  const cited = listedCitations(answer);
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [
    {
      type: ComponentType.ActionRow,
      components: [
        ...(cited.length
          ? [{ type: ComponentType.Button as const, style: ButtonStyle.Secondary as const, label: phrases.sources, custom_id: CUSTOM_ID.sources + key }]
          : []),
        { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: CUSTOM_ID.voteUp + key },
        { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, custom_id: CUSTOM_ID.voteDown + key },
      ],
    },
  ];
  const options = uniqueById(cited)
    .slice(0, L.selectOptions)
    .filter((c) => c.id.length <= L.selectOptionValue)
    .map((c) => ({
      label: clip(`[${c.n}] ${c.label}`, L.selectOptionLabel),
      value: c.id,
      description: clip(c.title || c.docId, L.selectOptionDescription),
    }));
  if (options.length) {
    rows.push({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.StringSelect, custom_id: CUSTOM_ID.cite + key, placeholder: phrases.pickCitation, min_values: 1, max_values: 1, options }],
    });
  }
  return rows;
}

function uniqueById(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

/** Passage ids a rendered answer message offers in its select menu (stateless recovery after a restart). */
export function passageIdsInComponents(components: unknown): string[] {
  const ids: string[] = [];
  const visit = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const data = typeof node.toJSON === 'function' ? node.toJSON() : node;
    if (data.type === ComponentType.StringSelect && String(data.custom_id ?? '').startsWith(CUSTOM_ID.cite)) {
      for (const o of data.options ?? []) ids.push(o.value);
    }
    visit(data.components);
  };
  visit(components);
  return ids;
}

export interface PassageForDisplay {
  n?: number;
  id: string;
  label: string;
  title: string;
  text: string;
}

/** Full passages (for the ephemeral "Sources" reply), split across embeds and messages as needed. */
export function renderPassages(passages: PassageForDisplay[], heading: string, empty: string): RenderedMessage[] {
  if (passages.length === 0) return [{ content: empty, embeds: [], components: [] }];
  const blocks = passages.map((p) => {
    const head = `**${p.n !== undefined ? `[${p.n}] ` : ''}${p.label}** — ${p.title} \`${p.id}\``;
    return `${head}\n${p.text.split('\n').map((line) => `> ${line}`).join('\n')}`;
  });
  const embeds = textEmbeds(heading, blocks.join('\n\n'));
  return packEmbeds(embeds).map((group) => ({ embeds: group, components: [] }));
}

/** Plain-text messages (content ≤ 2,000 characters each). */
export function renderPlain(text: string): RenderedMessage[] {
  return splitText(text, L.messageContent).map((content) => ({ content, embeds: [], components: [] }));
}
