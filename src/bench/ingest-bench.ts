import { round } from './stats.js';

export interface IngestFigures {
  seconds: number;
  passagesPerSecond: number;
  /** Peak RSS of the bench process, which runs ingest before anything else. */
  peakRssMb: number;
  documents: number;
  passages: number;
  model: string;
  /** Seconds per stage as ingest reports them (clean is part of load; train is the offline corpus model). */
  stageSeconds: Record<string, number>;
  indexMb: number;
  /** Ingest time per MB of each format (without embedding), from benchFormats. */
  formats?: FormatFigures[];
}

/** A full (forced) ingest of the corpus into `indexDir`, as `npx lodestone ingest --force` does it. */
export async function benchIngest(corpusDir: string, indexDir: string, model: string | undefined): Promise<IngestFigures> {
  const { ingest } = await import('../service/ingest.js');
  const t0 = performance.now();
  const summary = await ingest({ corpusDir, indexDir, model, force: true, onWarning: () => undefined });
  const seconds = (performance.now() - t0) / 1000;
  const stageSeconds = Object.fromEntries(Object.entries(summary.stageSeconds).map(([k, v]) => [k, round(v, 3)]));
  return {
    seconds: round(seconds, 2),
    passagesPerSecond: round(summary.passages / Math.max(seconds, 1e-9), 1),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    documents: summary.documents,
    passages: summary.passages,
    model: summary.model,
    stageSeconds,
    indexMb: round(summary.indexBytes / (1024 * 1024), 2),
  };
}

export interface FormatFigures {
  format: string;
  /** Size of the sample file. */
  mb: number;
  passages: number;
  /** Load + convert + clean + chunk of that one file (median of 3 warm runs), seconds. */
  seconds: number;
  msPerMb: number;
}

/**
 * Ingest time per MB for each format ingest reads: the repo's .md and .txt as they are, and the largest
 * document's paragraphs written as a paged PDF (CID fonts, running header, page numbers), a saved web page
 * and a Word file. Embedding is left out: it costs the same per passage whatever the file was.
 */
export async function benchFormats(corpusDir: string, workDir: string): Promise<FormatFigures[]> {
  const { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  const { buildPassages } = await import('../chunking/build.js');
  const { sampleDocx, sampleHtml, samplePdf } = await import('./format-samples.js');
  const largest = (ext: string) =>
    readdirSync(corpusDir).filter((f) => f.toLowerCase().endsWith(ext) && !/^readme\./i.test(f)).sort((a, b) => statSync(path.join(corpusDir, b)).size - statSync(path.join(corpusDir, a)).size)[0];
  const samples: Array<{ format: string; file: string; bytes: Buffer }> = [];
  for (const [format, ext] of [['md', '.md'], ['txt', '.txt']] as const) {
    const file = largest(ext);
    if (file) samples.push({ format, file, bytes: readFileSync(path.join(corpusDir, file)) });
  }
  const source = samples.find((s) => s.format === 'md') ?? samples[0];
  if (source) {
    const dir = path.join(workDir, 'format-source');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, source.file), source.bytes);
    const built = await buildPassages(dir);
    const sections: Array<{ heading: string; paragraphs: string[] }> = [];
    for (const p of built.passages) {
      if (p.kind !== 'paragraph') continue;
      const heading = p.sectionPath[p.sectionPath.length - 1] ?? '正文';
      if (sections[sections.length - 1]?.heading !== heading) sections.push({ heading, paragraphs: [] });
      sections[sections.length - 1].paragraphs.push(p.text);
    }
    const title = built.documents[0]?.title ?? 'sample';
    samples.push({ format: 'pdf', file: 'sample.pdf', bytes: samplePdf(sections) });
    samples.push({ format: 'html', file: 'sample.html', bytes: sampleHtml(title, sections) });
    samples.push({ format: 'docx', file: 'sample.docx', bytes: sampleDocx(title, sections) });
  }
  const figures: FormatFigures[] = [];
  for (const sample of samples) {
    const dir = path.join(workDir, `format-${sample.format}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, sample.file), sample.bytes);
    await buildPassages(dir); // warm-up: loads the converter (pdf.js, mammoth, Readability) once
    const runs: number[] = [];
    let passages = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      passages = (await buildPassages(dir)).passages.length;
      runs.push((performance.now() - t0) / 1000);
    }
    const seconds = runs.sort((a, b) => a - b)[1];
    const mb = sample.bytes.length / (1024 * 1024);
    figures.push({ format: sample.format, mb: round(mb, 3), passages, seconds: round(seconds, 3), msPerMb: round((seconds * 1000) / mb, 0) });
  }
  return figures;
}
