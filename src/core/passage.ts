/** What every later stage (embedding, index, retrieval, answers, bot) reads. */
export type PassageKind = 'paragraph' | 'footnote' | 'table-row' | 'caption' | 'abstract';

export interface Passage {
  /** Stable, typeable id, unchanged across re-ingests while `text` is unchanged, e.g. `zhou2024:4.3:p5`, `zhou2024:fn12`, `zhou2024:t4:r3`. */
  id: string;
  docId: string;
  kind: PassageKind;
  /** What a reader sees, e.g. `周亚敏 2024 · 四（三）¶5`, `周亚敏 2024 · 注③ (p.12)`, `周亚敏 2024 · 表4 行3`. */
  label: string;
  /** Verbatim text in the source's own script (cleaned of markup), for quoting. */
  text: string;
  /** Simplified-Chinese, NFKC-normalised, lower-cased key used by search (see src/text/searchKey.ts). */
  searchKey: string;
  /** Section headings from the top, e.g. ['四 美国对华选择性“脱钩”的案例分析', '（三）美国在关键矿物供应链领域的对华“脱钩”行为']. */
  sectionPath: string[];
  /** Position of the passage in its document (0-based), for ordering. */
  ordinal: number;
  /** Paragraph → ids of the footnote passages it cites. */
  footnotes: string[];
  /** Footnote → ids of the paragraphs citing it. */
  citedBy: string[];
  /** Table or figure name for table rows and captions, e.g. '表4'. */
  table?: string;
  /** Page (1-based) the passage starts on, for documents that have pages (PDF); the label then says "p. 3". */
  page?: number;
}

export interface DocumentInfo {
  id: string;
  title: string;
  author: string;
  venue?: string;
  year?: number;
  /** BCP-47 script tag of the original text: 'zh-Hans', 'zh-Hant' or 'en'. */
  lang: string;
  source?: string;
  /** What sort of document it is ('paper', 'web article', 'report', 'book' …): lets a question name it. */
  kind?: string;
  /** File name inside corpus/. */
  file: string;
  /** What the file was: 'md', 'txt', 'pdf', 'html' or 'docx' (converted to text on ingest). */
  format?: string;
  /** sha256 of the raw file bytes: unchanged document ⇒ unchanged passages and vectors. */
  contentHash: string;
}

/** Passages per kind, for summaries (`ingest`, `sources`). */
export function countByKind(passages: Iterable<Passage>): Partial<Record<PassageKind, number>> {
  const byKind: Partial<Record<PassageKind, number>> = {};
  for (const p of passages) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
  return byKind;
}
