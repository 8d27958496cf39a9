import type { DownloadProgress } from '../embedding/hub.js';
import type { ProgressReporter } from './progress.js';

/** A size as a reader takes it in: kB below 0.1 MB, else MB with one decimal. */
export function megabytes(bytes: number): string {
  return bytes < 1e5 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

export interface DownloadReporter {
  onDownload: (progress: DownloadProgress) => void;
  /** Files completed so far. */
  readonly files: number;
}

/**
 * Model downloads through the ingest progress reporter: a line naming each file as it starts (above the bar on
 * a terminal, a plain line in a pipe or a log) and, on a terminal, one `download` bar over the bytes of the
 * files in flight. transformers.js fetches a model's JSON files at once, so their events interleave: the state
 * is kept per file.
 */
export function downloadReporter(progress: Pick<ProgressReporter, 'onProgress' | 'line'>): DownloadReporter {
  const state = new Map<string, { loaded: number; total: number; done: boolean }>();
  let files = 0;
  return {
    onDownload(p) {
      const name = `${p.model}/${p.file}`;
      const known = state.get(name);
      if (known?.done) return;
      if (!known) progress.line(`downloading ${name}${p.total ? ` (${megabytes(p.total)})` : ''}`);
      state.set(name, { loaded: p.loaded, total: Math.max(p.total, p.loaded), done: p.done });
      if (p.done) files++;
      const all = [...state.values()];
      progress.onProgress('download', all.reduce((sum, f) => sum + f.loaded, 0), all.reduce((sum, f) => sum + f.total, 0));
    },
    get files() {
      return files;
    },
  };
}
