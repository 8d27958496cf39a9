#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between `npm install` and `npx lodestone`.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
await import(main);
