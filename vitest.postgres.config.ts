// `npm run test:postgres`: the suite that needs the machine's PostgreSQL (tests/postgres), kept out of `npm test`
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/postgres/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // the files share one server and one of them restarts it: one file at a time
    fileParallelism: false,
    env: { EMBEDDING_MODEL: 'corpus', LOG_LEVEL: 'silent' },
  },
});
