import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { renderHelp } from '../renderLookups.js';
import { langOf, NO_MENTIONS } from '../respond.js';
import { zh } from '../localizations.js';
import type { BotServices } from '../services.js';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setNameLocalizations(zh('帮助', '幫助'))
  .setDescription('What I can do and how to ask')
  .setDescriptionLocalizations({ 'zh-CN': '使用说明', 'zh-TW': '使用說明' });

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const [message] = renderHelp(langOf(interaction), services.librarian.describe());
  await interaction.reply({ embeds: message.embeds, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
