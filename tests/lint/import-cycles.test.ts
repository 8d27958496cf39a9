import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';

const run = promisify(execFile);
const script = path.join(REPO_ROOT, 'scripts', 'import-cycles.ts');
const check = (dir: string) => run(process.execPath, ['--import', 'tsx', script, dir], { cwd: REPO_ROOT }).then(
  ({ stdout }) => ({ code: 0, out: stdout }),
  (error: { code: number; stderr: string }) => ({ code: error.code, out: error.stderr }),
);

describe('npm run lint: folder-level import cycles', () => {
  it('src/ has none', async () => {
    const { code, out } = await check(path.join(REPO_ROOT, 'src'));
    expect(out).toMatch(/no folder-level cycle/);
    expect(code).toBe(0);
  });

  it('fails on a cycle made by a type-only import, naming the imports', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestone-cycles-'));
    fs.mkdirSync(path.join(root, 'text'));
    fs.mkdirSync(path.join(root, 'answer'));
    fs.writeFileSync(path.join(root, 'text', 'language.ts'), "import type { Answer } from '../answer/answer.js';\nexport const x = 1 as unknown as Answer;\n");
    fs.writeFileSync(path.join(root, 'answer', 'answer.ts'), "import { x } from '../text/language.js';\nexport type Answer = typeof x;\n");
    try {
      const { code, out } = await check(root);
      expect(code).toBe(1);
      expect(out).toMatch(/answer, text/);
      expect(out).toContain('text/language.ts → ../answer/answer.js');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
