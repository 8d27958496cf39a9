/**
 * /docs add | list | remove (Manage Server): documents added from Discord. The attachment is checked (name,
 * extension, size) before it is downloaded, and again — text, UTF-8, not empty — by the service before anything
 * is saved; a refusal is an ephemeral one-line reason and changes nothing. The reply comes once the document
 * is searchable.
 */
import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type Attachment,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { QuestionLang } from '../../core/answer.js';
import { UserInputError } from '../../core/errors.js';
import { checkDocumentSize, DOCUMENT_MAX_BYTES, safeDocumentName, type AddedDocument, type RemovedDocument, type ShelvedDocument } from '../../service/documents.js';
import { DISCORD_LIMITS as L } from '../discordLimits.js';
import { zh } from '../localizations.js';
import { clip } from '../render.js';
import { langOf, NO_MENTIONS } from '../respond.js';
import type { BotServices } from '../services.js';

export const data = new SlashCommandBuilder()
  .setName('docs')
  .setNameLocalizations(zh('文献管理', '文獻管理'))
  .setDescription('Add, list or remove the documents I answer from (Manage Server)')
  .setDescriptionLocalizations(zh('添加、列出或删除我据以回答的文献（需“管理服务器”权限）', '新增、列出或刪除我據以回答的文獻（需「管理伺服器」權限）'))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('add')
      .setNameLocalizations(zh('添加', '新增'))
      .setDescription('Add a .md or .txt file (UTF-8, up to 2 MB); I reply when it is searchable')
      .setDescriptionLocalizations(zh('添加 .md 或 .txt 文件（UTF-8，最大 2 MB）；可检索后我会回复', '新增 .md 或 .txt 檔案（UTF-8，最大 2 MB）；可檢索後我會回覆'))
      .addAttachmentOption((o) =>
        o.setName('file').setNameLocalizations(zh('文件', '檔案')).setDescription('The document').setDescriptionLocalizations(zh('文献文件', '文獻檔案')).setRequired(true),
      )
      .addStringOption((o) =>
        o
          .setName('title')
          .setNameLocalizations(zh('标题', '標題'))
          .setDescription('Its title (default: its first heading)')
          .setDescriptionLocalizations(zh('标题（默认取第一个标题行）', '標題（預設取第一個標題行）'))
          .setMaxLength(200),
      )
      .addBooleanOption((o) =>
        o
          .setName('replace')
          .setNameLocalizations(zh('替换', '取代'))
          .setDescription('Replace the document saved under the same file name')
          .setDescriptionLocalizations(zh('替换同名文件', '取代同名檔案')),
      ),
  )
  .addSubcommand((s) =>
    s.setName('list').setNameLocalizations(zh('列表', '列表')).setDescription('The documents and their passage counts').setDescriptionLocalizations(zh('文献及其段落数', '文獻及其段落數')),
  )
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setNameLocalizations(zh('删除', '刪除'))
      .setDescription('Remove a document and re-index')
      .setDescriptionLocalizations(zh('删除一篇文献并重建索引', '刪除一篇文獻並重建索引'))
      .addStringOption((o) =>
        o
          .setName('id')
          .setNameLocalizations(zh('编号', '編號'))
          .setDescription('The document’s id')
          .setDescriptionLocalizations(zh('文献编号', '文獻編號'))
          .setRequired(true)
          .setAutocomplete(true)
          .setMaxLength(100),
      ),
  );

/** Server administration: the client checks Manage Guild again before this runs. */
export const admin = true;

const words = {
  en: {
    readOnly: 'Documents cannot be changed in this deployment.',
    refused: (why: string) => `❌ ${why} Nothing was changed.`,
    download: (status: string) => `The attachment could not be downloaded (${status}).`,
    host: 'That attachment is not on Discord’s file server, so I did not download it.',
    added: (d: AddedDocument) =>
      `✅ ${d.replaced ? 'Replaced' : 'Added'} “${d.title}” (id \`${d.id}\`, file \`${d.file}\`): ${d.passages} passages, searchable now (${d.totalPassages} passages in all). Ask about it with /ask.`,
    removed: (d: RemovedDocument) => `🗑️ Removed “${d.title}” (id \`${d.id}\`, ${d.passages} passages); ${d.totalPassages} passages remain.`,
    listTitle: 'Documents',
    passages: 'passages',
  },
  'zh-Hans': {
    readOnly: '此部署不允许更改文献。',
    refused: (why: string) => `❌ ${why} 未做任何更改。`,
    download: (status: string) => `无法下载附件（${status}）。`,
    host: '该附件不在 Discord 的文件服务器上，我没有下载。',
    added: (d: AddedDocument) =>
      `✅ 已${d.replaced ? '替换' : '添加'}“${d.title}”（编号 \`${d.id}\`，文件 \`${d.file}\`）：${d.passages} 个段落，现在可以检索（共 ${d.totalPassages} 个段落）。可用 /ask 提问。`,
    removed: (d: RemovedDocument) => `🗑️ 已删除“${d.title}”（编号 \`${d.id}\`，${d.passages} 个段落）；剩余 ${d.totalPassages} 个段落。`,
    listTitle: '文献',
    passages: '个段落',
  },
  'zh-Hant': {
    readOnly: '此部署不允許更改文獻。',
    refused: (why: string) => `❌ ${why} 未做任何更改。`,
    download: (status: string) => `無法下載附件（${status}）。`,
    host: '該附件不在 Discord 的檔案伺服器上，我沒有下載。',
    added: (d: AddedDocument) =>
      `✅ 已${d.replaced ? '取代' : '新增'}「${d.title}」（編號 \`${d.id}\`，檔案 \`${d.file}\`）：${d.passages} 個段落，現在可以檢索（共 ${d.totalPassages} 個段落）。可用 /ask 提問。`,
    removed: (d: RemovedDocument) => `🗑️ 已刪除「${d.title}」（編號 \`${d.id}\`，${d.passages} 個段落）；剩餘 ${d.totalPassages} 個段落。`,
    listTitle: '文獻',
    passages: '個段落',
  },
} satisfies Record<QuestionLang, unknown>;

