import type { Passage } from '../core/passage.js';

/**
 * Passages stored one JSON object per line (`passages.jsonl`), id first. Loading reads only the ids;
 * a passage is parsed when it is first asked for. Parsing every passage of a 100k-passage index as one
 * JSON array took most of its load time, while a question touches a few dozen passages.
 */
export function passageLine({ id, ...rest }: Passage): string {
  // id first, so loading can read it without parsing the rest of the line
  return JSON.stringify({ id, ...rest }) + '\n';
}

/** All lines as one string: for small sets and tests (a million passages exceed V8's string limit). */
export function passagesToLines(passages: Passage[]): string {
  return passages.map(passageLine).join('');
}

const NEWLINE = 0x0a;
const ID_PREFIX = Buffer.from('{"id":"');

export class PassageLines {
  private readonly cache: (Passage | undefined)[];
  private all?: Passage[];

  private constructor(
    private readonly bytes: Buffer,
    private readonly starts: Uint32Array,
    readonly ids: string[],
  ) {
    this.cache = new Array(ids.length);
  }

  /** Indexes the lines and reads each id; throws on a line that does not start with an id. */
  static read(bytes: Buffer): PassageLines {
    const starts: number[] = [];
    const ids: string[] = [];
    for (let start = 0; start < bytes.length; ) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end === -1) end = bytes.length;
      if (end > start) {
        if (!bytes.subarray(start, start + ID_PREFIX.length).equals(ID_PREFIX)) throw new Error(`passage line ${ids.length + 1} does not start with its id`);
        ids.push(readJsonString(bytes, start + ID_PREFIX.length - 1));
        starts.push(start);
      }
      start = end + 1;
    }
    starts.push(bytes.length);
    return new PassageLines(bytes, Uint32Array.from(starts), ids);
  }

  get length(): number {
    return this.ids.length;
  }

  at(position: number): Passage {
    let passage = this.cache[position];
    if (!passage) {
      const line = this.bytes.toString('utf8', this.starts[position], this.starts[position + 1]);
      passage = JSON.parse(line) as Passage;
      this.cache[position] = passage;
    }
    return passage;
  }

  /** Every passage, parsed once (for the glossary, /sources, citing by words). */
  toArray(): Passage[] {
    this.all ??= this.ids.map((_, i) => this.at(i));
    return this.all;
  }
}

/** The JSON string starting at `quote` (a `"`), unescaped. */
function readJsonString(bytes: Buffer, quote: number): string {
  let i = quote + 1;
  while (i < bytes.length && bytes[i] !== 0x22) i += bytes[i] === 0x5c ? 2 : 1;
  if (i >= bytes.length) throw new Error('unterminated passage id');
  return JSON.parse(bytes.toString('utf8', quote, i + 1)) as string;
}
