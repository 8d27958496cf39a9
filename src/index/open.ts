import type { IndexStore } from './api.js';
import { FileIndexStore } from './store.js';

/**
 * The index store for a location. Today every location is a directory of the file store; the
 * scale-out issue adds another implementation of the same interfaces here (e.g. a `postgres://` URL).
 */
export function openIndexStore(location: string): IndexStore {
  return new FileIndexStore(location);
}
