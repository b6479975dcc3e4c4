import type { CountryCode } from 'libphonenumber-js';
import { invalid } from '@ektola/platform/errors';
import { contactFromRow, csvLayout, mergeDrafts, type ContactDraft } from './contact-row.ts';

/** One parsed CSV record, or a record the parser could not read (an unclosed quote), with its line. */
export type CsvItem = { line: number; fields: string[] } | { line: number; error: string };

/**
 * One import's writes: each batch is upserted by phone, in order, in one transaction that nobody else
 * sees before `commit`. It is begun once the whole file has arrived, so it lasts as long as reading and
 * writing the file take, not as long as a slow client takes to send it.
 */
export interface ContactImportTransaction {
  /** Upserts a batch; every phone in a batch is distinct. */
  write(drafts: ContactDraft[]): Promise<void>;
  /** Makes every batch written visible at once; answers how many contacts were new and how many changed. */
  commit(): Promise<{ imported: number; updated: number }>;
  /** Undoes the batches of an import that failed or was refused. */
  rollback(): Promise<void>;
}

export interface ImportResult {
  imported: number;
  updated: number;
  /** The first `maxListedRejects` rejected rows; `rejectedCount` counts them all. */
  rejected: Array<{ line: number; reason: string }>;
  rejectedCount: number;
}

export const maxListedRejects = 1_000;

/**
 * Streams CSV records into contacts: a bad row is rejected with its line and the rest import. One
 * batch is written while the next is parsed, so reading the file and writing rows overlap, and
 * memory holds at most two batches whatever the file's size. The import commits only once the file
 * was read to its end, so a failed or refused upload changes no contact.
 */
export async function importCsvRecords(
  records: AsyncIterable<CsvItem>,
  contacts: ContactImportTransaction,
  options: { defaultCountry: CountryCode; batchSize: number },
): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, updated: 0, rejected: [], rejectedCount: 0 };
  const reject = (line: number, reason: string) => {
    result.rejectedCount += 1;
    if (result.rejected.length < maxListedRejects) result.rejected.push({ line, reason });
  };

  let layout: ReturnType<typeof csvLayout> | undefined;
  let batch = new Map<string, ContactDraft>();
  let writing: Promise<void> = Promise.resolve();

  const flush = async () => {
    const drafts = [...batch.values()];
    batch = new Map();
    await writing;
    writing = contacts.write(drafts);
    // Handled here so a write failing while the next rows are read is no unhandled rejection (which ends
    // the process); the next flush, or the end of the file, awaits it and throws that failure.
    writing.catch(() => undefined);
  };

  for await (const record of records) {
    if ('error' in record) {
      if (!layout) throw invalid('the CSV header row cannot be read', [{ path: 'body', message: record.error }]);
      reject(record.line, record.error);
      continue;
    }
    if (!layout) {
      layout = csvLayout(record.fields);
      if (!layout.ok)
        throw invalid(`the CSV cannot be imported: ${layout.problem}`, [{ path: 'body', message: layout.problem }]);
      continue;
    }
    if (!layout.ok) continue;
    const row = contactFromRow(layout.layout, record.fields, options.defaultCountry);
    if (!row.ok) {
      reject(record.line, row.reason);
      continue;
    }
    const earlier = batch.get(row.contact.phone);
    if (earlier) {
      // The second row for a phone updates the contact the first one created or updated.
      result.updated += 1;
      batch.set(row.contact.phone, mergeDrafts(earlier, row.contact));
    } else {
      batch.set(row.contact.phone, row.contact);
    }
    if (batch.size >= options.batchSize) await flush();
  }
  if (!layout)
    throw invalid('the CSV is empty; its first row must be a header with a phone column', [
      { path: 'body', message: 'is empty' },
    ]);
  if (batch.size > 0) await flush();
  await writing;
  const counts = await contacts.commit();
  result.imported += counts.imported;
  result.updated += counts.updated;
  return result;
}
