/**
 * The command loader: every other file in this folder is a command exporting `data` (a SlashCommandBuilder,
 * or a ContextMenuCommandBuilder for a message context menu) and `execute` (+ `autocomplete`). Adding a
 * command is adding a file; this builds both the registration payload and the dispatch table from the folder.
 */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BotServices } from '../services.js';

export type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

export interface CommandModule<I extends CommandInteraction = any> {
  data: { name: string; toJSON(): RESTPostAPIApplicationCommandsJSONBody };
  execute(interaction: I, services: BotServices): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, services: BotServices): Promise<void>;
  /** Counts towards the per-user question rate limit. */
  rateLimited?: boolean;
  /** Server administration (/config, /docs, /report): answered in any channel, only to members with Manage Guild. */
  admin?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
const COMMAND_FILE = /^(?!index\.)[\w-]+\.(?:ts|js|mjs)$/;

function isCommand(mod: any): mod is CommandModule {
  return mod && typeof mod.execute === 'function' && mod.data && typeof mod.data.toJSON === 'function';
}

let loaded: Promise<Map<string, CommandModule>> | undefined;

/** Dispatch table: command name → module (loaded once). */
export function loadCommands(): Promise<Map<string, CommandModule>> {
  loaded ??= (async () => {
    const table = new Map<string, CommandModule>();
    const files = readdirSync(here).filter((f) => COMMAND_FILE.test(f) && !f.endsWith('.d.ts')).sort();
    for (const file of files) {
      const mod = await import(pathToFileURL(join(here, file)).href);
      if (isCommand(mod)) table.set(mod.data.name, mod);
    }
    return table;
  })();
  return loaded;
}

/** Registration payload for PUT /applications/:id/(guilds/:gid/)commands: slash commands and message context menus. */
export async function commandPayload(): Promise<RESTPostAPIApplicationCommandsJSONBody[]> {
  return [...(await loadCommands()).values()].map((c) => asRequestBody(c.data.toJSON()));
}

/**
 * discord.js writes `default_member_permissions` as a string ("32"); Discord's published request schema
 * (ApplicationCommandCreateRequest) types it as an integer, which the API accepts: send the integer.
 */
function asRequestBody(command: RESTPostAPIApplicationCommandsJSONBody): RESTPostAPIApplicationCommandsJSONBody {
  const permissions = command.default_member_permissions;
  if (typeof permissions !== 'string' || !/^\d+$/.test(permissions) || !Number.isSafeInteger(Number(permissions))) return command;
  return { ...command, default_member_permissions: Number(permissions) as unknown as string };
}
