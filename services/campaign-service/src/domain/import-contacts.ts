import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from '@ektola/platform/logger';
import { importCsvRecords, type CsvItem, type ImportResult } from './contact-import.ts';
import type { ContactDirectory } from './ports.ts';

/**
 * An operator uploads a CSV of contacts, which has arrived whole. Its rows are written batch by batch
 * in one transaction as they are read, and committed at the end; an upload that fails or is refused
 * part-way changes no contact (its transaction is rolled back, or ends with its connection when even
 * that fails). Once committed, the directory is told how many contacts changed; the import stands
 * even if that fails.
 */
export async function importContacts(
  deps: { contacts: Pick<ContactDirectory, 'beginImport' | 'importApplied'>; logger: Pick<Logger, 'warn'> },
  records: AsyncIterable<CsvItem>,
  options: { defaultCountry: CountryCode; batchSize: number },
): Promise<ImportResult> {
  const transaction = deps.contacts.beginImport();
  let result: ImportResult;
  try {
    result = await importCsvRecords(records, transaction, options);
  } catch (error) {
    await transaction
      .rollback()
      .catch((rollbackError: unknown) =>
        deps.logger.warn({ err: rollbackError }, 'the import could not be rolled back; it ends with its connection'),
      );
    throw error;
  }
  await deps.contacts
    .importApplied(result.imported + result.updated)
    .catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'contacts imported; the directory could not take in their new shape'),
    );
  return result;
}
