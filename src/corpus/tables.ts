/**
 * Tables pasted as tab-separated rows under a caption "表3 …". Each row becomes self-contained text
 * (caption + header：value pairs) so a row can be retrieved and quoted on its own.
 */

export interface TableShape {
  headers: string[];
  /** Data rows with row-spanned leading cells filled in from the row above. */
  rows: string[][];
}

export function splitRow(line: string): string[] {
  return line.replace(/\r$/, '').split('\t').map((c) => c.trim());
}

/**
 * Header rows and data rows. A second header row (merged header cells, e.g. 竞争优势及对比 over 技术/制造/市场)
 * is recognised when it starts empty and fills a column the first header row left empty.
 */
export function shapeTable(rawRows: string[][]): TableShape {
  const width = Math.max(0, ...rawRows.map((r) => r.length));
  const pad = (r: string[]) => Array.from({ length: width }, (_, i) => r[i] ?? '');
  const rows = rawRows.map(pad).filter((r) => r.some((c) => c !== ''));
  if (rows.length === 0) return { headers: [], rows: [] };
  const top = rows[0];
  const second = rows[1];
  const hasSubHeader =
    second !== undefined &&
    second[0] === '' &&
    second.some((c, i) => c !== '' && i > 0 && top[i] === '' && top.slice(0, i).some((t) => t !== ''));
  const headers = top.map((_, i) => {
    let parent = top[i];
    if (parent === '' && hasSubHeader) for (let j = i - 1; j >= 0 && parent === ''; j--) parent = top[j];
    const child = hasSubHeader ? second[i] : '';
    if (child && parent && child !== parent) return `${parent}·${child}`;
    return child || parent || `列${i + 1}`;
  });
  const data: string[][] = [];
  for (const raw of rows.slice(hasSubHeader ? 2 : 1)) {
    const row = [...raw];
    const prev = data[data.length - 1];
    for (let j = 0; prev && j < row.length - 1 && row[j] === ''; j++) row[j] = prev[j];
    data.push(row);
  }
  return { headers, rows: data };
}

/** "表3 2021年…构成｜关键矿物：钴｜回收比例：24%｜…" */
export function tableRowText(name: string, caption: string, headers: string[], row: string[]): string {
  const pairs = row.map((v, i) => (v === '' ? '' : `${headers[i] ?? `列${i + 1}`}：${v}`)).filter(Boolean);
  return [`${name} ${caption}`.trim(), ...pairs].join('｜');
}
