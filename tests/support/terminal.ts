/**
 * What a person sees on a terminal after a stream of output: a minimal emulator of the control sequences our
 * CLI writes (\r, \n, ESC[2K erase line, ESC[K erase right) with auto-wrap at `columns`. Other escape sequences
 * (cursor show/hide, colours) are dropped. Cursor save/restore (ESC 7 / ESC 8, ESC[s / ESC[u) are honoured,
 * because a progress library that uses them overwrites what was printed in between.
 */
export function screen(output: string, columns = 80): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  let saved: [number, number] = [0, 0];
  const line = () => (lines[row] ??= []);
  for (let i = 0; i < output.length; i++) {
    const ch = output[i];
    if (ch === '\x1b') {
      const rest = output.slice(i + 1);
      const csi = /^\[([0-9;?]*)([A-Za-z])/.exec(rest);
      if (csi) {
        const [all, arg, cmd] = csi;
        if (cmd === 'K' && (arg === '2' || arg === '')) {
          if (arg === '2') lines[row] = [];
          else line().length = Math.min(line().length, col);
        } else if (cmd === 's') saved = [row, col];
        else if (cmd === 'u') [row, col] = saved;
        else if (cmd === 'G') col = Math.max(0, Number(arg || 1) - 1);
        i += all.length;
        continue;
      }
      if (rest[0] === '7') saved = [row, col];
      else if (rest[0] === '8') [row, col] = saved;
      i += 1;
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      col = 0;
      line();
    } else {
      if (col >= columns) {
        row++;
        col = 0;
      }
      const l = line();
      while (l.length < col) l.push(' ');
      l[col++] = ch;
    }
  }
  return lines.map((l) => l.join('').trimEnd());
}
