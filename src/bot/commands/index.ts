/**
 * The command loader: every other file in this folder is a command exporting `data` (a SlashCommandBuilder)
 * and `execute` (+ `autocomplete`). Adding a command is adding a file; this builds both the registration
 * payload and the dispatch table from the folder.
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BotServices } from '../services.js';

export interface CommandModule {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, services: BotServices): Promise<void>;
  /** Counts towards the per-user question rate limit. */
  rateLimited?: boolean;
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

/** Registration payload for PUT /applications/:id/(guilds/:gid/)commands. */
export async function commandPayload(): Promise<RESTPostAPIChatInputApplicationCommandsJSONBody[]> {
  return [...(await loadCommands()).values()].map((c) => c.data.toJSON());
}
