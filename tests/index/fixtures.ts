import { createHash } from 'node:crypto';
import type { DocumentInfo, Passage } from '../../src/core/passage.js';
import type { TextEmbedder } from '../../src/embedding/embedder-api.js';
import { embeddingText } from '../../src/retrieval/query.js';
import { searchKey } from '../../src/text/searchKey.js';

/** Deterministic stand-in for a real model: hashed character uni- and bigrams, L2-normalised. */
export class FakeEmbedder implements TextEmbedder {
  embedded = 0;
  constructor(
    readonly modelId = 'fake:bigram-64',
    readonly dimensions = 64,
  ) {}

  async embedQuery(text: string): Promise<Float32Array> {
    return this.vector(text);
  }

  async embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    this.embedded += texts.length;
    const out = texts.map((t) => this.vector(t));
    onProgress?.(texts.length, texts.length);
    return out;
  }

  vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    const chars = [...embeddingText(text).toLowerCase().replace(/\s+/g, '')];
    const grams = [...chars, ...chars.slice(1).map((c, i) => chars[i] + c)];
    for (const g of grams) {
      const h = createHash('md5').update(g).digest();
      v[h.readUInt32LE(0) % this.dimensions] += h[4] & 1 ? 1 : -1;
    }
    let n = 0;
    for (const x of v) n += x * x;
    n = Math.sqrt(n) || 1;
    return v.map((x) => x / n);
  }
}

export function makePassage(docId: string, ordinal: number, text: string, extra: Partial<Passage> = {}): Passage {
  return {
    id: `${docId}:p${ordinal}`,
    docId,
    kind: 'paragraph',
    label: `${docId} ¶${ordinal}`,
    text,
    searchKey: searchKey(text),
    sectionPath: [],
    ordinal,
    footnotes: [],
    citedBy: [],
    ...extra,
  };
}

export function makeDocument(id: string, lang = 'zh-Hans'): DocumentInfo {
  return { id, title: `Document ${id}`, author: 'Tester', lang, file: `${id}.txt`, contentHash: createHash('sha256').update(id).digest('hex') };
}

/** A small two-document corpus: simplified paper paragraphs and a traditional article. */
export const PAPER_TEXTS = [
  '美国在关键矿物供应链领域对中国实施选择性脱钩，拉拢盟友组建矿产安全伙伴关系。',
  '2018年美国对中国太阳能电池和光伏组件征收30%关税。',
  '镍主要分布在印度尼西亚、菲律宾和俄罗斯。',
  '稀土永磁材料广泛用于电动汽车和风力发电机。',
  '半导体出口管制限制了先进芯片和制造设备的对华出口。',
  '议题结盟可以克服集体行为困境而提升合作效率。',
  '锂资源的精炼环节高度集中于中国，加工能力占全球六成以上。',
  'The paper analyses selective decoupling in critical mineral supply chains.',
];
export const ARTICLE_TEXTS = [
  '相互依賴武器化經由關鍵樞紐監控與產業鏈梗阻製造兩個環節形成閉環。',
  '美國推動友岸外包，把供應鏈轉移到盟友國家。',
  '晶片法案提供巨額補貼以吸引半導體製造回流。',
];

export function sampleCorpus(): { documents: DocumentInfo[]; passages: Passage[] } {
  const passages = [
    ...PAPER_TEXTS.map((t, i) => makePassage('paper', i, t)),
    ...ARTICLE_TEXTS.map((t, i) => makePassage('article', i, t)),
  ];
  return { documents: [makeDocument('paper'), makeDocument('article', 'zh-Hant')], passages };
}

/**
 * The sample corpus copied `copies` times (distinct ids and texts) with its vectors, as an index write takes
 * it: enough passages that a write lasts long enough for a child process to be killed at varied points.
 */
export async function largeIndexInput(copies: number) {
  const embedder = new FakeEmbedder();
  const { documents, passages } = sampleCorpus();
  const many = Array.from({ length: copies }, (_, r) => passages.map((p) => ({ ...p, id: `${p.id}:r${r}`, text: `${p.text}${r}` }))).flat();
  const vectors = await embedder.embedPassages(many.map((p) => p.text));
  return { documents, passages: many, vectors, embedderModelId: embedder.modelId, dims: embedder.dimensions, corpusFingerprint: 'child-0', chunkerVersion: 'test' };
}
