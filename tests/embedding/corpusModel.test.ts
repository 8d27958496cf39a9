import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainCorpusModel, type CorpusModelInfo } from '../../src/embedding/corpusModel.js';
import { tokensOfKey } from '../../src/embedding/corpusTokens.js';
import { Embedder } from '../../src/embedding/embedder.js';
import { REPO_CORPUS_DIR } from '../support/paths.js';

const CORPUS = [join(REPO_CORPUS_DIR, 'jxw2025-weaponised-interdependence-minerals.txt'), join(REPO_CORPUS_DIR, 'zhou2024-green-digital-decoupling.md')];
const MODEL_FILES = ['onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'config.json'];

const texts = CORPUS.map((f) => readFileSync(f, 'utf8'));
const root = mkdtempSync(join(tmpdir(), 'lodestone-corpus-model-'));
let info: CorpusModelInfo;
let embedder: Embedder;
let trainSeconds = 0;

/** The model's own table and vocabulary, read back from the files it wrote. */
function readTable(dir: string) {
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(join(dir, 'onnx/model.onnx')));
  const init = model.graph!.initializer![0];
  const raw = init.rawData!;
  const table = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const vocab = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')).model.vocab as Record<string, number>;
  return { table, vocab, dims: init.dims!.map(Number) };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

beforeAll(async () => {
  const start = performance.now();
  info = await trainCorpusModel(texts, { outDir: join(root, 'a', 'lodestone-corpus') });
  trainSeconds = (performance.now() - start) / 1000;
  embedder = await Embedder.load({ model: 'corpus', modelDir: info.dir });
}, 30_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('offline corpus model', () => {
  it('writes the files transformers.js loads and names itself by fingerprint', () => {
    expect(info.modelId).toMatch(/^corpus:[0-9a-f]{8}$/);
    expect(embedder.modelId).toBe(info.modelId);
    expect(embedder.dimensions).toBe(256);
    expect(info.vocabSize).toBeGreaterThan(2000);
    const config = JSON.parse(readFileSync(join(info.dir, 'config.json'), 'utf8'));
    expect(config.hidden_size).toBe(256);
    expect(trainSeconds).toBeLessThan(15);
  });

  it('is byte-identical when built twice from the same corpus and seed', async () => {
    const again = await trainCorpusModel(texts, { outDir: join(root, 'b', 'lodestone-corpus') });
    expect(again.modelId).toBe(info.modelId);
    for (const file of MODEL_FILES) {
      expect(readFileSync(join(again.dir, file)).equals(readFileSync(join(info.dir, file))), file).toBe(true);
    }
  }, 30_000);

  it('gives, through the pipeline, the mean of its own table rows, normalised', async () => {
    const { table, vocab, dims } = readTable(info.dir);
    const [, d] = dims;
    const sentence = '中美“脱钩”对关键矿产供应链的影响 Critical minerals 2022';
    const expected = new Float32Array(d);
    let known = 0;
    for (const token of tokensOfKey(sentence.normalize('NFKC').toLowerCase())) {
      const id = vocab[token];
      if (id === undefined) continue;
      known++;
      for (let c = 0; c < d; c++) expected[c] += table[id * d + c];
    }
    expect(known).toBeGreaterThan(15);
    const norm = Math.hypot(...expected);
    const actual = await embedder.embedQuery(sentence);
    expect(actual.length).toBe(d);
    for (let c = 0; c < d; c++) expect(actual[c]).toBeCloseTo(expected[c] / norm, 5);
    // Special tokens carry zero rows, so [CLS]/[SEP]/[PAD] never blur a mean.
    for (const special of ['[PAD]', '[UNK]', '[CLS]', '[SEP]']) {
      expect(table.slice(vocab[special] * d, (vocab[special] + 1) * d).every((x) => x === 0)).toBe(true);
    }
  });

  it('embeds traditional and simplified spellings of a question alike', async () => {
    const simplified = await embedder.embedQuery('美国对中国太阳能电池加征关税');
    const traditional = await embedder.embedQuery('美國對中國太陽能電池加徵關稅');
    expect(cosine(simplified, traditional)).toBeGreaterThan(0.99);
  });

  it('puts a question nearer its evidence paragraph than to nearly all others', async () => {
    const paragraphs = [...new Set(texts.flatMap((t) => t.split(/\n\s*\n/)).map((p) => p.trim()).filter((p) => p.length >= 15))];
    const vectors = await embedder.embedPassages(paragraphs);
    const cases = [
      { question: '美国的镍主要从哪些国家进口？', evidence: '加拿大、挪威、墨西哥' },
      { question: '中美高科技贸易下降最明显的行业有哪些？', evidence: '以光电、信息与通信、电子、柔性制造和先进材料五个行业为代表' },
      { question: '美國何時對中國光伏組件加徵關稅？', evidence: '光伏组件征收 30% 关税' },
    ];
    for (const { question, evidence } of cases) {
      const q = await embedder.embedQuery(question);
      const scores = vectors.map((v) => cosine(q, v));
      const best = Math.max(...paragraphs.map((p, i) => (p.includes(evidence) ? scores[i] : -1)));
      const rank = scores.filter((s) => s > best).length;
      // A dense-only sanity bound (hybrid retrieval adds BM25): within the top 20% of ~260 paragraphs
      // (a random model puts the evidence at ~50%; small corpus changes move single ranks by 10–20 places).
      expect(rank, question).toBeLessThan(paragraphs.length / 5);
    }
  });

  // load and query timings are measured by `npm run bench`, not asserted here
  it('reloads from its directory and embeds the same query to the same vector', async () => {
    const reloaded = await Embedder.load({ model: 'corpus', modelDir: info.dir });
    const again = await Embedder.load({ model: 'corpus', modelDir: info.dir });
    const q = '全球镍储量主要集中在哪几个国家';
    expect(Array.from(await reloaded.embedQuery(q))).toEqual(Array.from(await again.embedQuery(q)));
  });
});
