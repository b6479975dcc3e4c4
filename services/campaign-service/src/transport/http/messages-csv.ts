import type { ExportedMessage } from '../../domain/export-run-messages.ts';

export const messagesCsvHeader = [
  'message_id',
  'contact_id',
  'phone',
  'name',
  'status',
  'reason',
  'error_code',
  'error_title',
  'category',
  'billable',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
] as const;

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (or DDE command); a leading `'`
 * makes it text. Applied to free text only: phone numbers are validated E.164 and keep their `+`.
 */
const formulaStart = /^[=+\-@\t\r]/;
export const textCell = (value: string) => (formulaStart.test(value) ? `'${value}` : value);

/** RFC 4180: a field holding a quote, comma or line break is quoted, its quotes doubled. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export const csvLine = (cells: readonly string[]) => `${cells.map(field).join(',')}\r\n`;

export function messageCsvLine(message: ExportedMessage): string {
  return csvLine([
    message.id,
    message.contactId,
    message.phone,
    textCell(message.name),
    message.status,
    // Why it was skipped, or why a PENDING one waits (outside_send_window).
    message.skipReason || (message.status === 'PENDING' ? message.waitingReason : ''),
    message.errorCode ? String(message.errorCode) : '',
    textCell(message.errorTitle || (message.errorCode ? message.errorMessage : '')),
    message.category,
    message.billable ? 'true' : 'false',
    message.sentAt,
    message.deliveredAt,
    message.readAt,
    message.failedAt,
  ]);
}

/** The CSV text of an export, one chunk per batch, produced only as fast as it is read. */
export async function* messagesCsv(batches: AsyncIterable<ExportedMessage[]>): AsyncGenerator<string> {
  yield csvLine(messagesCsvHeader);
  for await (const batch of batches) yield batch.map(messageCsvLine).join('');
}
