import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { detectLang } from '../../text/language.js';
import { listedCitations, renderAnswer } from '../render.js';
import { replyWith } from '../respond.js';
import type { BotServices } from '../services.js';

export const QUESTION_MAX = 500;

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask about the documents; the answer cites the passages it rests on')
  .setDescriptionLocalizations({ 'zh-CN': '就文献提问，回答会引用所依据的段落', 'zh-TW': '就文獻提問，回答會引用所依據的段落' })
  .addStringOption((o) =>
    o.setName('question').setDescription('Your question (中文 or English)').setRequired(true).setMinLength(2).setMaxLength(QUESTION_MAX),
  )
  .addBooleanOption((o) => o.setName('public').setDescription('Show the answer to everyone in the channel (default: only you)'));

export const rateLimited = true;

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const question = interaction.options.getString('question', true).trim();
  const isPublic = interaction.options.getBoolean('public') ?? false;
  // acknowledge first: retrieval may take longer than Discord's 3 s window
  await interaction.deferReply(isPublic ? {} : { flags: MessageFlags.Ephemeral });
  const started = Date.now();
  const answer = await services.librarian.ask(question, { lang: detectLang(question) });
  const messages = renderAnswer(answer, {
    model: services.librarian.describe().model,
    elapsedMs: Date.now() - started,
    key: interaction.id,
    question,
  });
  services.answers.set(interaction.id, { question, passageIds: listedCitations(answer).map((c) => c.id), lang: answer.lang });
  await replyWith(interaction, messages);
}
