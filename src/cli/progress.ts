/**
 * Ingest progress on stderr (stdout stays clean for --json). On a terminal one bar per stage, redrawn in place
 * on its own line; a warning or a summary clears that line first, is printed whole (wrapping as the terminal
 * wraps it) and the bar is drawn again below it — nothing is painted over. In a pipe or a log: no bars, every
 * warning and summary a plain line.
 *
 * A small renderer of its own rather than cli-progress: cli-progress saves the cursor when a bar starts and
 * restores it when the bar stops, so anything printed in between was overwritten by the next line.
 */

const STAGE_NAMES: Record<string, string> = { load: 'loading', chunk: 'chunking', download: 'downloading', train: 'training model', embed: 'embedding', index: 'indexing' };

/** `\r` + erase line: the bar's line is emptied before anything else is printed on it. */
const CLEAR_LINE = '\r\x1b[2K';
/** Redraw at most this often (a 100k-passage ingest reports progress 100k times). */
const REDRAW_MS = 80;

export interface ProgressReporter {
  onProgress(stage: string, done: number, total: number): void;
  /** `warning: …` above the bar (or a plain line in a pipe). */
  warn(message: string): void;
  /** A whole line (a summary) above the bar. */
  line(text: string): void;
  /** Draws the last state of the current bar and leaves the cursor on a fresh line. */
  stop(): void;
}

export interface ReporterStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** `interactive` defaults to a terminal on `stream` (or LODESTONE_PROGRESS=1, to see the bars in a pipe). */
export function progressReporter(stream: ReporterStream = process.stderr, opts: { interactive?: boolean } = {}): ProgressReporter {
  const interactive = opts.interactive ?? (Boolean(stream.isTTY) || process.env.LODESTONE_PROGRESS === '1');
  let bar: { stage: string; done: number; total: number } | undefined;
  let drawn = false;
  let lastDraw = 0;

  const render = () => {
    if (!bar) return;
    const width = Math.max(20, (stream.columns || 80) - 1);
    const name = (STAGE_NAMES[bar.stage] ?? bar.stage).padEnd(15);
    const total = Math.max(bar.total, 1);
    const done = Math.min(bar.done, total);
    // a model download counts bytes (src/cli/download.ts)
    const count = bar.stage === 'download' ? `${(done / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB` : `${done}/${total}`;
    const cells = Math.max(0, Math.min(40, width - name.length - count.length - 4));
    const filled = Math.round((done / total) * cells);
    const text = `${name} [${'█'.repeat(filled)}${'░'.repeat(cells - filled)}] ${count}`;
    stream.write(CLEAR_LINE + [...text].slice(0, width).join(''));
    drawn = true;
    lastDraw = performance.now();
  };
  const clear = () => {
    if (drawn) stream.write(CLEAR_LINE);
    drawn = false;
  };
  const print = (text: string) => {
    if (!interactive) {
      stream.write(`${text}\n`);
      return;
    }
    clear();
    stream.write(`${text}\n`);
    render();
  };

  return {
    onProgress(stage, done, total) {
      if (!interactive) return;
      if (bar && stage !== bar.stage) {
        // the finished stage stays on screen, complete, on its own line
        render();
        stream.write('\n');
        drawn = false;
        bar = undefined;
      }
      const fresh = !bar;
      bar = { stage, done, total };
      if (fresh || done >= total || performance.now() - lastDraw >= REDRAW_MS) render();
    },
    warn(message) {
      print(`warning: ${message}`);
    },
    line(text) {
      print(text);
    },
    stop() {
      if (interactive && bar) {
        render();
        stream.write('\n');
      }
      bar = undefined;
      drawn = false;
    },
  };
}
