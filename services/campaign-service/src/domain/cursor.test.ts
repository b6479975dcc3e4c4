import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './cursor.ts';

describe('cursors', () => {
  it('when a position is encoded, then it decodes to the same position', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', 'abc']), 2)).toEqual(['2026-01-01T00:00:00.000Z', 'abc']);
  });

  it.each(['%%%', encodeCursor(['one']), Buffer.from('{"a":1}').toString('base64url')])('when the cursor is %s, then it is a 400 on querystring.cursor', (cursor) => {
    expect(() => decodeCursor(cursor, 2)).toThrow(expect.objectContaining({ kind: 'invalid', details: [expect.objectContaining({ path: 'querystring.cursor' })] }));
  });

  it('when there is one row more than the limit, then the page has a next cursor at its last item', () => {
    const page = pageOf(['a', 'b', 'c'], 2, (row) => [row]);
    expect(page.items).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor ?? undefined, 1)).toEqual(['b']);
    expect(pageOf(['a', 'b'], 2, (row) => [row]).nextCursor).toBeNull();
  });
});
