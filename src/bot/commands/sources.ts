import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { renderSources } from '../renderLookups.js';
import { langOf, replyWith } from '../respond.js';
import { zh } from '../localizations.js';
import type { BotServices } from '../services.js';

export const data = new SlashCommandBuilder()
  .setName('sources')
  .setNameLocalizations(zh('文献', '文獻'))
  .setDescription('The documents I know, with their metadata and passage counts')
  .setDescriptionLocalizations({ 'zh-CN': '文献列表及段落数', 'zh-TW': '文獻列表及段落數' });

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await replyWith(interaction, renderSources(services.librarian.sources(), langOf(interaction)));
}
