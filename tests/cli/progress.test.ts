import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress.js';
import { screen } from '../support/terminal.js';

function fakeTerminal(columns: number, isTTY = true) {
  let out = '';
  return { stream: { isTTY, columns, write: (s: string) => (out += s) }, output: () => out };
}

const MODEL_WARNING =
  'embedding: could not load Xenova/multilingual-e5-small from the Hugging Face hub (fetch failed); using the corpus model instead. ' +
  'Set EMBEDDING_MODEL=corpus to skip this attempt, or connect to the internet once to cache the hub model.';
const SKIPPED = ['blob.txt: skipped — binary file', 'latin1.txt: skipped — not UTF-8', 'empty.md: skipped — empty', 'huge.txt: skipped — larger than 10 MB'];
const SUMMARY = 'ingested 2 documents, 249 passages (11 abstract, 85 paragraph, 129 footnote, 6 caption, 18 table-row) in 3.04 s with corpus:2aea755e';

/** The calls an ingest makes: stages with progress, warnings in between, then the summary. */
function ingestLike(progress: ReturnType<typeof progressReporter>) {
  progress.onProgress('load', 0, 6);
  for (const w of SKIPPED) progress.warn(w);
  progress.onProgress('load', 6, 6);
  progress.onProgress('chunk', 0, 1);
  progress.warn(MODEL_WARNING);
  progress.onProgress('chunk', 1, 1);
  for (let i = 0; i <= 249; i += 83) progress.onProgress('embed', i, 249);
  progress.onProgress('embed', 249, 249);
  progress.onProgress('index', 1, 1);
  progress.stop();
  progress.line(SUMMARY);
}

describe('progress bars and warnings on a terminal', () => {
  it.each([200, 80, 40])('at %i columns every warning and the summary are printed whole, above or after the bars', (columns) => {
    const term = fakeTerminal(columns);
    ingestLike(progressReporter(term.stream));
    const lines = screen(term.output(), columns);
    const text = lines.join('');
    // a warning longer than the terminal wraps: joined back, each is there, intact and in order
    let at = 0;
    for (const w of [...SKIPPED, MODEL_WARNING]) {
      const found = text.indexOf(`warning: ${w}`, at);
      expect(found, `“warning: ${w}” on\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
      at = found;
    }
    expect(text).toContain(SUMMARY);
    // no bar is left half-drawn on a warning's line, and each finished stage is shown complete
    for (const l of lines) if (l.includes('warning:')) expect(l.startsWith('warning:') || !/\d+\/\d+/.test(l), l).toBe(true);
    for (const stage of ['loading', 'chunking', 'embedding', 'indexing']) {
      const bar = lines.find((l) => l.startsWith(stage));
      expect(bar, `${stage} bar on\n${lines.join('\n')}`).toBeDefined();
      expect(bar!.length).toBeLessThanOrEqual(columns);
      expect(bar).toMatch(/(\d+)\/\1$/);
    }
    // the summary comes last, below the finished bars, whole
    const after = lines.slice(lines.findIndex((l) => l.startsWith('indexing')) + 1);
    expect(after.join('')).toBe(SUMMARY);
  });

  it('in a pipe prints plain lines only: no bars, no control characters', () => {
    const term = fakeTerminal(80, false);
    ingestLike(progressReporter(term.stream));
    expect(term.output()).toBe([...SKIPPED, MODEL_WARNING].map((w) => `warning: ${w}\n`).join('') + `${SUMMARY}\n`);
  });
});

describe('lodestone ingest with unreadable files, as a terminal shows it', () => {
  it('prints each skipped file whole above the bars, then the summary whole', async () => {
    const { execFile } = await import('node:child_process');
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const root = mkdtempSync(path.join(os.tmpdir(), 'lodestone-progress-'));
    try {
      const corpus = path.join(root, 'corpus');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(corpus);
      writeFileSync(path.join(corpus, 'notes.md'), '# 稀土回收的新进展\n\n稀土回收是一项重要的技术，能够减少对原矿的依赖。\n');
      writeFileSync(path.join(corpus, 'blob.txt'), Buffer.from([0, 1, 2, 0, 255, 0, 7]));
      writeFileSync(path.join(corpus, 'latin1.txt'), Buffer.from([0xe9, 0x74, 0xe9, 0x20, 0x63, 0x61, 0x66, 0xe9]));
      writeFileSync(path.join(corpus, 'empty.md'), '');
      const bin = path.resolve(import.meta.dirname, '../../bin/lodestone.js');
      // LODESTONE_PROGRESS=1 draws the bars into the pipe exactly as on a terminal (80 columns)
      const env = { ...process.env, LODESTONE_PROGRESS: '1', EMBEDDING_MODEL: 'corpus', LOG_LEVEL: 'silent' };
      const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(process.execPath, [bin, '--corpus', corpus, '--index', path.join(root, 'index'), 'ingest'], { env }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
        ),
      );
      const lines = screen(stderr + stdout, 80);
      const text = lines.join('');
      for (const file of ['blob.txt', 'latin1.txt', 'empty.md']) {
        const warning = stderr.split('\n').map((l) => l.replace(/^[\s\S]*\x1b\[2K/, '')).find((l) => l.startsWith(`warning: ${file}: skipped`));
        expect(warning, stderr).toBeDefined();
        expect(text, lines.join('\n')).toContain(warning);
      }
      expect(lines.at(-2)).toMatch(/^ingested 1 document, 1 passage \(1 paragraph\) in [\d.]+ s with corpus:[0-9a-f]+$/);
      expect(lines.filter((l) => l.startsWith('indexing'))).toHaveLength(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
