import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { parse, type CsvError, type Options } from 'csv-parse';
import { errorCodes } from 'fastify';
import { PayloadTooLargeError } from '@ektola/platform/http';
import type { CsvItem } from '../../domain/contact-import.ts';
import type { UploadRoomClaim } from './upload-room.ts';

/** A record (and so a cell or the header) the parser holds at most; a longer one makes the upload a 413. */
export const maxRecordBytes = 64 * 1024;
export const maxColumns = 1_000;

/**
 * Passes bytes through while hashing them (the upload's Idempotency-Key fingerprint) and refusing to
 * read past the limit, for bodies that arrive without a Content-Length, or past the room the
 * temporary directory has left for uploads.
 */
export function hashingLimiter(hash: Hash, limitBytes: number, room?: UploadRoomClaim): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limitBytes) return callback(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      try {
        room?.take(chunk.length);
      } catch (error) {
        return callback(error as Error);
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}

const isCsvError = (error: unknown): error is CsvError & { lines?: number } => {
  const code: unknown = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('CSV_');
};

export const uploadHash = () => createHash('sha256').update('POST /v1/contacts/upload\n');

const recordTooLong = (line: number | undefined) =>
  new PayloadTooLargeError(
    `the CSV record at line ${line ?? '?'} is longer than ${maxRecordBytes} bytes; nothing was imported`,
    [{ path: 'body', message: `line ${line ?? '?'} is longer than ${maxRecordBytes} bytes` }],
  );

const tooManyColumns = (count: number) =>
  new PayloadTooLargeError(`the CSV header has ${count} columns; at most ${maxColumns} are accepted`, [
    { path: 'body', message: `line 1 has ${count} columns, more than ${maxColumns}` },
  ]);

/**
 * CSV records with their line numbers, streamed from the spooled upload: a row the parser cannot read
 * (an unclosed quote) becomes an item with its error instead of failing the file. A record over
 * `maxRecordBytes` or a header over `maxColumns` fails the iteration (413), as does a failing source;
 * the parser never buffers more than one record, so memory stays flat whatever the file holds.
 */
export async function* csvRecords(source: Readable): AsyncGenerator<CsvItem> {
  const unreadable: CsvItem[] = [];
  const options: Options<unknown, string[]> = {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    max_record_size: maxRecordBytes,
    on_record: (record, context) => ({ line: context.lines, fields: record as string[] }),
    on_skip: (error: CsvError | undefined) => {
      // Skipping an over-long record would drop the rest of the chunk it sits in: the file fails instead.
      if (error?.code === 'CSV_MAX_RECORD_SIZE') throw recordTooLong((error as CsvError & { lines?: number }).lines);
      if (error)
        unreadable.push({
          line: (error as CsvError & { lines?: number }).lines ?? 0,
          error: `cannot be read as CSV: ${error.message}`,
        });
      return undefined;
    },
  };
  const parser = parse(options as Options);
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let header = true;
  try {
    for await (const item of parser as AsyncIterable<CsvItem>) {
      // The parser reports a skipped record as soon as it meets it, ahead of records it already
      // buffered; answering in line order keeps the header first.
      while (unreadable.length > 0 && unreadable[0]!.line < item.line) yield unreadable.shift()!;
      if (header && 'fields' in item && item.fields.length > maxColumns) throw tooManyColumns(item.fields.length);
      header = false;
      yield item;
    }
  } catch (error) {
    // A quote still open at the end of the file swallowed every line after it: that last record is
    // unreadable, the rows before it are fine.
    if (!isCsvError(error)) throw error;
    unreadable.push({ line: error.lines ?? 0, error: `cannot be read as CSV: ${error.message}` });
  } finally {
    source.destroy();
  }
  while (unreadable.length > 0) yield unreadable.shift()!;
}
