import { invalid } from '@ektola/platform/errors';

/**
 * Opaque list cursors: the sort key of the last item returned. Clients only echo them back, so their
 * shape can change without breaking anyone; a tampered or foreign cursor is a 400 naming the query field.
 * Every list sorts by zero or more timestamps and then the item's id, so a position is checked part by
 * part before it reaches a query: a value PostgreSQL cannot cast would otherwise fail there as a 500.
 */
export function encodeCursor(position: readonly string[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const instant = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What `toISOString()` wrote: the round trip rules out dates such as February 31st. */
const isInstant = (part: string) => instant.test(part) && new Date(part).toISOString() === part;

function isPosition(position: unknown, size: number): position is string[] {
  if (!Array.isArray(position) || position.length !== size || !position.every((part) => typeof part === 'string'))
    return false;
  return position.every((part: string, index) => (index === size - 1 ? uuid.test(part) : isInstant(part)));
}

export function decodeCursor(cursor: string | undefined, size: number): string[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isPosition(position, size)) return position;
  } catch {
    // Falls through to the same answer as a well-formed cursor of the wrong shape.
  }
  throw invalid('the cursor is not one this API returned', [
    { path: 'querystring.cursor', message: 'is not a cursor from a previous page' },
  ]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Callers fetch one row more than the limit: its presence is what says another page exists. */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => readonly string[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
