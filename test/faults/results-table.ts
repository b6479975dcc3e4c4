import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ScenarioResult } from './support.ts';

/**
 * A suite's global setup: before it, forget the last run's rows; after it, one markdown table of every
 * scenario that got as far as its checks (`<dir>/../results.md`, not committed), for the README.
 */
export function resultsTable(results: URL, title: string, size: string): { setup(): void; teardown(): void } {
  let startedAt = 0;
  return {
    setup() {
      rmSync(results, { recursive: true, force: true });
      mkdirSync(results, { recursive: true });
      startedAt = Date.now();
    },
    teardown() {
      const rows = readdirSync(results)
        .filter((file) => file.endsWith('.json'))
        .map((file) => JSON.parse(readFileSync(new URL(file, results), 'utf8')) as ScenarioResult)
        .sort((a, b) => a.order - b.order);
      const table = [
        '| scenario | messages | lost | duplicates | max per second (limit) | time (s) | notes |',
        '|---|---:|---:|---:|---:|---:|---|',
        ...rows.map(
          (row) =>
            `| ${row.order}. ${row.scenario} | ${row.messages} | ${row.lost} | ${row.duplicates} | ${row.maxPerSecond} (${row.limit}) | ${row.seconds} | ${row.notes} |`,
        ),
      ];
      const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
      const text = `# ${title}\n\n${new Date().toISOString()}, ${size}, whole suite ${minutes} min. Time: from the run's creation to every message READ.\n\n${table.join('\n')}\n`;
      writeFileSync(new URL('../results.md', results), text);
      console.log(`\n${text}`);
    },
  };
}
