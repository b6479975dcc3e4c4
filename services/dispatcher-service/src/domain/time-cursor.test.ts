import { describe, expect, it } from 'vitest';
import { isDomainError } from '@ektola/platform/errors';
import { decodeTimeCursor, encodeTimeCursor, timePage } from './time-cursor.ts';

describe('time cursors', () => {
  it('when a position is encoded, then decoding the token gives it back', () => {
    const at = new Date('2026-12-02T10:11:12.345Z');
    expect(decodeTimeCursor(encodeTimeCursor({ at, id: 'wamid.ABC' }), 'page_token')).toEqual({ at, id: 'wamid.ABC' });
  });

  it('when the token is empty, then the listing starts at the beginning', () => {
    expect(decodeTimeCursor('', 'page_token')).toBeUndefined();
  });

  it.each([
    ['not base64 json', 'zz!'],
    ['a foreign shape', Buffer.from(JSON.stringify({ at: 1 })).toString('base64url')],
    ['an impossible date', Buffer.from(JSON.stringify(['2026-02-31T00:00:00.000Z', 'x'])).toString('base64url')],
    ['an empty id', Buffer.from(JSON.stringify(['2026-02-01T00:00:00.000Z', ''])).toString('base64url')],
  ])('when the token is %s, then it is refused naming the field', (_, token) => {
    try {
      decodeTimeCursor(token, 'page_token');
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.kind).toBe('invalid');
      expect(isDomainError(error) && error.details).toEqual([
        { path: 'page_token', message: 'is not a token from a previous page' },
      ]);
    }
  });

  it('when one row more than the limit came back, then the page ends at the last kept row and says more exist', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n * 1000), id: `m${n}` }));
    const page = timePage(rows, 2, (row) => row);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeTimeCursor(page.nextPageToken, 'page_token')).toEqual({ at: new Date(2000), id: 'm2' });
    expect(timePage(rows, 3, (row) => row).nextPageToken).toBe('');
  });
});
