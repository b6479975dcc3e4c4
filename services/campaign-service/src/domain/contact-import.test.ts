import { describe, expect, it } from 'vitest';
import type { ContactDraft } from './contact-row.ts';
import { importCsvRecords, type CsvItem } from './contact-import.ts';

async function* itemsOf(rows: Array<string[] | { error: string }>): AsyncIterable<CsvItem> {
  let line = 0;
  for (const row of rows) {
    line += 1;
    yield Array.isArray(row) ? { line, fields: row } : { line, error: row.error };
  }
}

/** An in-memory table keyed by phone, to see what the import would leave behind once committed. */
function memoryWriter() {
  const table = new Map<string, ContactDraft>();
  const batches: number[] = [];
  const written: ContactDraft[][] = [];
  return {
    table,
    batches,
    async write(drafts: ContactDraft[]) {
      batches.push(drafts.length);
      written.push(drafts);
    },
    async commit() {
      let imported = 0;
      let updated = 0;
      for (const draft of written.splice(0).flat()) {
        if (table.has(draft.phone)) updated += 1;
        else imported += 1;
        table.set(draft.phone, draft);
      }
      return { imported, updated };
    },
    async rollback() {
      written.length = 0;
    },
  };
}

describe('importCsvRecords', () => {
  it('when rows are bad, empty, duplicated or unreadable, then each is answered by line and the good rows import', async () => {
    const writer = memoryWriter();
    const result = await importCsvRecords(
      itemsOf([
        ['phone', 'name', 'city'],
        ['9876543210', 'Asha', 'Pune'],
        ['12345', 'Bad', ''],
        ['', 'Empty', ''],
        ['+91 98765 43210', 'Asha K', ''],
        { error: 'quote not closed' },
        ['9123456789', 'Ravi', 'Delhi'],
      ]),
      writer,
      { defaultCountry: 'IN', batchSize: 100 },
    );
    expect(result).toEqual({
      imported: 2,
      updated: 1,
      rejected: [
        { line: 3, reason: 'phone 12345 is not a valid phone number' },
        { line: 4, reason: 'phone is empty' },
        { line: 6, reason: 'quote not closed' },
      ],
      rejectedCount: 3,
    });
    expect(writer.table.get('+919876543210')).toEqual({
      phone: '+919876543210',
      name: 'Asha K',
      tags: null,
      attributes: { city: 'Pune' },
    });
  });

  it('when the file is larger than a batch, then it is written in batches of at most that size', async () => {
    const writer = memoryWriter();
    const rows = [['phone'], ...Array.from({ length: 25 }, (_, index) => [`98765${String(10000 + index)}`])];
    const result = await importCsvRecords(itemsOf(rows), writer, { defaultCountry: 'IN', batchSize: 10 });
    expect(result.imported).toBe(25);
    expect(writer.batches).toEqual([10, 10, 5]);
  });

  it('when the header has no phone column, then the whole file is a 400', async () => {
    await expect(
      importCsvRecords(itemsOf([['name'], ['Asha']]), memoryWriter(), { defaultCountry: 'IN', batchSize: 10 }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('no phone column'),
    });
  });

  it('when the file is empty, then it is a 400', async () => {
    await expect(
      importCsvRecords(itemsOf([]), memoryWriter(), { defaultCountry: 'IN', batchSize: 10 }),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('when writing a batch fails, then the import fails with that error and commits nothing', async () => {
    const writer = memoryWriter();
    const failing = { ...writer, write: () => Promise.reject(new Error('database gone')) };
    await expect(
      importCsvRecords(itemsOf([['phone'], ['9876543210']]), failing, { defaultCountry: 'IN', batchSize: 10 }),
    ).rejects.toThrow('database gone');
    expect(writer.table.size).toBe(0);
  });

  it('when the records fail part way, then nothing written before is committed', async () => {
    const writer = memoryWriter();
    async function* failingAfterOneBatch(): AsyncIterable<CsvItem> {
      yield* itemsOf([['phone'], ['9876543210'], ['9876543211']]);
      throw new Error('body over the limit');
    }
    await expect(
      importCsvRecords(failingAfterOneBatch(), writer, { defaultCountry: 'IN', batchSize: 1 }),
    ).rejects.toThrow('body over the limit');
    expect(writer.batches.length).toBeGreaterThan(0);
    expect(writer.table.size).toBe(0);
  });
});
