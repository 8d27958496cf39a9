import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { renderSearch } from '../renderLookups.js';
import { langOf, replyWith } from '../respond.js';
import type { BotServices } from '../services.js';

export const data = new SlashCommandBuilder()
  .setName('search')
  .setDescription('Show the passages that best match a query')
  .setDescriptionLocalizations({ 'zh-CN': '检索最相关的段落', 'zh-TW': '檢索最相關的段落' })
  .addStringOption((o) => o.setName('query').setDescription('Words or a question').setRequired(true).setMaxLength(200))
  .addIntegerOption((o) => o.setName('k').setDescription('How many passages (1–10, default 5)').setMinValue(1).setMaxValue(10));

export const rateLimited = true;

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const query = interaction.options.getString('query', true).trim();
  const k = interaction.options.getInteger('k') ?? 5;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const results = await services.librarian.search(query, k);
  await replyWith(interaction, renderSearch(query, results, langOf(interaction, query)));
}
