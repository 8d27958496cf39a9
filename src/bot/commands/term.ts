import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { DISCORD_LIMITS as L } from '../discordLimits.js';
import { clip } from '../render.js';
import { renderTerm } from '../renderLookups.js';
import { langOf, replyWith } from '../respond.js';
import { zh } from '../localizations.js';
import type { BotServices } from '../services.js';

export const data = new SlashCommandBuilder()
  .setName('term')
  .setNameLocalizations(zh('术语', '術語'))
  .setDescription('Look a term up in the glossary (脱钩, friend-shoring, …)')
  .setDescriptionLocalizations({ 'zh-CN': '查术语（脱钩、友岸外包……）', 'zh-TW': '查術語（脫鉤、友岸外包……）' })
  .addStringOption((o) => o
      .setName('term')
      .setNameLocalizations(zh('术语', '術語'))
      .setDescription('Term, alias or abbreviation')
      .setDescriptionLocalizations(zh('术语、别名或缩写', '術語、別名或縮寫')).setRequired(true).setMaxLength(100).setAutocomplete(true));

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const query = interaction.options.getString('term', true).trim();
  await interaction.deferReply();
  const result = services.librarian.term(query);
  await replyWith(interaction, renderTerm(result, langOf(interaction, query)));
}

export async function autocomplete(interaction: AutocompleteInteraction, services: BotServices): Promise<void> {
  const prefix = String(interaction.options.getFocused() ?? '');
  const choices = services.librarian
    .termChoices(prefix)
    .slice(0, L.autocompleteChoices)
    .map((c) => ({ name: clip(c.name, L.choiceName), value: c.value.slice(0, L.choiceValue) }));
  await interaction.respond(choices);
}
