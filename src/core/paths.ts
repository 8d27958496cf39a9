import { homedir } from 'node:os';
import path from 'node:path';

/**
 * A path setting as a person writes it in `.env`: a leading `~` (alone or before a slash) is the home
 * directory — shells expand it, `.env` files and `process.env` do not. `~user` forms are left alone.
 */
export function expandHome(value: string, home: string = homedir()): string {
  if (value === '~') return home;
  if (value.startsWith('~/') || (path.sep === '\\' && value.startsWith('~\\'))) return path.join(home, value.slice(2));
  return value;
}

/** `expandHome`, then absolute (relative paths are taken from the current directory). */
export function resolvePathSetting(value: string, home?: string): string {
  return path.resolve(expandHome(value.trim(), home));
}
