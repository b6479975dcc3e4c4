import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './cursor.ts';

describe('cursors', () => {
  const id = '0b6f1c2e-5d4a-4c3b-9a8f-7e6d5c4b3a21';

  it('when a position is encoded, then it decodes to the same position', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', id]), 2)).toEqual(['2026-01-01T00:00:00.000Z', id]);
  });

  it.each([
    '%%%',
    encodeCursor(['one']),
    Buffer.from('{"a":1}').toString('base64url'),
    encodeCursor(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
    encodeCursor(['2026-02-31T00:00:00.000Z', id]),
    encodeCursor(['yesterday', id]),
    encodeCursor([id, '2026-01-01T00:00:00.000Z']),
  ])('when the cursor is %s, then it is a 400 on querystring.cursor', (cursor) => {
    expect(() => decodeCursor(cursor, 2)).toThrow(
      expect.objectContaining({ kind: 'invalid', details: [expect.objectContaining({ path: 'querystring.cursor' })] }),
    );
  });

  it('when there is one row more than the limit, then the page has a next cursor at its last item', () => {
    const ids = [
      '0b6f1c2e-5d4a-4c3b-9a8f-7e6d5c4b3a21',
      '1b6f1c2e-5d4a-4c3b-9a8f-7e6d5c4b3a21',
      '2b6f1c2e-5d4a-4c3b-9a8f-7e6d5c4b3a21',
    ];
    const page = pageOf(ids, 2, (row) => [row]);
    expect(page.items).toEqual(ids.slice(0, 2));
    expect(decodeCursor(page.nextCursor ?? undefined, 1)).toEqual([ids[1]]);
    expect(pageOf(ids.slice(0, 2), 2, (row) => [row]).nextCursor).toBeNull();
  });
});
