/** The buttons and select menu under an answer: Sources, 👍 / 👎, and "quote a citation". */
import { MessageFlags, type ButtonInteraction, type StringSelectMenuInteraction } from 'discord.js';
import type { QuestionLang } from '../core/answer.js';
import { phrasesFor } from './phrases.js';
import { CUSTOM_ID, passageIdsInComponents, renderPassages, type PassageForDisplay } from './render.js';
import { renderCitation } from './renderLookups.js';
import { langOf, NO_MENTIONS, replyEphemeral, replyWith } from './respond.js';
import type { BotServices } from './services.js';

/** The answer a component belongs to: from memory, or recovered from the message itself after a restart. */
function answerFor(interaction: ButtonInteraction | StringSelectMenuInteraction, key: string, services: BotServices) {
  const remembered = services.answers.get(key);
  if (remembered) return remembered;
  const title = interaction.message?.embeds?.[0]?.title ?? '';
  return { question: title, passageIds: passageIdsInComponents(interaction.message?.components ?? []), lang: langOf(interaction, title) as QuestionLang };
}

export async function handleButton(interaction: ButtonInteraction, services: BotServices): Promise<boolean> {
  const id = interaction.customId;
  if (id.startsWith(CUSTOM_ID.sources)) {
    const key = id.slice(CUSTOM_ID.sources.length);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const answer = answerFor(interaction, key, services);
    const titles = new Map(services.librarian.sources().map((s) => [s.doc.id, s.doc.title]));
    const passages: PassageForDisplay[] = [];
    answer.passageIds.forEach((pid, i) => {
      const p = services.librarian.passage(pid);
      if (p) passages.push({ n: i + 1, id: p.id, label: p.label, title: titles.get(p.docId) ?? p.docId, text: p.text });
    });
    const phrases = phrasesFor(answer.lang);
    await replyWith(interaction, renderPassages(passages, phrases.sourcesHeading, phrases.noPassages));
    return true;
  }
  const vote = id.startsWith(CUSTOM_ID.voteUp) ? 1 : id.startsWith(CUSTOM_ID.voteDown) ? -1 : 0;
  if (vote !== 0) {
    const key = id.slice((vote === 1 ? CUSTOM_ID.voteUp : CUSTOM_ID.voteDown).length);
    const answer = answerFor(interaction, key, services);
    await services.feedback.record({ interaction: key, question: answer.question, passageIds: answer.passageIds, userId: interaction.user.id, value: vote });
    await interaction.reply({ content: phrasesFor(answer.lang).thanks, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return true;
  }
  return false;
}

export async function handleSelect(interaction: StringSelectMenuInteraction, services: BotServices): Promise<boolean> {
  if (!interaction.customId.startsWith(CUSTOM_ID.cite)) return false;
  const passageId = interaction.values[0] ?? '';
  const result = await services.librarian.cite(passageId);
  if (!result) {
    await replyEphemeral(interaction, phrasesFor(langOf(interaction)).passageGone);
    return true;
  }
  // posted publicly, as /cite would: the point is to quote it in the discussion
  await interaction.deferReply();
  await replyWith(interaction, renderCitation(result));
  return true;
}
