/**
 * The two message context menus ("Ask Lodestone about this", "Find sources for this") with the real discord.js
 * client against the local Discord-compatible server, answering from the repo's corpus.
 */
import { describe, expect, it } from 'vitest';
import type { AskOptions } from '../../src/service/librarian-api.js';
import { snowflake } from '../support/discord-server.js';
import { guildMessage, makeUser, MANAGE_GUILD, messageCommand, slashCommand, subcommand, withPermissions } from '../support/discord-payloads.js';
import { discordSchema, SCHEMA_SKIP_REASON } from './discord-schema.js';
import { isCallback, isEdit, withWorkspaceBot } from './e2e-helpers.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.context-menus.never-logged';
const ASK = 'Ask Lodestone about this';
const FIND = 'Find sources for this';

const asked: { question: string; options?: AskOptions }[] = [];
const env = withWorkspaceBot('menus', TOKEN, { ratePerMinute: 6 }, asked);

/** Uses a context-menu command on a message someone wrote; resolves with the callback and, when deferred, the edit. */
async function onMessage(name: string, content: string, options: { user?: ReturnType<typeof makeUser>; guildId?: string } = {}) {
  const target = guildMessage(env.server, makeUser('writer'), content);
  const payload = { ...messageCommand(env.server, options.user ?? makeUser(), name, target), ...(options.guildId ? { guild_id: options.guildId } : {}) };
  const since = env.server.calls.length;
  env.server.dispatch('INTERACTION_CREATE', payload);
  const callback = await env.server.waitForCall(isCallback(payload.id), { since });
  const edit = callback.body.type === 5 ? await env.server.waitForCall(isEdit(payload.token), { since, timeoutMs: 30_000 }) : undefined;
  return { payload, callback, edit, text: edit ? edit.body.embeds.map((e: any) => `${e.title}\n${e.description}`).join('\n') : '' };
}

