import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from '@ektola/platform/logger';
import { importCsvRecords, type CsvItem, type ImportResult } from './contact-import.ts';
import type { ContactDirectory } from './ports.ts';

/**
 * An operator uploads a CSV of contacts. Its rows are staged batch by batch while the file arrives and
 * applied in one transaction once it has all arrived; an upload that fails or is refused part-way
 * changes no contact, and its staged batches are forgotten (or left for housekeeping when even that fails).
 * Once applied, the directory is told how many contacts changed; the import stands even if that fails.
 */
export async function importContacts(
  deps: { contacts: Pick<ContactDirectory, 'importStaging' | 'importApplied'>; logger: Pick<Logger, 'warn'> },
  records: AsyncIterable<CsvItem>,
  options: { defaultCountry: CountryCode; batchSize: number },
): Promise<ImportResult> {
  const staging = deps.contacts.importStaging();
  let result: ImportResult;
  try {
    result = await importCsvRecords(records, staging, options);
  } catch (error) {
    await staging
      .discard()
      .catch((discardError: unknown) =>
        deps.logger.warn({ err: discardError }, 'staged import batches left for housekeeping'),
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
