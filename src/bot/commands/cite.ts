import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { DISCORD_LIMITS as L } from '../discordLimits.js';
import { phrasesFor } from '../phrases.js';
import { clip } from '../render.js';
import { renderCitation } from '../renderLookups.js';
import { langOf, replyEphemeral, replyWith } from '../respond.js';
import { zh } from '../localizations.js';
import type { BotServices } from '../services.js';

export const data = new SlashCommandBuilder()
  .setName('cite')
  .setNameLocalizations(zh('引用', '引用'))
  .setDescription('Quote a passage, ready to paste with its citation')
  .setDescriptionLocalizations({ 'zh-CN': '引用一段原文及其出处', 'zh-TW': '引用一段原文及其出處' })
  .addStringOption((o) => o
      .setName('passage')
      .setNameLocalizations(zh('段落', '段落'))
      .setDescription('Passage id or words from it')
      .setDescriptionLocalizations(zh('段落编号或其中的词语', '段落編號或其中的詞語')).setRequired(true).setMaxLength(200).setAutocomplete(true));

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const query = interaction.options.getString('passage', true).trim();
  const result = await services.librarian.cite(query);
  if (!result) {
    await replyEphemeral(interaction, phrasesFor(langOf(interaction, query)).passageGone);
    return;
  }
  await interaction.deferReply();
  await replyWith(interaction, renderCitation(result));
}

export async function autocomplete(interaction: AutocompleteInteraction, services: BotServices): Promise<void> {
  const prefix = String(interaction.options.getFocused() ?? '');
  let choices = services.librarian.citeChoices(prefix);
  // what `/cite passage:<prefix>` would quote comes first, so the list never disagrees with the command
  const found = prefix.trim() ? await services.librarian.cite(prefix) : null;
  if (found && found.passage.id.length <= L.choiceValue) {
    const id = found.passage.id;
    const own = choices.find((c) => c.value === id) ?? { name: `${found.passage.label} — ${found.passage.text.replace(/\s+/g, ' ')}`, value: id };
    choices = [own, ...choices.filter((c) => c.value !== id)];
  }
  await interaction.respond(
    choices.slice(0, L.autocompleteChoices).map((c) => ({ name: clip(c.name, L.choiceName), value: c.value.slice(0, L.choiceValue) })),
  );
}
