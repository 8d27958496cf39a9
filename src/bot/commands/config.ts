import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type APIEmbed,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { QuestionLang } from '../../core/answer.js';
import { zh } from '../localizations.js';
import { langOf, NO_MENTIONS, withScript } from '../respond.js';
import { effectiveSettings, type BotServices, type EffectiveSettings } from '../services.js';
import type { GuildSettings, ScriptPreference } from '../state.js';

export const RATE_MAX = 60;

export const data = new SlashCommandBuilder()
  .setName('config')
  .setNameLocalizations(zh('设置', '設定'))
  .setDescription('Server settings for Lodestone (Manage Server)')
  .setDescriptionLocalizations(zh('本服务器的 Lodestone 设置（需“管理服务器”权限）', '本伺服器的 Lodestone 設定（需「管理伺服器」權限）'))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('forum')
      .setNameLocalizations(zh('论坛', '論壇'))
      .setDescription('Answer every new post of a forum channel in its thread')
      .setDescriptionLocalizations(zh('在论坛频道的每个新帖子里回答', '在論壇頻道的每則新貼文裡回答'))
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setNameLocalizations(zh('频道', '頻道'))
          .setDescription('The forum channel')
          .setDescriptionLocalizations(zh('论坛频道', '論壇頻道'))
          .addChannelTypes(ChannelType.GuildForum)
          .setRequired(true),
      )
      .addBooleanOption((o) =>
        o.setName('enabled').setNameLocalizations(zh('启用', '啟用')).setDescription('On or off').setDescriptionLocalizations(zh('开或关', '開或關')).setRequired(true),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('channels')
      .setNameLocalizations(zh('频道', '頻道'))
      .setDescription('Channels where I answer mentions and commands (none listed: everywhere)')
      .setDescriptionLocalizations(zh('我回答提及和命令的频道（未列出任何频道：所有频道）', '我回答提及和命令的頻道（未列出任何頻道：所有頻道）'))
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setNameLocalizations(zh('频道', '頻道'))
          .setDescription('A text channel')
          .setDescriptionLocalizations(zh('文字频道', '文字頻道'))
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement)
          .setRequired(true),
      )
      .addBooleanOption((o) =>
        o
          .setName('enabled')
          .setNameLocalizations(zh('启用', '啟用'))
          .setDescription('Add it to the list (true) or remove it (false)')
          .setDescriptionLocalizations(zh('加入列表（是）或移出（否）', '加入列表（是）或移出（否）'))
          .setRequired(true),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('visibility')
      .setNameLocalizations(zh('可见性', '可見性'))
      .setDescription('Whether /ask answers are public by default')
      .setDescriptionLocalizations(zh('/ask 的回答是否默认公开', '/ask 的回答是否預設公開'))
      .addBooleanOption((o) =>
        o
          .setName('public')
          .setNameLocalizations(zh('公开', '公開'))
          .setDescription('Public by default (true) or only the asker (false)')
          .setDescriptionLocalizations(zh('默认公开（是）或仅提问者可见（否）', '預設公開（是）或僅提問者可見（否）'))
          .setRequired(true),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('rate-limit')
      .setNameLocalizations(zh('频率限制', '頻率限制'))
      .setDescription('Questions per user per minute')
      .setDescriptionLocalizations(zh('每位用户每分钟的提问数', '每位使用者每分鐘的提問數'))
      .addIntegerOption((o) =>
        o
          .setName('per-minute')
          .setNameLocalizations(zh('每分钟', '每分鐘'))
          .setDescription(`1–${RATE_MAX}`)
          .setDescriptionLocalizations(zh(`1–${RATE_MAX} 次`, `1–${RATE_MAX} 次`))
          .setMinValue(1)
          .setMaxValue(RATE_MAX)
          .setRequired(true),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('script')
      .setNameLocalizations(zh('字体', '字體'))
      .setDescription("Script of my answers' leads and my own text (quotes stay as written)")
      .setDescriptionLocalizations(zh('回答首句和我自己的文字所用的字体（引文保持原样）', '回答首句和我自己的文字所用的字體（引文保持原樣）'))
      .addStringOption((o) =>
        o
          .setName('script')
          .setNameLocalizations(zh('字体', '字體'))
          .setDescription('Follow the asker, or always simplified / traditional')
          .setDescriptionLocalizations(zh('跟随提问者，或一律简体／繁体', '跟隨提問者，或一律簡體／繁體'))
          .setRequired(true)
          .addChoices(
            { name: "Follow the asker's script", name_localizations: zh('跟随提问者', '跟隨提問者'), value: 'follow' },
            { name: 'Simplified (简)', name_localizations: zh('简体', '簡體'), value: 'zh-Hans' },
            { name: 'Traditional (繁)', name_localizations: zh('繁体', '繁體'), value: 'zh-Hant' },
          ),
      ),
  )
  .addSubcommand((s) =>
    s.setName('show').setNameLocalizations(zh('查看', '查看')).setDescription('Show this server’s settings').setDescriptionLocalizations(zh('查看本服务器的设置', '查看本伺服器的設定')),
  );

/** Server administration: the client checks Manage Guild again before this runs. */
export const admin = true;

const words = {
  en: { title: 'Lodestone settings', channels: 'Answers mentions in', everywhere: 'every channel', forums: 'Answers new posts in', none: 'no forum', visibility: '/ask answers', public: 'public', private: 'only the asker', rate: 'Questions per user per minute', script: 'Script', saved: 'Saved.' },
  'zh-Hans': { title: 'Lodestone 设置', channels: '回答提及的频道', everywhere: '所有频道', forums: '回答新帖的论坛', none: '无', visibility: '/ask 的回答', public: '公开', private: '仅提问者可见', rate: '每位用户每分钟提问数', script: '字体', saved: '已保存。' },
  'zh-Hant': { title: 'Lodestone 設定', channels: '回答提及的頻道', everywhere: '所有頻道', forums: '回答新貼文的論壇', none: '無', visibility: '/ask 的回答', public: '公開', private: '僅提問者可見', rate: '每位使用者每分鐘提問數', script: '字體', saved: '已儲存。' },
} satisfies Record<QuestionLang, Record<string, string>>;

const scriptNames: Record<ScriptPreference, Record<QuestionLang, string>> = {
  follow: { en: "the asker's", 'zh-Hans': '跟随提问者', 'zh-Hant': '跟隨提問者' },
  'zh-Hans': { en: 'simplified (简)', 'zh-Hans': '简体', 'zh-Hant': '簡體' },
  'zh-Hant': { en: 'traditional (繁)', 'zh-Hans': '繁体', 'zh-Hant': '繁體' },
};

export function renderSettings(settings: EffectiveSettings, lang: QuestionLang, saved: boolean): APIEmbed {
  const w = words[lang];
  const channelList = (ids: string[], empty: string) => (ids.length ? ids.map((id) => `<#${id}>`).join(' ').slice(0, 1000) : empty);
  return {
    color: 0x3b6ea5,
    title: w.title,
    ...(saved ? { description: w.saved } : {}),
    fields: [
      { name: w.channels, value: channelList(settings.channels, w.everywhere) },
      { name: w.forums, value: channelList(settings.forums, w.none) },
      { name: w.visibility, value: settings.publicAnswers ? w.public : w.private, inline: true },
      { name: w.rate, value: String(settings.ratePerMinute), inline: true },
      { name: w.script, value: scriptNames[settings.script][lang], inline: true },
    ],
  };
}

const toggle = (list: string[], id: string, on: boolean) => (on ? [...new Set([...list, id])] : list.filter((x) => x !== id));

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const guildId = interaction.guildId!;
  const sub = interaction.options.getSubcommand(true);
  let change: ((s: GuildSettings) => GuildSettings) | undefined;
  if (sub === 'forum') {
    const channel = interaction.options.getChannel('channel', true).id;
    const on = interaction.options.getBoolean('enabled', true);
    change = (s) => ({ ...s, forums: toggle(s.forums, channel, on) });
  } else if (sub === 'channels') {
    const channel = interaction.options.getChannel('channel', true).id;
    const on = interaction.options.getBoolean('enabled', true);
    change = (s) => ({ ...s, channels: toggle(s.channels, channel, on) });
  } else if (sub === 'visibility') {
    const publicAnswers = interaction.options.getBoolean('public', true);
    change = (s) => ({ ...s, publicAnswers });
  } else if (sub === 'rate-limit') {
    const ratePerMinute = Math.min(RATE_MAX, Math.max(1, interaction.options.getInteger('per-minute', true)));
    change = (s) => ({ ...s, ratePerMinute });
  } else if (sub === 'script') {
    const value = interaction.options.getString('script', true);
    const script: ScriptPreference = value === 'zh-Hans' || value === 'zh-Hant' ? value : 'follow';
    change = (s) => ({ ...s, script });
  }
  if (change) await services.settings.update(guildId, change);
  const settings = await effectiveSettings(services, guildId);
  const lang = withScript(langOf(interaction), settings.script);
  await interaction.reply({ embeds: [renderSettings(settings, lang, Boolean(change))], flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
