import { invalid } from '@ektola/platform/errors';
import type { TimeCursor } from './ports.ts';

const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A page token for a listing in (time, id) order: the last entry's time, to the millisecond, and id. */
export const encodeTimeCursor = (cursor: TimeCursor): string =>
  Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString('base64url');

/** The position a page token names; a token this service did not write is refused naming `field`. */
export function decodeTimeCursor(token: string, field: string): TimeCursor | undefined {
  if (token === '') return undefined;
  try {
    const position: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(position) &&
      position.length === 2 &&
      typeof position[0] === 'string' &&
      typeof position[1] === 'string' &&
      position[1] !== '' &&
      instant.test(position[0]) &&
      new Date(position[0]).toISOString() === position[0]
    )
      return { at: new Date(position[0]), id: position[1] };
  } catch {
    // Falls through to the answer a well-formed token of the wrong shape gets.
  }
  throw invalid(`${field} is not a token from a previous page`, [
    { path: field, message: 'is not a token from a previous page' },
  ]);
}

/** Callers fetch one entry more than the limit: its presence says another page exists. */
export function timePage<T>(rows: T[], limit: number, positionOf: (row: T) => TimeCursor) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextPageToken: rows.length > limit && last ? encodeTimeCursor(positionOf(last)) : '' };
}
