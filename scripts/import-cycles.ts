/**
 * Fails when the folders of src/ import each other in a circle. An import between files of two folders is
 * an edge (type-only and dynamic imports included); any cycle in that folder graph is printed with the
 * imports that make it, and the exit code is 1. Run by `npm run lint`.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(process.argv[2] ?? 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(?:m|c)?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The folder of src/ a file is in (files directly in src/ are their own room). */
const roomOf = (file: string): string => path.relative(root, file).split(path.sep)[0];

/** room → room → one import that makes the edge (for the message). */
const edges = new Map<string, Map<string, string>>();
for (const file of sourceFiles(root)) {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  for (const imported of info.importedFiles) {
    if (!imported.fileName.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), imported.fileName);
    if (!target.startsWith(root + path.sep)) continue;
    const [from, to] = [roomOf(file), roomOf(target)];
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${path.relative(root, file)} → ${imported.fileName}`);
  }
}

// strongly connected components (Tarjan): a component of more than one room is a cycle
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const components: string[][] = [];
let counter = 0;
function visit(room: string): void {
  index.set(room, counter);
  low.set(room, counter++);
  stack.push(room);
  onStack.add(room);
  for (const next of edges.get(room)?.keys() ?? []) {
    if (!index.has(next)) {
      visit(next);
      low.set(room, Math.min(low.get(room)!, low.get(next)!));
    } else if (onStack.has(next)) low.set(room, Math.min(low.get(room)!, index.get(next)!));
  }
  if (low.get(room) === index.get(room)) {
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== room);
    if (component.length > 1) components.push(component.sort());
  }
}
for (const room of edges.keys()) if (!index.has(room)) visit(room);

if (components.length === 0) {
  console.log(`import-cycles: no folder-level cycle among ${new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]).size} folders of ${path.relative(process.cwd(), root) || '.'}`);
} else {
  for (const component of components) {
    console.error(`import-cycles: these folders import each other in a circle: ${component.join(', ')}`);
    const members = new Set(component);
    for (const from of component) {
      for (const [to, via] of edges.get(from) ?? []) if (members.has(to)) console.error(`  ${from} → ${to}  (${via})`);
    }
  }
  process.exitCode = 1;
}
