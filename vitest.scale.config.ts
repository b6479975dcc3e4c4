import { defineConfig } from 'vitest/config';

/*
 * `npm run test:scale`: the scale suite (test/scale). Each file starts the distributed shape
 * (deploy/local/cluster.ts: three NATS nodes, replicas of every service) and breaks one part of it
 * while a campaign keeps the machine's two cores busy, so the files run one at a time. The global
 * setup writes the results table (test/scale/results.md) once every scenario has run.
 */
export default defineConfig({
  test: {
    include: ['test/scale/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 180_000,
    globalSetup: ['test/scale/global-setup.ts'],
    reporters: ['default'],
  },
});
