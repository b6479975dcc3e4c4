import { Counter, type Registry } from 'prom-client';

/** Rows one pruning statement deletes at most: short transactions, so no lock is held for long. */
export const defaultPruneBatchSize = 5_000;

export interface PruneMetrics {
  pruned(table: string, rows: number): void;
}

/**
 * Deletes old rows one bounded statement at a time until a statement deletes fewer than a batch.
 * `deleteBatch(limit)` deletes at most `limit` rows and returns how many it deleted. Stops between
 * statements when the signal aborts. Returns the rows deleted in all.
 */
export async function pruneInBatches(options: {
  table: string;
  batchSize?: number;
  deleteBatch: (limit: number) => Promise<number>;
  metrics?: PruneMetrics;
  signal?: AbortSignal;
}): Promise<number> {
  const batchSize = options.batchSize ?? defaultPruneBatchSize;
  let total = 0;
  for (;;) {
    if (options.signal?.aborted) return total;
    const deleted = await options.deleteBatch(batchSize);
    total += deleted;
    if (deleted > 0) options.metrics?.pruned(options.table, deleted);
    if (deleted < batchSize) return total;
  }
}

export function createPruneMetrics(registry: Registry): PruneMetrics {
  const name = 'ektola_rows_pruned_total';
  const rows =
    (registry.getSingleMetric(name) as Counter<'table'> | undefined) ??
    new Counter({
      name,
      help: 'Rows deleted by retention pruning, by table',
      labelNames: ['table'],
      registers: [registry],
    });
  return { pruned: (table, count) => rows.inc({ table }, count) };
}
