import { resultsTable } from './results-table.ts';

/* The fault suite's results table (test/faults/results.md, not committed), for the README. */
export const { setup, teardown } = resultsTable(
  new URL('./results/', import.meta.url),
  'Fault suite results',
  `FAULTS_N=${process.env.FAULTS_N ?? 5000}`,
);
