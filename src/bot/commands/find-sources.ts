import { ApplicationCommandType, ContextMenuCommandBuilder, MessageFlags, type MessageContextMenuCommandInteraction } from 'discord.js';
import { QUESTION_MAX_CHARS } from '../../answer/validateQuestion.js';
import { detectLang } from '../../text/language.js';
import { zh } from '../localizations.js';
import { phrasesFor } from '../phrases.js';
import { clip } from '../render.js';
import { renderClaimCheck } from '../renderClaim.js';
import { langOf, messageText, replyEphemeral, replyWith, withScript } from '../respond.js';
import { effectiveSettings, type BotServices } from '../services.js';

/**
 * Message context menu (type 3): the passages that support the claim in the selected message, checked as the
 * citation checker checks an LLM's sentence, or plainly that they give other figures or dates, or none does.
 */
export const data = new ContextMenuCommandBuilder()
  .setName('Find sources for this')
  .setNameLocalizations(zh('查找此说法的出处', '查找此說法的出處'))
  .setType(ApplicationCommandType.Message);

export const rateLimited = true;

export async function execute(interaction: MessageContextMenuCommandInteraction, services: BotServices): Promise<void> {
  const claim = clip(messageText(interaction.targetMessage), QUESTION_MAX_CHARS);
  if (!/[\p{L}\p{N}]/u.test(claim)) return replyEphemeral(interaction, phrasesFor(langOf(interaction)).noTextInMessage);
  const settings = await effectiveSettings(services, interaction.guildId);
  await interaction.deferReply(settings.publicAnswers ? {} : { flags: MessageFlags.Ephemeral });
  const check = await services.librarian.findSources(claim, { lang: withScript(detectLang(claim), settings.script) });
  await replyWith(interaction, renderClaimCheck(check));
}
