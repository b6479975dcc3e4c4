import { describe, expect, it } from 'vitest';
import { pruneInBatches } from './prune.ts';

/** A table of `rows` old rows that deletes up to `limit` per statement, recording each statement. */
function oldRows(rows: number) {
  let left = rows;
  const statements: number[] = [];
  return {
    statements,
    deleteBatch: async (limit: number) => {
      const deleted = Math.min(limit, left);
      left -= deleted;
      statements.push(deleted);
      return deleted;
    },
  };
}

describe('pruneInBatches', () => {
  it('when 12 rows are old and a batch is 5, then three statements delete 5, 5 and 2 and each is counted', async () => {
    const table = oldRows(12);
    const counted: Array<[string, number]> = [];
    const total = await pruneInBatches({
      table: 'dispatch.messages',
      batchSize: 5,
      deleteBatch: table.deleteBatch,
      metrics: { pruned: (name, rows) => counted.push([name, rows]) },
    });
    expect(total).toBe(12);
    expect(table.statements).toEqual([5, 5, 2]);
    expect(counted).toEqual([
      ['dispatch.messages', 5],
      ['dispatch.messages', 5],
      ['dispatch.messages', 2],
    ]);
  });

  it('when the rows fill whole batches, then one more statement finds none and the loop ends', async () => {
    const table = oldRows(10);
    expect(await pruneInBatches({ table: 't', batchSize: 5, deleteBatch: table.deleteBatch })).toBe(10);
    expect(table.statements).toEqual([5, 5, 0]);
  });

  it('when the signal aborts between statements, then no further statement runs', async () => {
    const controller = new AbortController();
    const table = oldRows(100);
    const total = await pruneInBatches({
      table: 't',
      batchSize: 10,
      signal: controller.signal,
      deleteBatch: async (limit) => {
        const deleted = await table.deleteBatch(limit);
        if (table.statements.length === 2) controller.abort();
        return deleted;
      },
    });
    expect(total).toBe(20);
    expect(table.statements).toEqual([10, 10]);
  });
});
