import { resultsTable } from '../faults/results-table.ts';

/* The scale suite's results table (test/scale/results.md, not committed), for the README. */
export const { setup, teardown } = resultsTable(
  new URL('./results/', import.meta.url),
  'Scale suite results',
  `SCALE_N=${process.env.SCALE_N ?? 5000}`,
);
