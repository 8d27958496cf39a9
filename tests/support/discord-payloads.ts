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
