import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What a person writes in corpus/glossary.json; it wins over extraction for the same term. */
export interface CuratedEntry {
  /** Canonical form as the corpus writes it (simplified for the paper). */
  term: string;
  /** Other names: traditional, English, abbreviation, variants. */
  aliases: string[];
  /** A definition to show instead of one found in the corpus. */
  definition?: string;
  /** Text of the defining sentence in the corpus (a substring), when the automatic choice would be wrong. */
  anchor?: string;
  /** concept | law | alliance | organisation | mineral | country | person | product | policy … */
  kind?: string;
  notes?: string;
}

export const CURATED_FILE = 'glossary.json';

/** Validates the parsed JSON of a curated glossary: `{entries:[…]}` or a bare array. Bad entries become warnings. */
export function parseCuratedGlossary(json: unknown, source = CURATED_FILE): { entries: CuratedEntry[]; warnings: string[] } {
  const warnings: string[] = [];
  const list = Array.isArray(json) ? json : (json as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(list)) return { entries: [], warnings: [`${source}: expected {"entries": [...]} or an array`] };
  const entries: CuratedEntry[] = [];
  list.forEach((raw, i) => {
    const item = raw as Record<string, unknown> | null;
    const term = typeof item?.term === 'string' ? item.term.trim() : '';
    if (!item || !term) {
      warnings.push(`${source}: entry ${i + 1} has no "term"; skipped`);
      return;
    }
    const aliases = Array.isArray(item.aliases)
      ? item.aliases.filter((a): a is string => typeof a === 'string' && a.trim() !== '').map((a) => a.trim())
      : [];
    if (item.aliases !== undefined && !Array.isArray(item.aliases)) warnings.push(`${source}: "${term}": "aliases" must be a list`);
    const entry: CuratedEntry = { term, aliases };
    for (const key of ['definition', 'anchor', 'kind', 'notes'] as const) {
      if (typeof item[key] === 'string' && (item[key] as string).trim()) entry[key] = (item[key] as string).trim();
    }
    entries.push(entry);
  });
  return { entries, warnings };
}

/** Reads `<corpusDir>/glossary.json`. A missing file is no glossary; a broken one is a warning, never a crash. */
export function loadCuratedGlossary(corpusDir: string): { entries: CuratedEntry[]; warnings: string[] } {
  const file = path.join(corpusDir, CURATED_FILE);
  if (!existsSync(file)) return { entries: [], warnings: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { entries: [], warnings: [`${file}: not valid JSON (${(error as Error).message}); curated glossary ignored`] };
  }
  return parseCuratedGlossary(json, file);
}
