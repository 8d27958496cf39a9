/**
 * /report (Manage Server): this server's recent questions that were refused or got 👎, grouped by the topic
 * they share, with the terms the corpus lacks — what to add to the corpus next. One ephemeral embed within
 * Discord's limits.
 */
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import type { QuestionLang } from '../../core/answer.js';
import { groupByTopic, missingTerms } from '../../service/corpusGaps.js';
import { questionKey } from '../../retrieval/feedbackBoost.js';
import { DISCORD_LIMITS as L } from '../discordLimits.js';
import { zh } from '../localizations.js';
import { clip, embedLength } from '../render.js';
import { langOf, NO_MENTIONS } from '../respond.js';
import type { BotServices } from '../services.js';

export const DAYS_DEFAULT = 14;
export const DAYS_MAX = 90;

export const data = new SlashCommandBuilder()
  .setName('report')
  .setNameLocalizations(zh('报告', '報告'))
  .setDescription('Questions I could not answer or that got 👎, and what the documents lack (Manage Server)')
  .setDescriptionLocalizations(zh('未能回答或被点 👎 的问题，以及文献缺少的内容（需“管理服务器”权限）', '未能回答或被點 👎 的問題，以及文獻缺少的內容（需「管理伺服器」權限）'))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addIntegerOption((o) =>
    o
      .setName('days')
      .setNameLocalizations(zh('天数', '天數'))
      .setDescription(`How far back (default ${DAYS_DEFAULT} days)`)
      .setDescriptionLocalizations(zh(`回看多少天（默认 ${DAYS_DEFAULT} 天）`, `回看多少天（預設 ${DAYS_DEFAULT} 天）`))
      .setMinValue(1)
      .setMaxValue(DAYS_MAX),
  );

export const admin = true;

/** One question (all its askings) worth looking at. */
export interface ReportItem {
  question: string;
  asked: number;
  refused: number;
  down: number;
  topics: string[];
  missing: string[];
}

const words = {
  en: {
    title: (days: number) => `What to add to the documents — last ${days} days`,
    summary: (n: number, asked: number) => `${n} of ${asked} questions were refused (❓) or got 👎.`,
    nothing: (days: number, asked: number) => `No question in the last ${days} days was refused or got 👎 (${asked} asked).`,
    lacks: 'Terms the documents lack',
    noneLacking: 'none — the words are there; the passages do not answer these questions',
    other: 'other',
    questions: (n: number) => `${n} question${n === 1 ? '' : 's'}`,
    more: (n: number) => `…and ${n} more`,
  },
  'zh-Hans': {
    title: (days: number) => `文献还缺什么——最近 ${days} 天`,
    summary: (n: number, asked: number) => `${asked} 个问题中有 ${n} 个未能回答（❓）或被点了 👎。`,
    nothing: (days: number, asked: number) => `最近 ${days} 天没有未能回答或被点 👎 的问题（共 ${asked} 个提问）。`,
    lacks: '文献中没有的词',
    noneLacking: '无——词都在，但段落回答不了这些问题',
    other: '其他',
    questions: (n: number) => `${n} 个问题`,
    more: (n: number) => `……另有 ${n} 个`,
  },
  'zh-Hant': {
    title: (days: number) => `文獻還缺什麼——最近 ${days} 天`,
    summary: (n: number, asked: number) => `${asked} 個問題中有 ${n} 個未能回答（❓）或被點了 👎。`,
    nothing: (days: number, asked: number) => `最近 ${days} 天沒有未能回答或被點 👎 的問題（共 ${asked} 個提問）。`,
    lacks: '文獻中沒有的詞',
    noneLacking: '無——詞都在，但段落回答不了這些問題',
    other: '其他',
    questions: (n: number) => `${n} 個問題`,
    more: (n: number) => `……另有 ${n} 個`,
  },
} satisfies Record<QuestionLang, unknown>;

