/**
 * Conversations in messages: "@Lodestone <question>" in a channel → answered in a new thread on that message;
 * a new post in a forum the server switched on (/config forum) → answered in its thread (title + first
 * message); follow-ups in those threads (and every message in a DM) are answered without a mention, with the
 * thread's recent turns as history — the service condenses a follow-up into a standalone question.
 * Progress shows as reactions on the asker's message: 🤔 while working, then ✅ answered or ❓ not supported.
 */
import { ChannelType, type Message, type MessageReaction, type SendableChannels } from 'discord.js';
import { bodyText } from '../answer/plainText.js';
import { detectLang } from '../text/language.js';
import { DISCORD_LIMITS as L } from './discordLimits.js';
import { phrasesFor } from './phrases.js';
import { clip, listedCitations, renderAnswer } from './render.js';
import { NO_MENTIONS, toMessageOptions, withScript } from './respond.js';
import { effectiveSettings, type BotServices, type EffectiveSettings } from './services.js';

export const PROGRESS = { working: '🤔', answered: '✅', unsupported: '❓' } as const;

/** The question with the bot's own mention(s) removed. */
export function questionFromMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

type Route = 'dm' | 'mention' | 'follow-up' | 'forum-post' | 'forum-follow-up';

/** Whether a thread's parent is a forum the server has switched on. */
function inEnabledForum(message: Message<true>, settings: EffectiveSettings): boolean {
  const channel = message.channel;
  if (!channel.isThread() || !channel.parentId) return false;
  const parentType = channel.parent?.type;
  return (parentType === undefined || parentType === ChannelType.GuildForum || parentType === ChannelType.GuildMedia) && settings.forums.includes(channel.parentId);
}

/** Whether this message is addressed to the bot, and where the conversation lives. */
async function route(message: Message, services: BotServices, settings: EffectiveSettings): Promise<Route | null> {
  const me = message.client.user;
  if (message.author.bot || message.system || message.author.id === me.id) return null;
  if (!message.inGuild()) return 'dm';
  if (message.channel.isThread()) {
    // a forum post's starter message has the thread's id
    if (inEnabledForum(message, settings)) return message.id === message.channelId ? 'forum-post' : 'forum-follow-up';
    const ours = message.channel.ownerId === me.id || (await services.threads.has(message.channelId));
    return ours || message.mentions.users.has(me.id) ? 'follow-up' : null;
  }
  return message.mentions.users.has(me.id) ? 'mention' : null;
}

/** The question a message asks: a forum post is its title plus its first message. */
function questionOf(message: Message, kind: Route): string {
  const text = questionFromMention(message.content, message.client.user.id);
  if (kind === 'forum-post' && message.channel.isThread()) return [message.channel.name, text].filter(Boolean).join('\n').trim();
  return text;
}

export async function handleMessage(message: Message, services: BotServices): Promise<void> {
  const settings = await effectiveSettings(services, message.guildId);
  const kind = await route(message, services, settings);
  if (!kind) return;
  const forum = kind === 'forum-post' || kind === 'forum-follow-up';
  if (message.inGuild() && !forum && settings.channels.length) {
    const channelId = message.channel.isThread() ? (message.channel.parentId ?? message.channelId) : message.channelId;
    if (!settings.channels.includes(channelId)) return; // silently: a mention elsewhere is not for us to answer
  }
  const question = questionOf(message, kind);
  const lang = withScript(detectLang(question), settings.script);
  const phrases = phrasesFor(lang);
  if (!question) {
    await message.reply({ content: phrases.emptyQuestion, allowedMentions: NO_MENTIONS });
    return;
  }
  const limit = await services.rateLimiter.take(message.author.id, settings.ratePerMinute);
  if (!limit.ok) {
    await message.reply({ content: phrases.rateLimited(Math.ceil(limit.retryAfterMs / 1000)), allowedMentions: NO_MENTIONS });
    return;
  }

  const me = message.client.user.id;
  const thinking: MessageReaction | undefined = await message.react(PROGRESS.working).catch(() => undefined);
  let outcome: string | undefined;
  try {
    let target: SendableChannels;
    if (kind === 'mention') {
      const thread = await message.startThread({ name: clip(question, L.threadName - 10), autoArchiveDuration: 1440 });
      await services.threads.open(thread.id);
      target = thread;
    } else {
      target = message.channel as SendableChannels;
    }
    // one typing indicator (it lasts ~10 s or until we send): no keep-alive loop
    await target.sendTyping().catch(() => undefined);

    const history = await services.threads.history(target.id);
    const started = Date.now();
    const answer = await services.librarian.ask(question, { lang, history });
    outcome = answer.supported ? PROGRESS.answered : PROGRESS.unsupported;
    const quiet = forum && !answer.supported && (await services.threads.refused(target.id));
    if (!quiet) {
      const messages = renderAnswer(answer, { model: services.librarian.describe().model, elapsedMs: Date.now() - started, key: message.id, question });
      services.answers.set(message.id, { question, passageIds: listedCitations(answer).map((c) => c.id), lang: answer.lang });
      for (const m of messages) await target.send(toMessageOptions(m));
    }
    // a forum post the corpus cannot answer is told so once; later unsupported messages get only ❓
    if (forum && !answer.supported) await services.threads.markRefused(target.id);
    await services.threads.add(target.id, { question, answer: clip(bodyText(answer.lead, answer.parts), 1000) });
  } finally {
    await thinking?.users.remove(me).catch(() => undefined);
    if (outcome) await message.react(outcome).catch(() => undefined);
  }
}
