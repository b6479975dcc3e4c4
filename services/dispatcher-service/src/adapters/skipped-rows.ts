import type { SkipReason } from '@ektola/platform/events';
import type { Skipped } from '../domain/ports.ts';

/** The runs and reasons of the rows a skipping statement returned. */
export function skippedOf(rows: ReadonlyArray<{ run_id: string; skip_reason: SkipReason | null }>): Skipped {
  const skipped: Skipped['skipped'] = {};
  for (const row of rows) if (row.skip_reason) skipped[row.skip_reason] = (skipped[row.skip_reason] ?? 0) + 1;
  return { runIds: [...new Set(rows.map((row) => row.run_id))], skipped };
}
