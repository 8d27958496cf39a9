/**
 * Lexical search in PostgreSQL or in process? Measures BM25 computed by SQL over a postings table of
 * Lodestone's own segmented search keys (the same terms, weights and formula as src/index/lexical.ts)
 * against the in-process BM25 over the same postings, on synthetic corpora grown from the index's passages:
 * top-k agreement, query p50/p95, build/load seconds.
 *
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx src/bench/scale-lexical-pg.ts 10000,50000
 *
 * Runs in a scratch schema it drops afterwards.
 */
import { loadIndex } from '../index/store.js';
import { DEFAULT_BM25, LexicalIndex, passageTerms, type TermWeights } from '../index/lexical.js';
import { prepareQuery } from '../retrieval/query.js';
import { parseQuestionSet } from '../retrieval/evaluate.js';
import { searchKey } from '../text/searchKey.js';
import { percentile, round } from './stats.js';
import { seededRandom, synthesiseText } from './synthetic.js';
import fs from 'node:fs';

const K = 50; // the retriever's candidate depth
const SCHEMA = `lodestone_lexical_bench_${process.pid}`;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL');
  const sizes = (process.argv[2] ?? '10000').split(',').map(Number);
  const base = loadIndex(process.env.INDEX_DIR ?? 'index');
  const baseTexts = base.passages.map((p) => p.text);
  const questions = ['eval/dev.jsonl', 'eval/zh.jsonl', 'eval/en.jsonl']
    .filter((f) => fs.existsSync(f))
    .flatMap((f) => parseQuestionSet(fs.readFileSync(f, 'utf8')).map((q) => q.question));
  const queries: TermWeights[] = questions.map((q) => prepareQuery(q).lexicalTerms);
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const rows: Record<string, unknown>[] = [];
  try {
    for (const n of sizes) {
      const random = seededRandom(7 + n);
      // the bench's synthetic passages: a passage's sentences with one of another passage's mixed in
      const texts = Array.from({ length: n }, (_, i) => {
        const from = Math.floor(random() * baseTexts.length);
        return synthesiseText(baseTexts, { from, towards: (from + 1 + Math.floor(random() * (baseTexts.length - 1))) % baseTexts.length, mix: 0 }, random);
      });
      const docs = texts.map((text, i) => passageTerms({ id: `p${i}`, docId: 'd', kind: 'paragraph', label: '', text, searchKey: searchKey(text), sectionPath: [], ordinal: i, footnotes: [], citedBy: [] }));
      const t0 = performance.now();
      const lexical = LexicalIndex.build(docs);
      const buildMs = performance.now() - t0;

      await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
      const t1 = performance.now();
      await pool.query(`CREATE TABLE ${SCHEMA}.postings (term text NOT NULL, position integer NOT NULL, tf real NOT NULL)`);
      await pool.query(`CREATE TABLE ${SCHEMA}.doc (position integer PRIMARY KEY, length double precision NOT NULL)`);
      const lengths = lexical.metaJSON().docLengths;
      for (let start = 0; start < n; start += 2000) {
        const terms: string[] = [];
        const positions: number[] = [];
        const tfs: number[] = [];
        for (let i = start; i < Math.min(n, start + 2000); i++) {
          for (const [term, tf] of docs[i]) {
            terms.push(term);
            positions.push(i);
            tfs.push(Math.fround(Math.round(tf * 1000) / 1000));
          }
        }
        await pool.query(`INSERT INTO ${SCHEMA}.postings SELECT * FROM unnest($1::text[], $2::integer[], $3::real[])`, [terms, positions, tfs]);
        const ids = Array.from({ length: Math.min(n, start + 2000) - start }, (_, j) => start + j);
        await pool.query(`INSERT INTO ${SCHEMA}.doc SELECT * FROM unnest($1::integer[], $2::float8[])`, [ids, ids.map((i) => lengths[i])]);
      }
      await pool.query(`CREATE INDEX ON ${SCHEMA}.postings (term) INCLUDE (position, tf); ANALYZE ${SCHEMA}.postings; ANALYZE ${SCHEMA}.doc`);
      const loadMs = performance.now() - t1;
      const avg = lengths.reduce((a, b) => a + b, 0) / n;
      const { k1, b } = DEFAULT_BM25;
      const sql = `WITH q AS (SELECT * FROM unnest($1::text[], $2::float8[]) AS q(term, weight)),
        df AS (SELECT p.term, count(*)::float8 AS df FROM ${SCHEMA}.postings p JOIN q USING (term) GROUP BY p.term)
        SELECT p.position, sum(q.weight * ln(1 + (${n} - df.df + 0.5) / (df.df + 0.5)) * (p.tf * ${k1 + 1}) / (p.tf + ${k1} * (1 - ${b} + ${b} * d.length / ${avg}))) AS score
        FROM ${SCHEMA}.postings p JOIN q USING (term) JOIN df USING (term) JOIN ${SCHEMA}.doc d USING (position)
        GROUP BY p.position ORDER BY score DESC, p.position LIMIT ${K}`;
      const sqlSearch = async (query: TermWeights) => (await pool.query<{ position: number; score: number }>(sql, [[...query.keys()], [...query.values()]])).rows;
      for (const q of queries.slice(0, 5)) await sqlSearch(q); // warm
      const inMs: number[] = [];
      const sqlMs: number[] = [];
      let same = 0;
      let sameTop5 = 0;
      for (const q of queries) {
        const a = performance.now();
        const local = lexical.search(q, K);
        inMs.push(performance.now() - a);
        const c = performance.now();
        const remote = await sqlSearch(q);
        sqlMs.push(performance.now() - c);
        if (local.map((h) => h.position).join() === remote.map((h) => h.position).join()) same++;
        if (local.slice(0, 5).map((h) => h.position).join() === remote.slice(0, 5).map((h) => h.position).join()) sameTop5++;
      }
      const size = (await pool.query<{ mb: number }>(`SELECT (pg_total_relation_size('${SCHEMA}.postings') + pg_total_relation_size('${SCHEMA}.doc')) / 1048576.0 AS mb`)).rows[0].mb;
      rows.push({
        n,
        postingsMb: round(lexical.postingsBytes().byteLength / 1048576, 1),
        questions: queries.length,
        inProcessBuildS: round(buildMs / 1000, 2),
        inProcessP50Ms: round(percentile(inMs, 50)),
        inProcessP95Ms: round(percentile(inMs, 95)),
        sqlLoadS: round(loadMs / 1000, 2),
        sqlTablesMb: round(Number(size), 1),
        sqlP50Ms: round(percentile(sqlMs, 50)),
        sqlP95Ms: round(percentile(sqlMs, 95)),
        identicalTop50: `${same}/${queries.length}`,
        identicalTop5: `${sameTop5}/${queries.length}`,
      });
      console.error(JSON.stringify(rows[rows.length - 1]));
    }
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await pool.end();
  }
  console.log(JSON.stringify(rows, null, 2));
}

await main();
