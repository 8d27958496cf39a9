import { createHash } from 'node:crypto';

/**
 * Passage ids carry a short hash of the passage's own text, so an edit changes only the edited passage's id
 * and inserting a paragraph renumbers nothing. Hashes are lengthened (4 → 6 → 8 … hex) only where two
 * different texts would share an id, for all members of the clash, so the result does not depend on order.
 */
export function textHash(text: string): string {
  return createHash('sha1').update(text.normalize('NFKC').replace(/\s+/g, '')).digest('hex');
}

export interface IdRequest {
  /** Everything before the hash, e.g. 'zhou2024:4.3:p'. Empty hash → the base is the whole id. */
  base: string;
  hash: string;
}

export function assignIds(requests: IdRequest[]): string[] {
  const ids = requests.map((r) => r.base + r.hash.slice(0, 4));
  let length = 4;
  for (;;) {
    const groups = groupBy(ids.map((id, i) => ({ id, i })), (x) => x.id);
    const clashes = [...groups.values()].filter((g) => g.length > 1 && new Set(g.map((x) => requests[x.i].hash)).size > 1);
    if (clashes.length === 0 || length >= 40) break;
    length += 2;
    for (const g of clashes) for (const { i } of g) ids[i] = requests[i].base + requests[i].hash.slice(0, length);
  }
  // identical text under the same base (e.g. two identical table rows): number the repeats in order
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}-${n}`;
  });
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