const GROUPS_MAX = 10;
const QUESTIONS_PER_GROUP = 5;
const QUESTION_CHARS = 140;
/** Room kept under Discord's 6,000 for the title, summary and footer. */
const FIELDS_BUDGET = L.embedsTotal - 1_200;

/** The report as one embed: summary and missing terms in the description, one field per topic. */
export function renderReport(items: ReportItem[], asked: number, days: number, lang: QuestionLang): APIEmbed {
  const w = words[lang];
  if (items.length === 0) return { color: 0x3b6ea5, title: w.title(days), description: w.nothing(days, asked) };
  const lacking = missingTerms(items);
  const lackLine = lacking.length ? lacking.slice(0, 30).map((t) => `**${t.term}** (${t.questions})`).join(' · ') : w.noneLacking;
  const description = clip(`${w.summary(items.length, asked)}\n**${w.lacks}:** ${lackLine}`, 1_000);
  const fields: NonNullable<APIEmbed['fields']> = [];
  let budget = FIELDS_BUDGET;
  const groups = groupByTopic(items);
  for (const group of groups.slice(0, GROUPS_MAX)) {
    const refused = group.items.reduce((n, i) => n + i.refused, 0);
    const down = group.items.reduce((n, i) => n + i.down, 0);
    const name = clip(`${group.topic || w.other} — ${w.questions(group.items.length)} (❓${refused} 👎${down})`, L.fieldName);
    const shown = [...group.items].sort((a, b) => b.refused + b.down - (a.refused + a.down)).slice(0, QUESTIONS_PER_GROUP);
    const lines = shown.map((i) => `• ${clip(i.question.replace(/\s+/g, ' '), QUESTION_CHARS)}${i.asked > 1 ? ` ×${i.asked}` : ''}${i.refused ? ' ❓' : ''}${i.down ? ` 👎${i.down}` : ''}`);
    if (group.items.length > shown.length) lines.push(w.more(group.items.length - shown.length));
    const value = clip(lines.join('\n'), L.fieldValue);
    if (name.length + value.length > budget) break;
    budget -= name.length + value.length;
    fields.push({ name, value });
  }
  const embed: APIEmbed = { color: 0x3b6ea5, title: w.title(days), description, fields };
  if (groups.length > fields.length) embed.footer = { text: w.more(groups.length - fields.length) };
  return embed;
}

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const days = interaction.options.getInteger('days') ?? DAYS_DEFAULT;
  const lang = langOf(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const since = Date.now() - days * 24 * 3600_000;
  const logged = await services.questions.recent(interaction.guildId, { sinceMs: since });
  // votes carry no server: a 👎 counts here when its question was asked in this server
  const ours = new Set(logged.map((q) => q.key));
  const votes = (await services.feedback.votes()).filter((v) => v.value < 0 && Date.parse(v.createdAt) >= since && ours.has(questionKey(v.question)));
  const byKey = new Map<string, Omit<ReportItem, 'topics' | 'missing'>>();
  for (const q of logged) {
    const item = byKey.get(q.key) ?? { question: q.question, asked: 0, refused: 0, down: 0 };
    item.asked += 1;
    if (!q.supported) item.refused += 1;
    byKey.set(q.key, item);
  }
  for (const v of votes) {
    const item = byKey.get(questionKey(v.question));
    if (item) item.down += 1;
  }
  const flagged = [...byKey.values()].filter((i) => i.refused > 0 || i.down > 0);
  const gaps = (await services.librarian.questionGaps?.(flagged.map((i) => i.question))) ?? [];
  const items: ReportItem[] = flagged.map((item, i) => ({ ...item, topics: gaps[i]?.topics ?? [], missing: gaps[i]?.missing ?? [] }));
  const embed = renderReport(items, byKey.size, days, lang);
  if (embedLength(embed) > L.embedsTotal) embed.fields = embed.fields?.slice(0, 1);
  await interaction.editReply({ embeds: [embed], allowedMentions: NO_MENTIONS });
}
