import { ApplicationCommandType, ContextMenuCommandBuilder, type MessageContextMenuCommandInteraction } from 'discord.js';
import { QUESTION_MAX_CHARS } from '../../answer/validateQuestion.js';
import { zh } from '../localizations.js';
import { phrasesFor } from '../phrases.js';
import { clip } from '../render.js';
import { langOf, messageText, replyEphemeral } from '../respond.js';
import type { BotServices } from '../services.js';
import { answerQuestion } from './ask.js';

/** Message context menu (application command type 3): the selected message, a question or a claim, is asked as /ask would. */
export const data = new ContextMenuCommandBuilder()
  .setName('Ask Lodestone about this')
  .setNameLocalizations(zh('向 Lodestone 询问此消息', '向 Lodestone 詢問此訊息'))
  .setType(ApplicationCommandType.Message);

export const rateLimited = true;

export async function execute(interaction: MessageContextMenuCommandInteraction, services: BotServices): Promise<void> {
  const question = clip(messageText(interaction.targetMessage), QUESTION_MAX_CHARS);
  if (!/[\p{L}\p{N}]/u.test(question)) return replyEphemeral(interaction, phrasesFor(langOf(interaction)).noTextInMessage);
  await answerQuestion(interaction, services, question);
}
