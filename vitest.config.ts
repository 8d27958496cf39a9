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
    // the embedded default: a DATABASE_URL or VECTOR_STORE exported in the developer's shell must not
    // send `npm test` to a database (the PostgreSQL suite sets its own)
    env: { EMBEDDING_MODEL: 'corpus', LOG_LEVEL: 'silent', DATABASE_URL: '', VECTOR_STORE: '' },
  },
});
