import { defineConfig } from 'vitest/config';

/*
 * `npm run test:faults`: the fault suite (test/faults). Each file starts the whole stack and breaks
 * one part of it, some of them shared infrastructure (NATS, PostgreSQL), and each drives a campaign
 * that keeps the machine's two cores busy, so the files run one at a time. The global setup writes
 * the results table (test/faults/results.md) once every scenario has run.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    globalSetup: ['test/faults/global-setup.ts'],
    reporters: ['default'],
  },
});
