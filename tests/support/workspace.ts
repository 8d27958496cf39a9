import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { createLibrarian, type LibrarianOptions, type LibrarianService } from '../../src/service/librarian.js';
import { REPO_CORPUS_DIR as REPO_CORPUS } from './paths.js';

export interface Workspace {
  root: string;
  corpusDir: string;
  indexDir: string;
}

/** A private copy of corpus/ (tests may edit it) and an empty index dir beside it. */
export function makeWorkspace(prefix: string): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `lodestone-${prefix}-`));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  fs.cpSync(REPO_CORPUS, corpusDir, { recursive: true });
  return { root, corpusDir, indexDir };
}

export function removeWorkspace(ws: Workspace | undefined): void {
  if (ws) fs.rmSync(ws.root, { recursive: true, force: true });
}

/** The librarian over the workspace, extractive unless a composer is given, index built when missing. */
export async function openLibrarian(ws: Workspace, extra: Partial<LibrarianOptions> = {}): Promise<LibrarianService> {
  return createLibrarian({ corpusDir: ws.corpusDir, indexDir: ws.indexDir, model: 'corpus', composer: null, ...extra });
}


/**
 * A librarian over a private workspace for one test file: built before its tests, closed and removed after.
 * `set` receives it (tests keep a plain `let librarian`).
 */
export function withLibrarian(prefix: string, set: (librarian: LibrarianService) => void): void {
  let ws: Workspace | undefined;
  let librarian: LibrarianService | undefined;
  beforeAll(async () => {
    ws = makeWorkspace(prefix);
    librarian = await openLibrarian(ws);
    set(librarian);
  }, 180_000);
  afterAll(async () => {
    await librarian?.close();
    removeWorkspace(ws);
  });
}
