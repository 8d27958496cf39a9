import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // needs a PostgreSQL server: its own suite, `npm run test:postgres` (vitest.postgres.config.ts)
    exclude: [...configDefaults.exclude, 'tests/postgres/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // native addons (hnswlib, better-sqlite3, onnxruntime) are safer in forks than worker threads
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    env: { EMBEDDING_MODEL: 'corpus', LOG_LEVEL: 'silent' },
  },
});
