import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // The fault suite restarts shared infrastructure and runs for minutes: `npm run test:faults`; the
    // scale suite runs a NATS cluster and service replicas per scenario: `npm run test:scale`.
    exclude: [...configDefaults.exclude, 'test/faults/**', 'test/scale/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests talk to one real NATS and one PostgreSQL; each file isolates itself
    // (own database and namespace), so files may run in parallel.
    reporters: ['default'],
  },
});
