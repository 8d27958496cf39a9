/**
 * "@Lodestone <question>" in a channel → answered in a new thread on that message; follow-ups in the thread
 * (and every message in a DM) are answered with the conversation's recent turns as context.
 */
import { type Message, type SendableChannels } from 'discord.js';
import { detectLang } from '../text/language.js';
import { DISCORD_LIMITS as L } from './discordLimits.js';
import { phrasesFor } from './phrases.js';
import { bodyText } from '../answer/plainText.js';
import { clip, listedCitations, renderAnswer } from './render.js';
import { NO_MENTIONS, toMessageOptions } from './respond.js';
import type { BotServices } from './services.js';

export interface MentionOptions {
  /** When set, guild messages are answered only in these channels (or threads under them). DMs are always answered. */
  allowedChannelIds?: Set<string>;
}

/** The question with the bot's own mention(s) removed. */
export function questionFromMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/** Whether this message is addressed to the bot, and where the conversation lives. */
function route(message: Message, services: BotServices): 'dm' | 'mention' | 'follow-up' | null {
  const me = message.client.user;
  if (message.author.bot || message.system || message.author.id === me.id) return null;
  if (!message.inGuild()) return 'dm';
  if (message.channel.isThread()) {
    const ours = services.conversations.has(message.channelId) || message.channel.ownerId === me.id;
    return ours ? 'follow-up' : message.mentions.users.has(me.id) ? 'follow-up' : null;
  }
  return message.mentions.users.has(me.id) ? 'mention' : null;
}

export async function handleMessage(message: Message, services: BotServices, options: MentionOptions = {}): Promise<void> {
  const kind = route(message, services);
  if (!kind) return;
  if (kind !== 'dm' && options.allowedChannelIds?.size) {
    const channelId = message.channel.isThread() ? (message.channel.parentId ?? message.channelId) : message.channelId;
    if (!options.allowedChannelIds.has(channelId)) return; // silently: a mention elsewhere is not for us to answer
  }
  const question = questionFromMention(message.content, message.client.user.id);
  const phrases = phrasesFor(detectLang(question));
  if (!question) {
    await message.reply({ content: phrases.emptyQuestion, allowedMentions: NO_MENTIONS });
    return;
  }
  const limit = services.rateLimiter.take(message.author.id);
  if (!limit.ok) {
    await message.reply({ content: phrases.rateLimited(Math.ceil(limit.retryAfterMs / 1000)), allowedMentions: NO_MENTIONS });
    return;
  }

  let target: SendableChannels;
  if (kind === 'mention') {
    const thread = await message.startThread({ name: clip(question, L.threadName - 10), autoArchiveDuration: 1440 });
    services.conversations.open(thread.id);
    target = thread;
  } else {
    target = message.channel as SendableChannels;
  }
  await target.sendTyping().catch(() => undefined);

  const history = services.conversations.history(target.id);
  const standalone = await services.conversations.standalone(target.id, question, services.condense);
  const started = Date.now();
  const answer = await services.librarian.ask(standalone, {
    lang: detectLang(question),
    history: history.map((t) => ({ question: t.question, answer: t.answer })),
  });
  const messages = renderAnswer(answer, { model: services.librarian.describe().model, elapsedMs: Date.now() - started, key: message.id, question });
  services.answers.remember(message.id, { question, passageIds: listedCitations(answer).map((c) => c.id), lang: answer.lang });
  for (const m of messages) await target.send(toMessageOptions(m));
  services.conversations.add(target.id, { question, standalone, answer: clip(bodyText(answer.lead, answer.parts), 1000) });
}
