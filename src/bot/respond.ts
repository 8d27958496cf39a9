/** Sending rendered messages: edit the deferred reply, follow up with the rest; never ping anyone. */
import { MessageFlags, type BaseInteraction, type Message, type MessageCreateOptions, type RepliableInteraction } from 'discord.js';
import type { QuestionLang } from '../core/answer.js';
import { detectLang } from '../text/language.js';
import type { RenderedMessage } from './render.js';
import type { ScriptPreference } from './state.js';

/** Mentions in questions or passages (@everyone, roles, users) must never notify anyone. */
export const NO_MENTIONS = { parse: [] as never[], repliedUser: false };

/** The language to answer in: the text's script when there is text, else the user's Discord locale. */
export function langOf(interaction: BaseInteraction, text?: string): QuestionLang {
  if (text && /[\p{Script=Han}A-Za-z]/u.test(text)) return detectLang(text);
  const locale = interaction.locale ?? '';
  if (locale === 'zh-TW') return 'zh-Hant';
  if (locale === 'zh-CN') return 'zh-Hans';
  return 'en';
}

/** A server's script preference applied to a Chinese question's language (English stays English). */
export function withScript(lang: QuestionLang, script: ScriptPreference): QuestionLang {
  return script !== 'follow' && lang !== 'en' ? script : lang;
}

/** Edits the deferred reply with the first message and sends the rest as follow-ups of the same visibility. */
export async function replyWith(interaction: RepliableInteraction, messages: RenderedMessage[]): Promise<void> {
  const [first, ...rest] = messages;
  await interaction.editReply({ content: first.content ?? null, embeds: first.embeds, components: first.components, allowedMentions: NO_MENTIONS });
  for (const m of rest) {
    await interaction.followUp({
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      allowedMentions: NO_MENTIONS,
      ...(interaction.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    });
  }
}

/** A short ephemeral message, whatever state the interaction is in. */
export async function replyEphemeral(interaction: RepliableInteraction, content: string): Promise<void> {
  const payload = { content, allowedMentions: NO_MENTIONS, flags: MessageFlags.Ephemeral } as const;
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply(payload);
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
    // when editing the "thinking…" reply is what keeps failing, a follow-up still reaches the user
    await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_MENTIONS }).catch(() => interaction.followUp(payload));
  } else {
    // a public deferred reply would show the error to everyone: remove it and tell only the user
    if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp(payload);
  }
}

/**
 * The words of a message a context-menu command was used on: its text without Discord's markup (mentions,
 * custom emoji, timestamps, quote and emphasis marks), or, for a message that is all embed (a bot's answer,
 * a link preview), the embeds' titles and descriptions.
 */
export function messageText(message: Pick<Message, 'content' | 'embeds'>): string {
  const raw = message.content?.trim() ? message.content : message.embeds.map((e) => [e.title, e.description].filter(Boolean).join('\n')).join('\n');
  return raw
    .replace(/<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:-?\d+(?::\w)?>/g, ' ')
    .replace(/^\s*>+\s?/gm, '')
    .replace(/(\*\*|__|~~|\|\||`+)/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

export function toMessageOptions(m: RenderedMessage): MessageCreateOptions {
  return { content: m.content, embeds: m.embeds, components: m.components, allowedMentions: NO_MENTIONS };
}