/** Where Discord serves attachments; the REST base URL's host too (a proxy, or the local test server). */
const ATTACHMENT_HOSTS = new Set(['cdn.discordapp.com', 'media.discordapp.net']);

function allowedAttachmentUrl(url: string, apiUrl: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' && ATTACHMENT_HOSTS.has(parsed.hostname)) return true;
  if (!apiUrl) return false;
  const api = new URL(apiUrl);
  return parsed.protocol === api.protocol && parsed.host === api.host;
}

/** The attachment's bytes, at most DOCUMENT_MAX_BYTES + 1 read (more is refused by the service, never buffered). */
async function download(attachment: Attachment, apiUrl: string | undefined, w: (typeof words)[QuestionLang]): Promise<Uint8Array> {
  if (!allowedAttachmentUrl(attachment.url, apiUrl)) throw new UserInputError(w.host);
  let response: Response;
  try {
    response = await fetch(attachment.url, { redirect: 'error', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new UserInputError(w.download((error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message));
  }
  if (!response.ok || !response.body) throw new UserInputError(w.download(`HTTP ${response.status}`));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > DOCUMENT_MAX_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks);
}

async function add(interaction: ChatInputCommandInteraction, services: BotServices, w: (typeof words)[QuestionLang]): Promise<void> {
  const shelf = services.librarian.documents!;
  const attachment = interaction.options.getAttachment('file', true);
  // name and declared size are checked before anything is downloaded
  safeDocumentName(attachment.name);
  checkDocumentSize(attachment.name, attachment.size);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const bytes = await download(attachment, interaction.client.options.rest?.api, w);
  const added = await shelf.add({
    filename: attachment.name,
    bytes,
    title: interaction.options.getString('title') ?? undefined,
    replace: interaction.options.getBoolean('replace') ?? false,
    // stored with the document (DATABASE_URL) the way votes store their voter: salted and hashed, never the id
    addedBy: services.feedback.hashUser(interaction.user.id),
  });
  services.logger.info({ guild: interaction.guildId, document: added.id, passages: added.passages, replaced: added.replaced, seconds: added.seconds }, 'document added');
  await interaction.editReply({ content: clip(w.added(added), L.messageContent), allowedMentions: NO_MENTIONS });
}

async function remove(interaction: ChatInputCommandInteraction, services: BotServices, w: (typeof words)[QuestionLang]): Promise<void> {
  const id = interaction.options.getString('id', true);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const removed = await services.librarian.documents!.remove(id);
  services.logger.info({ guild: interaction.guildId, document: removed.id, passages: removed.passages }, 'document removed');
  await interaction.editReply({ content: clip(w.removed(removed), L.messageContent), allowedMentions: NO_MENTIONS });
}

export function renderDocumentList(documents: ShelvedDocument[], lang: QuestionLang) {
  const w = words[lang];
  const lines = documents.map((d) => `\`${d.id}\` — ${clip(d.title, 120)} · ${d.passages} ${w.passages} · \`${d.file}\``);
  let description = '';
  for (const line of lines) {
    if (description.length + line.length + 2 > L.embedDescription - 2) {
      description += '\n…';
      break;
    }
    description += (description ? '\n' : '') + line;
  }
  return { color: 0x3b6ea5, title: `${w.listTitle} (${documents.length})`, description: description || '—' };
}

export async function execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const lang = langOf(interaction);
  const w = words[lang];
  const reply = async (content: string) => {
    const payload = { content: clip(content, L.messageContent), allowedMentions: NO_MENTIONS };
    if (interaction.deferred) await interaction.editReply(payload);
    else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
  };
  const shelf = services.librarian.documents;
  if (!shelf) return reply(w.readOnly);
  const sub = interaction.options.getSubcommand(true);
  try {
    if (sub === 'add') await add(interaction, services, w);
    else if (sub === 'remove') await remove(interaction, services, w);
    else await interaction.reply({ embeds: [renderDocumentList(shelf.list(), lang)], flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    services.logger.info({ guild: interaction.guildId, sub, reason: error.message }, 'document change refused');
    await reply(w.refused(error.message));
  }
}

export async function autocomplete(interaction: AutocompleteInteraction, services: BotServices): Promise<void> {
  const choices = services.librarian.documents?.choices(String(interaction.options.getFocused() ?? '')) ?? [];
  await interaction.respond(choices.slice(0, L.autocompleteChoices).map((c) => ({ name: clip(c.name, L.choiceName), value: c.value.slice(0, L.choiceValue) })));
}
