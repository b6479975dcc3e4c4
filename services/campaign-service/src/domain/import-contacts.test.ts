import { describe, expect, it } from 'vitest';
import type { CsvItem } from './contact-import.ts';
import { importContacts } from './import-contacts.ts';

async function* itemsOf(rows: string[][], failAfter?: Error): AsyncIterable<CsvItem> {
  for (const [index, fields] of rows.entries()) yield { line: index + 1, fields };
  if (failAfter) throw failAfter;
}

/**
 * A staging area that records what happened to it; `discardFails` makes forgetting the batches fail
 * too, `appliedFails` the directory's taking in of an applied import.
 */
function staging(discardFails = false, appliedFails = false) {
  const log: string[] = [];
  const warnings: unknown[] = [];
  const deps = {
    contacts: {
      importStaging: () => ({
        stage: async (drafts: unknown[]) => void log.push(`stage ${drafts.length}`),
        apply: async () => (log.push('apply'), { imported: 2, updated: 0 }),
        discard: async () => {
          log.push('discard');
          if (discardFails) throw new Error('database gone');
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
  it('when the whole file arrives, then its batches are staged and applied once', async () => {
    const { deps, log } = staging();
    const result = await importContacts(deps, itemsOf([['phone'], ['9876543210'], ['9876543211']]), options);
    expect(result).toMatchObject({ imported: 2, rejectedCount: 0 });
    expect(log).toEqual(['stage 2', 'apply', 'applied 2']);
  });

  it('when a phone repeats in the file, then the directory hears of every contact the import changed', async () => {
    const { deps, log } = staging();
    const result = await importContacts(deps, itemsOf([['phone'], ['9876543210'], ['9876543210']]), options);
    expect(result).toMatchObject({ imported: 2, updated: 1 });
    expect(log).toEqual(['stage 1', 'apply', 'applied 3']);
  });

  it('when the directory cannot take in the applied import, then the import still stands and the failure is logged', async () => {
    const { deps, log, warnings } = staging(false, true);
    const result = await importContacts(deps, itemsOf([['phone'], ['9876543210']]), options);
    expect(result).toMatchObject({ imported: 2, rejectedCount: 0 });
    expect(log).toEqual(['stage 1', 'apply', 'applied 2']);
    expect(warnings).toEqual([
      expect.objectContaining({ err: expect.objectContaining({ message: 'statement timeout' }) }),
    ]);
  });

  it('when the upload fails part-way, then the staged batches are discarded, nothing is applied and the failure is the answer', async () => {
    const { deps, log } = staging();
    await expect(
      importContacts(deps, itemsOf([['phone'], ['9876543210']], new Error('body over the limit')), {
        ...options,
        batchSize: 1,
      }),
    ).rejects.toThrow('body over the limit');
    expect(log).toEqual(['stage 1', 'discard']);
  });

  it('when even discarding fails, then the upload still answers its own failure and the leftovers are logged for housekeeping', async () => {
    const { deps, log, warnings } = staging(true);
    await expect(importContacts(deps, itemsOf([['name']]), options)).rejects.toMatchObject({ kind: 'invalid' });
    expect(log).toEqual(['discard']);
    expect(warnings).toHaveLength(1);
  });
});
