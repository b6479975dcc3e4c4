import { createHash, type Hash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse, type CsvError, type Options } from 'csv-parse';
import { errorCodes } from 'fastify';
import type { CsvItem } from '../../domain/contact-import.ts';

/**
 * Passes bytes through while hashing them (the upload's Idempotency-Key fingerprint) and refusing to
 * read past the limit, for bodies that arrive without a Content-Length.
 */
export function hashingLimiter(hash: Hash, limitBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limitBytes) return callback(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
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

/**
 * CSV records with their line numbers, streamed: a row the parser cannot read (an unclosed quote)
 * becomes an item with its error instead of failing the file. A failing source (a body over the
 * limit) ends the iteration with its error.
 */
export async function* csvRecords(source: Readable, through: Transform): AsyncGenerator<CsvItem> {
  const unreadable: CsvItem[] = [];
  const options: Options<unknown, string[]> = {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_record: (record, context) => ({ line: context.lines, fields: record as string[] }),
    on_skip: (error: CsvError | undefined) => {
      if (error) unreadable.push({ line: (error as CsvError & { lines?: number }).lines ?? 0, error: `cannot be read as CSV: ${error.message}` });
      return undefined;
    },
  };
  const parser = parse(options as Options);
  pipeline(source, through, parser, () => undefined);
  try {
    for await (const item of parser as AsyncIterable<CsvItem>) {
      // The parser reports a skipped record as soon as it meets it, ahead of records it already
      // buffered; answering in line order keeps the header first.
      while (unreadable.length > 0 && unreadable[0]!.line < item.line) yield unreadable.shift()!;
      yield item;
    }
  } catch (error) {
    // A quote still open at the end of the file swallowed every line after it: that last record is
    // unreadable, the rows before it are fine.
    if (!isCsvError(error)) throw error;
    unreadable.push({ line: error.lines ?? 0, error: `cannot be read as CSV: ${error.message}` });
  }
  while (unreadable.length > 0) yield unreadable.shift()!;
}
