/**
 * Feedback that is used, with the real discord.js client against the local Discord-compatible server: every
 * question the bot answers or refuses is logged per server; /report shows an admin the refused and 👎'd ones,
 * grouped by topic, with the terms the documents lack; a 👎 in Discord lowers, within its bound, the cited
 * passages in retrieval for that question.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot/client.js';
import { embedLength } from '../../src/bot/render.js';
import { CUSTOM_ID } from '../../src/bot/render.js';
import { FEEDBACK_MARGIN } from '../../src/retrieval/feedbackBoost.js';
import type { LibrarianService } from '../../src/service/librarian.js';
import { buttonClick, guildMessage, makeUser, MANAGE_GUILD, slashCommand, withPermissions } from '../support/discord-payloads.js';
import { snowflake, type FakeDiscordServer } from '../support/discord-server.js';
import { discordSchema, SCHEMA_SKIP_REASON } from './discord-schema.js';
import { isCallback, isEdit, withWorkspaceBot } from './e2e-helpers.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.report-e2e.never-logged';
/** Refused: the corpus never mentions tungsten (钨). */
const TUNGSTEN = ['中国的钨产量占全球多少？', '美国对钨矿征收了多少关税？'];
const DISLIKED = '美国能源部2020年发布的关键矿物供应链战略提出了哪三大支柱？';
const LIKED = '什么是选择性脱钩？';

let server: FakeDiscordServer;
let bot: RunningBot;
let librarian: LibrarianService;

async function send(payload: any) {
  const since = server.calls.length;
  server.dispatch('INTERACTION_CREATE', payload);
  const callback = await server.waitForCall(isCallback(payload.id), { since });
  const edit = callback.body.type === 5 ? await server.waitForCall(isEdit(payload.token), { since, timeoutMs: 60_000 }) : undefined;
  return { payload, callback, edit };
}

/** /ask, then a click on one of the answer's vote buttons; resolves with the passages the vote was on. */
async function askAndVote(question: string, vote: 'up' | 'down'): Promise<string[]> {
  const user = makeUser();
  const { payload, edit } = await send(slashCommand(server, user, 'ask', { question }));
  const ids = edit!.body.components[0].components.map((c: any) => c.custom_id) as string[];
  const button = ids.find((id) => id.startsWith(vote === 'up' ? CUSTOM_ID.voteUp : CUSTOM_ID.voteDown))!;
  await send(buttonClick(server, user, button, server.makeMessage(server.channelId, edit!.body)));
  return bot.services.answers.get(payload.id)!.passageIds;
}

const report = (days?: number, user = makeUser('admin')) => withPermissions(slashCommand(server, user, 'report', days ? { days } : {}), MANAGE_GUILD);

const started = withWorkspaceBot('report-e2e', TOKEN, { ratePerMinute: 60 });
beforeAll(() => void ({ server, bot, librarian } = started));

describe('/report', () => {
  it('is for Manage Server only: a member is refused', async () => {
    const put = await server.waitForCall((c) => c.method === 'PUT' && c.path.endsWith('/commands'));
    expect(String(put.body.find((c: any) => c.name === 'report').default_member_permissions)).toBe(String(MANAGE_GUILD));
    const { callback } = await send(slashCommand(server, makeUser('member'), 'report', {}));
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(callback.body.data.content).toMatch(/Manage Server/);
  });

  it('with nothing refused or 👎 yet, it says so', async () => {
    const { edit } = await send(report());
    expect(edit!.body.embeds[0].description).toMatch(/No question in the last 14 days was refused or got 👎/);
  });

  it('a 👎 in Discord is used by retrieval: the cited passages rank a little lower for that question, within the bound', async () => {
    const before = await librarian.search(DISLIKED, 10);
    const votedOn = await askAndVote(DISLIKED, 'down');
    const after = await librarian.search(DISLIKED, 10);
    const scoreBefore = new Map(before.map((r) => [r.passage.id, r.score]));
    const lowered = after.filter((r) => votedOn.includes(r.passage.id));
    expect(lowered.length).toBeGreaterThan(0);
    // one voter: feedback −1/2, so × (1 − m/2) — never more
    for (const r of lowered) expect(r.score).toBeCloseTo(scoreBefore.get(r.passage.id)! * (1 - FEEDBACK_MARGIN / 2), 10);
  }, 60_000);

  it('refused questions (by /ask and by mention) and the 👎 one show up grouped by topic with the terms the documents lack; 👍 and other servers do not', async () => {
    for (const question of TUNGSTEN) await send(slashCommand(server, makeUser(), 'ask', { question }));
    // the same refused question asked again, by mention: one entry, asked twice
    const since = server.calls.length;
    const mention = guildMessage(server, makeUser(), `<@${server.applicationId}> ${TUNGSTEN[0]}`, { mentionBot: true });
    server.dispatch('MESSAGE_CREATE', mention);
    await server.waitForCall((c) => c.method === 'PUT' && c.path.includes(`/messages/${mention.id}/reactions/❓`), { since, timeoutMs: 30_000 });
    await askAndVote(LIKED, 'up');
    // another server's refused question is that server's business
    await send({ ...slashCommand(server, makeUser(), 'ask', { question: '钨矿出口管制是什么时候开始的？' }), guild_id: snowflake() });

    const { callback, edit } = await send(report(7));
    expect(callback.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const [embed] = edit!.body.embeds;
    expect(embed.title).toBe('What to add to the documents — last 7 days');
    expect(embed.description).toMatch(/^3 of \d+ questions were refused \(❓\) or got 👎\./);
    expect(embed.description).toMatch(/Terms the documents lack:\*\* \*\*钨\*\* \(2\)/);
    const fields = embed.fields.map((f: any) => `${f.name}\n${f.value}`);
    const tungsten = fields.find((f: string) => f.startsWith('钨 — 2 questions (❓3 👎0)'));
    expect(tungsten).toContain(`• ${TUNGSTEN[0]} ×2 ❓`);
    expect(tungsten).toContain(`• ${TUNGSTEN[1]} ❓`);
    expect(fields.some((f: string) => f.includes(`• ${DISLIKED} 👎1`))).toBe(true);
    const all = JSON.stringify(embed);
    expect(all).not.toContain(LIKED);
    expect(all).not.toContain('钨矿出口管制');
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    expect((edit!.body.content ?? '').length).toBeLessThanOrEqual(2000);
  }, 120_000);

  it.skipIf(!discordSchema())(`every REST body sent validates against Discord's OpenAPI schema${discordSchema() ? '' : ` (skipped: ${SCHEMA_SKIP_REASON})`}`, () => {
    const sent = server.calls.filter((c) => c.method !== 'GET');
    expect(sent.length).toBeGreaterThan(10);
    const problems = sent.flatMap((c) => discordSchema()!.violations(c));
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
