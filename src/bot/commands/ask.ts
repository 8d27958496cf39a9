import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type RepliableInteraction } from 'discord.js';
import { detectLang } from '../../text/language.js';
import { listedCitations, renderAnswer } from '../render.js';
import { replyWith, withScript } from '../respond.js';
import { zh } from '../localizations.js';
import { effectiveSettings, type BotServices } from '../services.js';

export const QUESTION_MAX = 500;

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setNameLocalizations(zh('提问', '提問'))
  .setDescription('Ask about the documents; the answer cites the passages it rests on')
  .setDescriptionLocalizations({ 'zh-CN': '就文献提问，回答会引用所依据的段落', 'zh-TW': '就文獻提問，回答會引用所依據的段落' })
  .addStringOption((o) =>
    o
      .setName('question')
      .setNameLocalizations(zh('问题', '問題'))
      .setDescription('Your question (中文 or English)')
      .setDescriptionLocalizations(zh('你的问题（中文或英文）', '你的問題（中文或英文）')).setRequired(true).setMinLength(2).setMaxLength(QUESTION_MAX),
  )
  .addBooleanOption((o) => o
      .setName('public')
      .setNameLocalizations(zh('公开', '公開'))
      .setDescription("Show the answer to everyone (default: only you, or the server's /config visibility)")
      .setDescriptionLocalizations(zh('让频道里的所有人看到回答（默认仅你可见）', '讓頻道裡的所有人看到回答（預設僅你可見）')));

export const rateLimited = true;

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const question = interaction.options.getString('question', true).trim();
  await answerQuestion(interaction, services, question, interaction.options.getBoolean('public') ?? undefined);
}

/** Answers `question` in the interaction's reply (also "Ask Lodestone about this"), public per the server's default unless told. */
export async function answerQuestion(interaction: RepliableInteraction, services: BotServices, question: string, publicAnswer?: boolean): Promise<void> {
  const settings = await effectiveSettings(services, interaction.guildId);
  const isPublic = publicAnswer ?? settings.publicAnswers;
  // acknowledge first: retrieval may take longer than Discord's 3 s window
  await interaction.deferReply(isPublic ? {} : { flags: MessageFlags.Ephemeral });
  const started = Date.now();
  const answer = await services.librarian.ask(question, { lang: withScript(detectLang(question), settings.script) });
  const messages = renderAnswer(answer, {
    model: services.librarian.describe().model,
    elapsedMs: Date.now() - started,
    key: interaction.id,
    question,
  });
  services.answers.set(interaction.id, { question, passageIds: listedCitations(answer).map((c) => c.id), lang: answer.lang });
  await replyWith(interaction, messages);
}