describe('message context menus', () => {
  it('are registered with the slash commands as message commands (type 3), named in zh-CN and zh-TW', async () => {
    const put = await env.server.waitForCall((c) => c.method === 'PUT' && c.path === `/applications/${env.server.applicationId}/guilds/${env.server.guildId}/commands`);
    const menus = put.body.filter((c: any) => c.type === 3);
    expect(menus.map((c: any) => c.name).sort()).toEqual([ASK, FIND]);
    for (const menu of menus) {
      expect(menu.name_localizations['zh-CN']).toMatch(/\p{Script=Han}/u);
      expect(menu.name_localizations['zh-TW']).toMatch(/\p{Script=Han}/u);
      expect(menu).not.toHaveProperty('options');
    }
    expect(put.body.some((c: any) => c.name === 'ask' && (c.type ?? 1) === 1)).toBe(true);
  });

  it('/help tells of both menus by the names the asker\'s Discord shows (en, zh-CN, zh-TW), and of /docs and /report', async () => {
    const put = await env.server.waitForCall((c) => c.method === 'PUT' && c.path === `/applications/${env.server.applicationId}/guilds/${env.server.guildId}/commands`);
    const menus = put.body.filter((c: any) => c.type === 3);
    for (const locale of ['en-US', 'zh-CN', 'zh-TW']) {
      const payload = { ...slashCommand(env.server, makeUser(), 'help', {}), locale };
      const since = env.server.calls.length;
      env.server.dispatch('INTERACTION_CREATE', payload);
      const callback = await env.server.waitForCall(isCallback(payload.id), { since });
      const text: string = callback.body.data.embeds[0].description;
      for (const menu of menus) expect(text).toContain(locale === 'en-US' ? menu.name : menu.name_localizations[locale]);
      expect(text).toMatch(/`\/docs add\|list\|remove`/);
      expect(text).toMatch(/`\/report \[days\]`/);
    }
  });

  it('"Ask Lodestone about this" answers the selected message as /ask would, only to the asker by default', async () => {
    const before = asked.length;
    const { callback, edit } = await onMessage(ASK, '美国在关键矿物领域对华采取了哪些<@123456789012345678> **脱钩**措施？');
    expect(callback.body).toMatchObject({ type: 5, data: { flags: 64 } });
    // the message's words, without Discord's mention and emphasis markup
    expect(asked.slice(before)).toHaveLength(1);
    expect(asked.at(-1)!.question).toBe('美国在关键矿物领域对华采取了哪些 脱钩措施？');
    expect(asked.at(-1)!.options?.lang).toBe('zh-Hans');
    expect(edit!.body.embeds[0].title).toContain('关键矿物');
    expect(edit!.body.embeds[0].description).toMatch(/\[\d+\]/);
    expect(edit!.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('"Ask Lodestone about this" on an English message answers in English', async () => {
    const { edit } = await onMessage(ASK, 'What does the paper say about rare earth export controls?');
    expect(asked.at(-1)!.options?.lang).toBe('en');
    expect(edit!.body.embeds.flatMap((e: any) => e.fields ?? []).length).toBeGreaterThan(0);
  });

  it('"Find sources for this" says plainly that the passage gives another year than the claim', async () => {
    const { callback, edit, text } = await onMessage(FIND, '2019年2月，美国总统拜登签署了第14017号行政令《美国供应链》。');
    expect(callback.body).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(edit!.body.embeds[0].title).toBe('文献给出的数字或日期与此不同');
    expect(text).toContain('该说法为 2019，而 [1] 为 2021');
    expect(text).toContain('2021年2月,美国总统拜登签署了第14017号行政令');
    expect(text).not.toContain('✅');
  });

  it('"Find sources for this" finds the passage that supports a correct claim, in either script', async () => {
    const simplified = await onMessage(FIND, '2021年2月，美国总统拜登签署了第14017号行政令《美国供应链》。');
    expect(simplified.edit!.body.embeds[0].title).toBe('文献支持这一说法');
    expect(simplified.text).toMatch(/✅ 依据\n\*\*\[1\] 周亚敏 2024[^`]*`zhou2024:/);
    const traditional = await onMessage(FIND, '2021年2月，美國總統拜登簽署了第14017號行政令。');
    expect(traditional.edit!.body.embeds[0].title).toBe('文獻支持這一說法');
    expect(traditional.text).toContain('2021年2月,美国总统拜登签署了第14017号行政令');
  });

  it('"Find sources for this" checks an English claim against the Chinese passages, figures included', async () => {
    const wrong = await onMessage(FIND, 'In February 2019 President Biden signed Executive Order 14017 on America’s supply chains.');
    expect(wrong.edit!.body.embeds[0].title).toBe('The documents give different figures');
    expect(wrong.text).toContain('The claim says 2019; [1] says 2021.');
    const right = await onMessage(FIND, 'The Minerals Security Partnership was founded in 2022.');
    expect(right.edit!.body.embeds[0].title).toBe('Supported by the documents');
  });

  it('"Find sources for this" says when no passage supports the claim, and shows the closest', async () => {
    const { edit, text } = await onMessage(FIND, '中国限制镓的出口。');
    expect(edit!.body.embeds[0].title).toBe('文献中没有段落支持这一说法');
    expect(text).toContain('❓ 没有段落支持这一说法。');
    expect(text).toContain('*最接近的段落*');
    expect(text).toMatch(/`zhou2024:[^`]+`/);
  });

  it('a message with no words gets a short ephemeral reason, and nothing is asked', async () => {
    const before = asked.length;
    const { callback } = await onMessage(ASK, '<:party:123456789012345678> 🎉');
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64, content: 'That message has no text I could read.' } });
    expect(asked.length).toBe(before);
  });

  it("follow the server's /config visibility: public in that guild, only the asker in another", async () => {
    const admin = makeUser('admin');
    const set = (on: boolean) => withPermissions(subcommand(env.server, admin, 'config', 'visibility', { public: on }), MANAGE_GUILD);
    let since = env.server.calls.length;
    let payload = set(true);
    env.server.dispatch('INTERACTION_CREATE', payload);
    await env.server.waitForCall(isCallback(payload.id), { since });
    try {
      const here = await onMessage(FIND, '美国从中国进口了价值49.8亿美元的锂电池。');
      expect(here.callback.body.data?.flags ?? 0).toBe(0);
      expect(here.edit!.body.embeds[0].title).toBe('文献支持这一说法');
      const there = await onMessage(ASK, '什么是选择性脱钩？', { guildId: snowflake() });
      expect(there.callback.body.data.flags).toBe(64);
    } finally {
      since = env.server.calls.length;
      payload = set(false);
      env.server.dispatch('INTERACTION_CREATE', payload);
      await env.server.waitForCall(isCallback(payload.id), { since });
    }
  });

  it('count towards the per-user question limit shared with /ask', async () => {
    const user = makeUser('eager');
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => onMessage(i % 2 ? ASK : FIND, `美国对华关键矿物脱钩 ${i}`, { user })));
    const limited = results.filter((r) => r.callback.body.type === 4);
    expect(limited).toHaveLength(1);
    expect(limited[0].callback.body.data).toMatchObject({ flags: 64 });
    expect(limited[0].callback.body.data.content).toMatch(/try again in \d+ s/);
  });

  it('an ephemeral deferred reply whose edit keeps failing ends in a short ephemeral follow-up', async () => {
    const target = guildMessage(env.server, makeUser('writer'), '美国从中国进口了价值49.8亿美元的锂电池。');
    const payload = messageCommand(env.server, makeUser(), FIND, target);
    const fault = env.server.injectRestFault({ match: isEdit(payload.token), times: 1_000, status: 500, json: { message: '500: Internal Server Error', code: 0 } });
    try {
      const since = env.server.calls.length;
      env.server.dispatch('INTERACTION_CREATE', payload);
      const followUp = await env.server.waitForCall((c) => c.method === 'POST' && c.path === `/webhooks/${env.server.applicationId}/${payload.token}`, { since, timeoutMs: 60_000 });
      expect(fault.hits).toBeGreaterThan(1);
      expect(followUp.body).toMatchObject({ flags: 64, content: 'Sorry, something went wrong while answering. Please try again.' });
    } finally {
      fault.times = 0;
    }
  });

  it.skipIf(!discordSchema())(`every REST body sent validates against Discord's OpenAPI schema${discordSchema() ? '' : ` (skipped: ${SCHEMA_SKIP_REASON})`}`, () => {
    const sent = env.server.calls.filter((c) => c.method !== 'GET');
    expect(sent.length).toBeGreaterThan(10);
    const problems = sent.flatMap((c) => discordSchema()!.violations(c));
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
