import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests talk to one real NATS and one PostgreSQL; each file isolates itself
    // (own database and namespace), so files may run in parallel.
    reporters: ['default'],
  },
});
