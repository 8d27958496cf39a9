/** Gateway payloads (INTERACTION_CREATE, MESSAGE_CREATE) as Discord sends them, for driving the bot in tests. */
import { snowflake, type FakeDiscordServer, type FakeUser } from './discord-server.js';

export function makeUser(name = 'asker'): FakeUser {
  return { id: snowflake(), username: name, discriminator: '0', global_name: name, avatar: null };
}

function member(user: FakeUser) {
  return { user, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, permissions: '1071698660929', nick: null, avatar: null };
}

function baseInteraction(server: FakeDiscordServer, user: FakeUser, type: number, data: unknown, channelId = server.channelId) {
  return {
    id: snowflake(),
    application_id: server.applicationId,
    type,
    data,
    guild_id: server.guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: server.guildId, name: 'general' },
    member: member(user),
    token: `itok-${snowflake()}`,
    version: 1,
    app_permissions: '1071698660929',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': server.guildId },
    context: 0,
  };
}

export type OptionValue = string | number | boolean;

/** A slash command (type 2) with string/integer/boolean options. */
export function slashCommand(server: FakeDiscordServer, user: FakeUser, name: string, options: Record<string, OptionValue>, channelId?: string) {
  const typeOf = (v: OptionValue) => (typeof v === 'boolean' ? 5 : typeof v === 'number' ? 4 : 3);
  return baseInteraction(
    server,
    user,
    2,
    { id: snowflake(), name, type: 1, options: Object.entries(options).map(([n, value]) => ({ name: n, type: typeOf(value), value })) },
    channelId,
  );
}

/** An autocomplete request (type 4) with the focused option's current text. */
export function autocomplete(server: FakeDiscordServer, user: FakeUser, name: string, option: string, value: string) {
  return baseInteraction(server, user, 4, { id: snowflake(), name, type: 1, options: [{ name: option, type: 3, value, focused: true }] });
}

/** A button click (type 3, component 2) on `message`. */
export function buttonClick(server: FakeDiscordServer, user: FakeUser, customId: string, message: any) {
  return { ...baseInteraction(server, user, 3, { custom_id: customId, component_type: 2 }), message };
}

/** A string-select choice (type 3, component 3) on `message`. */
export function selectChoice(server: FakeDiscordServer, user: FakeUser, customId: string, values: string[], message: any) {
  return { ...baseInteraction(server, user, 3, { custom_id: customId, component_type: 3, values }), message };
}

/** A user's message in a guild channel or thread; `mentionBot` adds the bot to `mentions` as Discord does. */
export function guildMessage(server: FakeDiscordServer, user: FakeUser, content: string, options: { channelId?: string; mentionBot?: boolean; mentionEveryone?: boolean } = {}) {
  return {
    id: snowflake(),
    type: 0,
    channel_id: options.channelId ?? server.channelId,
    guild_id: server.guildId,
    author: user,
    member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
    content,
    embeds: [],
    components: [],
    attachments: [],
    mentions: options.mentionBot ? [{ ...server.botUser, member: { roles: [], joined_at: new Date().toISOString() } }] : [],
    mention_roles: [],
    mention_everyone: options.mentionEveryone ?? false,
    pinned: false,
    tts: false,
    flags: 0,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
  };
}

/** Manage Guild (0x20): what admin commands (/config, /docs, /report) require. */
export const MANAGE_GUILD = 1n << 5n;

/** The same interaction from a member who also holds `extra` permissions (e.g. MANAGE_GUILD). */
export function withPermissions<T extends { member: { permissions: string } }>(payload: T, extra: bigint): T {
  return { ...payload, member: { ...payload.member, permissions: String(BigInt(payload.member.permissions) | extra) } };
}

/** A channel option value: the channel object goes into `resolved.channels`, as Discord sends it. */
export interface ChannelOption {
  channel: { id: string; type: number; name: string };
}
/** An attachment option value: the attachment object goes into `resolved.attachments`. */
export interface AttachmentOption {
  attachment: { id: string; filename: string; size: number; url: string; proxy_url: string; content_type?: string };
}
export type SubOptionValue = OptionValue | ChannelOption | AttachmentOption;

/** A slash command with a subcommand (`/config forum channel:… enabled:…`), resolving channel and attachment options. */
export function subcommand(server: FakeDiscordServer, user: FakeUser, name: string, sub: string, options: Record<string, SubOptionValue>, channelId?: string) {
  const resolved: { channels?: Record<string, unknown>; attachments?: Record<string, unknown> } = {};
  const option = (n: string, value: SubOptionValue) => {
    if (typeof value === 'object' && 'channel' in value) {
      resolved.channels = { ...resolved.channels, [value.channel.id]: { ...value.channel, guild_id: server.guildId, permissions: '1071698660929' } };
      return { name: n, type: 7, value: value.channel.id };
    }
    if (typeof value === 'object' && 'attachment' in value) {
      resolved.attachments = { ...resolved.attachments, [value.attachment.id]: value.attachment };
      return { name: n, type: 11, value: value.attachment.id };
    }
    return { name: n, type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? 4 : 3, value };
  };
  const subOptions = Object.entries(options).map(([n, v]) => option(n, v));
  return baseInteraction(server, user, 2, { id: snowflake(), name, type: 1, options: [{ name: sub, type: 1, options: subOptions }], resolved }, channelId);
}

/** A message context-menu command (application command type 3) on `target`. */
export function messageCommand(server: FakeDiscordServer, user: FakeUser, name: string, target: any, channelId = target.channel_id ?? server.channelId) {
  return baseInteraction(server, user, 2, { id: snowflake(), name, type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } } }, channelId);
}

/**
 * A new forum post: the thread (THREAD_CREATE, `newly_created`) and its starter message (MESSAGE_CREATE, with
 * the thread's id), as Discord sends them. The thread is also stored on the server.
 */
export function forumPost(server: FakeDiscordServer, user: FakeUser, title: string, content: string, forumId = server.forumChannelId) {
  const id = snowflake();
  const thread = {
    id,
    type: 11,
    guild_id: server.guildId,
    parent_id: forumId,
    name: title,
    owner_id: user.id,
    last_message_id: id,
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: 0,
    flags: 0,
    applied_tags: [],
    thread_metadata: { archived: false, auto_archive_duration: 4320, archive_timestamp: new Date().toISOString(), locked: false },
  };
  server.threads.set(id, thread);
  const message = { ...guildMessage(server, user, content, { channelId: id }), id };
  return { thread: { ...thread, newly_created: true }, message };
}
