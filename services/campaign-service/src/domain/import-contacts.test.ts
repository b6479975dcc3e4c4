import { describe, expect, it } from 'vitest';
import type { CsvItem } from './contact-import.ts';
import { importContacts } from './import-contacts.ts';

async function* itemsOf(rows: string[][], failAfter?: Error): AsyncIterable<CsvItem> {
  for (const [index, fields] of rows.entries()) yield { line: index + 1, fields };
  if (failAfter) throw failAfter;
}

/**
 * An import transaction that records what happened to it; `rollbackFails` makes rolling it back fail
 * too, `appliedFails` the directory's taking in of a committed import.
 */
function transaction(rollbackFails = false, appliedFails = false) {
  const log: string[] = [];
  const warnings: unknown[] = [];
  const deps = {
    contacts: {
      beginImport: () => ({
        write: async (drafts: unknown[]) => void log.push(`write ${drafts.length}`),
        commit: async () => (log.push('commit'), { imported: 2, updated: 0 }),
        rollback: async () => {
          log.push('rollback');
          if (rollbackFails) throw new Error('database gone');
        },
      }),
      importApplied: async (changed: number) => {
        log.push(`applied ${changed}`);
        if (appliedFails) throw new Error('statement timeout');
      },
    },
    logger: { warn: (details: unknown) => void warnings.push(details) },
  };
  return { deps, log, warnings };
}

const options = { defaultCountry: 'IN' as const, batchSize: 10 };

describe('importContacts', () => {
  it('when the whole file arrives, then its batches are written and committed once', async () => {
    const { deps, log } = transaction();
    const result = await importContacts(deps, itemsOf([['phone'], ['9876543210'], ['9876543211']]), options);
    expect(result).toMatchObject({ imported: 2, rejectedCount: 0 });
    expect(log).toEqual(['write 2', 'commit', 'applied 2']);
  });

  it('when a phone repeats in the file, then the directory hears of every contact the import changed', async () => {
    const { deps, log } = transaction();
    const result = await importContacts(deps, itemsOf([['phone'], ['9876543210'], ['9876543210']]), options);
    expect(result).toMatchObject({ imported: 2, updated: 1 });
    expect(log).toEqual(['write 1', 'commit', 'applied 3']);
  });

  it('when the directory cannot take in the committed import, then the import still stands and the failure is logged', async () => {
    const { deps, log, warnings } = transaction(false, true);
    const result = await importContacts(deps, itemsOf([['phone'], ['9876543210']]), options);
    expect(result).toMatchObject({ imported: 2, rejectedCount: 0 });
    expect(log).toEqual(['write 1', 'commit', 'applied 2']);
    expect(warnings).toEqual([
      expect.objectContaining({ err: expect.objectContaining({ message: 'statement timeout' }) }),
    ]);
  });

  it('when the upload fails part-way, then its transaction is rolled back, nothing is committed and the failure is the answer', async () => {
    const { deps, log } = transaction();
    await expect(
      importContacts(deps, itemsOf([['phone'], ['9876543210']], new Error('body over the limit')), {
        ...options,
        batchSize: 1,
      }),
    ).rejects.toThrow('body over the limit');
    expect(log).toEqual(['write 1', 'rollback']);
  });

  it('when even the rollback fails, then the upload still answers its own failure and that failure is logged too', async () => {
    const { deps, log, warnings } = transaction(true);
    await expect(importContacts(deps, itemsOf([['name']]), options)).rejects.toMatchObject({ kind: 'invalid' });
    expect(log).toEqual(['rollback']);
    expect(warnings).toHaveLength(1);
  });
});
