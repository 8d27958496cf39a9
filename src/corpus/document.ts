import { createHash } from 'node:crypto';
import type { DocumentInfo } from '../core/passage.js';
import { detectLang } from '../text/language.js';
import { stripInlineMarkup } from './markup.js';

/** A document as loaded: its metadata and its decoded, normalised text (original script, for quoting). */
export interface LoadedDocument {
  info: DocumentInfo;
  text: string;
}

/** What a sidecar `<file>.meta.json` or a front-matter block may set; everything is optional. */
export type DocumentMetadata = Partial<Pick<DocumentInfo, 'id' | 'title' | 'author' | 'venue' | 'year' | 'lang' | 'source' | 'kind'>>;

export const UNKNOWN_AUTHOR = 'unknown';
/** Author values that mean "nobody named": the label then falls back to venue or title. */
export const isUnknownAuthor = (author: string | undefined) =>
  !author || /^(unknown|anonymous|n\/a|佚名|不详|不詳|未知|匿名)$/i.test(author.trim());

/** File name → typeable id: 'zhou2024-green-digital-decoupling.md' → 'zhou2024-green-digital-decoupling'. */
export function idFromFileName(file: string): string {
  const stem = file.replace(/\.[^.]+$/, '');
  const slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  // A name without Latin letters or digits (e.g. 论文.md) still gets a short, stable, typeable id.
  return slug || `doc-${createHash('sha1').update(stem).digest('hex').slice(0, 6)}`;
}

/** The first markdown heading, else the first non-empty line, tidied and shortened. */
export function titleFromText(text: string): string | undefined {
  // `\f<n>` lines mark where a converted document's page n starts: not text
  const lines = text.split('\n').filter((l) => !l.startsWith('\f')).map((l) => l.trim()).filter(Boolean);
  const heading = lines.find((l) => /^#{1,6}\s+\S/.test(l));
  const line = heading ?? lines[0];
  if (!line) return undefined;
  const title = stripInlineMarkup(line.replace(/^#{1,6}\s+/, '').replace(/<sup>.*?<\/sup>/g, ''));
  return [...title].slice(0, 80).join('') || undefined;
}

/** Simple `---` front matter of a markdown file: `key: value` lines. Returns the metadata and the text after it. */
export function splitFrontMatter(text: string): { metadata: Record<string, string>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(text);
  if (!m) return { metadata: {}, body: text };
  const metadata: Record<string, string> = {};
  for (const line of m[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line.trim());
    if (kv) metadata[kv[1].toLowerCase()] = kv[2].replace(/^["']|["']$/g, '').trim();
  }
  return { metadata, body: text.slice(m[0].length) };
}

/** Checks a metadata object read from JSON or front matter, keeping only well-typed fields. */
export function cleanMetadata(raw: Record<string, unknown>): DocumentMetadata {
  const out: DocumentMetadata = {};
  for (const key of ['id', 'title', 'author', 'venue', 'lang', 'source', 'kind'] as const) {
    const v = raw[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
  }
  const year = typeof raw.year === 'string' ? Number(raw.year) : raw.year;
  if (typeof year === 'number' && Number.isInteger(year) && year > 0) out.year = year;
  if (out.id) out.id = out.id.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || undefined;
  if (out.lang && !['zh-Hans', 'zh-Hant', 'en'].includes(out.lang)) delete out.lang;
  return out;
}

/** Metadata with sensible defaults: id from the file name, title from the first heading, language detected. */
export function documentInfo(file: string, text: string, rawBytes: Uint8Array, metadata: DocumentMetadata): DocumentInfo {
  const year = metadata.year ?? yearFromName(file);
  const info: DocumentInfo = {
    id: metadata.id ?? idFromFileName(file),
    title: metadata.title ?? titleFromText(text) ?? file,
    author: metadata.author ?? UNKNOWN_AUTHOR,
    lang: metadata.lang ?? detectLang(text.slice(0, 20_000)),
    file,
    contentHash: createHash('sha256').update(rawBytes).digest('hex'),
  };
  if (metadata.venue) info.venue = metadata.venue;
  if (year !== undefined) info.year = year;
  if (metadata.source) info.source = metadata.source;
  if (metadata.kind) info.kind = metadata.kind;
  return info;
}

function yearFromName(file: string): number | undefined {
  const m = /(?:^|[^0-9])((?:19|20)\d\d)(?![0-9])/.exec(file);
  return m ? Number(m[1]) : undefined;
}
