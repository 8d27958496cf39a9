/** Pure rendering of /term, /cite, /search, /sources and /help results. */
import type { APIEmbed } from 'discord.js';
import type { QuestionLang, ScoredPassage } from '../core/answer.js';
import type { CiteResult, SourceSummary, TermResult } from '../service/librarian-api.js';
import { DISCORD_LIMITS as L } from './discordLimits.js';
import { clip, packEmbeds, renderPlain, textEmbeds, type RenderedMessage } from './render.js';

const COLOR = 0x3b6ea5;

const words = {
  en: { noTerm: 'No glossary entry for', didYouMean: 'Did you mean', aliases: 'Also', noResults: 'No passages match', results: 'Passages for', passages: 'passages', documents: 'Documents' },
  'zh-Hans': { noTerm: '术语表中没有', didYouMean: '你是不是要找', aliases: '又称', noResults: '没有段落匹配', results: '相关段落：', passages: '段', documents: '文献' },
  'zh-Hant': { noTerm: '術語表中沒有', didYouMean: '你是不是要找', aliases: '又稱', noResults: '沒有段落符合', results: '相關段落：', passages: '段', documents: '文獻' },
} satisfies Record<QuestionLang, Record<string, string>>;

function toMessages(embeds: APIEmbed[]): RenderedMessage[] {
  return packEmbeds(embeds).map((group) => ({ embeds: group, components: [] }));
}

export function renderTerm(result: TermResult, lang: QuestionLang): RenderedMessage[] {
  const w = words[lang];
  if (result.entries.length === 0) {
    const hint = result.suggestions.length ? ` ${w.didYouMean}: ${result.suggestions.slice(0, 10).join(' · ')}?` : '';
    return renderPlain(`${w.noTerm} “${result.query}”.${hint}`);
  }
  const embeds = result.entries.slice(0, L.embedsPerMessage).flatMap((entry) => {
    const lines = [entry.definition];
    if (entry.aliases.length) lines.push(`*${w.aliases}: ${entry.aliases.join(' · ')}*`);
    entry.citations.slice(0, 5).forEach((c, i) => lines.push(`[${i + 1}] ${c.label} \`${c.id}\`\n> ${clip(c.text, 400)}`));
    return textEmbeds(entry.term, lines.join('\n\n'));
  });
  return toMessages(embeds);
}

export function renderCitation(result: CiteResult): RenderedMessage[] {
  return renderPlain(`${result.citation}\n\`${result.passage.id}\``);
}

export function renderSearch(query: string, results: ScoredPassage[], lang: QuestionLang): RenderedMessage[] {
  const w = words[lang];
  if (results.length === 0) return renderPlain(`${w.noResults} “${query}”.`);
  const blocks = results.map(
    // no score: the fused reciprocal-rank values (0.015–0.016) mean nothing to a reader; the order says it
    (r, i) => `**${i + 1}. ${r.passage.label}** \`${r.passage.id}\`\n> ${clip(r.passage.text, 500).replace(/\n/g, '\n> ')}`,
  );
  return toMessages(textEmbeds(`${w.results} ${query}`, blocks.join('\n\n')));
}

export function renderSources(sources: SourceSummary[], lang: QuestionLang): RenderedMessage[] {
  const w = words[lang];
  const blocks = sources.map(({ doc, passages, byKind }) => {
    const meta = [doc.author, doc.year, doc.venue, doc.lang, doc.format?.toUpperCase()].filter(Boolean).join(' · ');
    const kinds = Object.entries(byKind).map(([kind, n]) => `${kind} ${n}`).join(', ');
    return `**${doc.title}** \`${doc.id}\`\n${meta}\n${passages} ${w.passages}${kinds ? ` (${kinds})` : ''}${doc.source ? `\n${doc.source}` : ''}`;
  });
  return toMessages(textEmbeds(w.documents, blocks.join('\n\n') || '—'));
}

const help: Record<QuestionLang, string> = {
  en: [
    'I answer questions about the documents in my collection and cite the exact passages.',
    '`/ask question:<text> [public]` — an answer with [n] citations (only you see it unless public)',
    '`/term term:<name>` — glossary entry with its definition and where it matters',
    '`/cite passage:<id or words>` — a passage ready to quote',
    '`/search query:<text> [k]` — the best-matching passages',
    '`/sources` — the documents and how many passages each has',
    'Message menu (right-click or long-press a message → Apps) **Ask Lodestone about this** — the message asked as /ask would',
    'Message menu **Find sources for this** — the passages that support what the message claims, or that give other figures',
    '`/docs add|list|remove` — add a .md/.txt document, list or remove them (Manage Server)',
    '`/report [days]` — questions I could not answer or that got 👎, and what the documents lack (Manage Server)',
    'Mention me with a question to get an answer in a thread; reply in the thread to follow up. DMs work too.',
  ].join('\n'),
  'zh-Hans': [
    '我回答关于文献库的问题，并引用确切的段落。',
    '`/ask question:<问题> [public]` — 带 [n] 引用的回答（默认仅你可见）',
    '`/term term:<术语>` — 术语的定义及其出处',
    '`/cite passage:<段落编号或词语>` — 可直接引用的段落',
    '`/search query:<关键词> [k]` — 最相关的段落',
    '`/sources` — 文献列表及各自的段落数',
    '消息菜单（右键或长按消息 → 应用）**向 Lodestone 询问此消息** — 像 /ask 一样回答该消息',
    '消息菜单 **查找此说法的出处** — 支持该消息所述内容的段落，或给出不同数字的段落',
    '`/docs add|list|remove` — 添加 .md/.txt 文献、列出或删除文献（需“管理服务器”权限）',
    '`/report [days]` — 未能回答或被点 👎 的问题，以及文献缺少的内容（需“管理服务器”权限）',
    '在频道里 @我 提问，我会在子区中回答；在子区里继续追问即可。私信也可以。',
  ].join('\n'),
  'zh-Hant': [
    '我回答關於文獻庫的問題，並引用確切的段落。',
    '`/ask question:<問題> [public]` — 帶 [n] 引用的回答（預設僅你可見）',
    '`/term term:<術語>` — 術語的定義及其出處',
    '`/cite passage:<段落編號或詞語>` — 可直接引用的段落',
    '`/search query:<關鍵詞> [k]` — 最相關的段落',
    '`/sources` — 文獻列表及各自的段落數',
    '訊息選單（右鍵或長按訊息 → 應用程式）**向 Lodestone 詢問此訊息** — 像 /ask 一樣回答該訊息',
    '訊息選單 **查找此說法的出處** — 支持該訊息所述內容的段落，或給出不同數字的段落',
    '`/docs add|list|remove` — 新增 .md/.txt 文獻、列出或刪除文獻（需「管理伺服器」權限）',
    '`/report [days]` — 未能回答或被點 👎 的問題，以及文獻缺少的內容（需「管理伺服器」權限）',
    '在頻道裡 @我 提問，我會在討論串中回答；在討論串裡繼續追問即可。私訊也可以。',
  ].join('\n'),
};

export function renderHelp(lang: QuestionLang, describe: { model: string; passages: number; documents: number; llm?: string }): RenderedMessage[] {
  const footer = `${describe.documents} docs · ${describe.passages} passages · ${describe.model}${describe.llm ? ` · ${describe.llm}` : ''}`;
  return [{ embeds: [{ color: COLOR, title: 'Lodestone', description: help[lang], footer: { text: footer } }], components: [] }];
}
