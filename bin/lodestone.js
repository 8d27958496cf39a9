#!/usr/bin/env node
// Development entry: runs the TypeScript sources through tsx (a devDependency), so tests and `npm run dev`
// never run a stale build. The installed command `lodestone` is dist/cli/main.js (`npm run build`, run by
// `npm install` through `prepare`).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
await import(main);
