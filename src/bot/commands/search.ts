import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { renderSearch } from '../renderLookups.js';
import { langOf, replyWith } from '../respond.js';
import { zh } from '../localizations.js';
import type { BotServices } from '../services.js';

export const data = new SlashCommandBuilder()
  .setName('search')
  .setNameLocalizations(zh('检索', '檢索'))
  .setDescription('Show the passages that best match a query')
  .setDescriptionLocalizations({ 'zh-CN': '检索最相关的段落', 'zh-TW': '檢索最相關的段落' })
  .addStringOption((o) => o
      .setName('query')
      .setNameLocalizations(zh('关键词', '關鍵詞'))
      .setDescription('Words or a question')
      .setDescriptionLocalizations(zh('词语或问题', '詞語或問題')).setRequired(true).setMaxLength(200))
  .addIntegerOption((o) => o
      .setName('k')
      .setNameLocalizations(zh('数量', '數量'))
      .setDescription('How many passages (1–10, default 5)')
      .setDescriptionLocalizations(zh('返回几段（1–10，默认 5）', '返回幾段（1–10，預設 5）')).setMinValue(1).setMaxValue(10));

export const rateLimited = true;

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const query = interaction.options.getString('query', true).trim();
  const k = interaction.options.getInteger('k') ?? 5;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const results = await services.librarian.search(query, k);
  await replyWith(interaction, renderSearch(query, results, langOf(interaction, query)));
}
