import cliProgress from 'cli-progress';

/**
 * A terminal progress bar for batched embedding during ingest (stderr, so JSON on stdout stays clean).
 * Pass `onProgress` to `embedPassages`, then call `stop()`. Draws nothing when stderr is not a terminal.
 */
export function embeddingProgressBar(label = 'embedding'): { onProgress: (done: number, total: number) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} passages | {eta}s left`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
