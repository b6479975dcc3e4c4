import { describe, expect, it } from 'vitest';
import { SendStats } from './send-stats.ts';

describe('SendStats', () => {
  it('counts accepted and rejected sends, duplicates per key and the busiest second per number', () => {
    const stats = new SendStats();
    for (const at of [0, 10, 20]) stats.attempted('p1', at);
    stats.accepted('p1', 'k1', 0);
    stats.accepted('p1', 'k1', 10);
    stats.accepted('p1', 'k2', 1_500);
    stats.rejected('p1', 130429);
    expect(stats.snapshot()).toEqual({
      accepted: 3,
      rejected: { 130429: 1 },
      rejectedTotal: 1,
      phoneNumbers: { p1: { attempts: 3, accepted: 3, rejected: 1, maxPerSecond: 2, maxAttemptsPerSecond: 3 } },
      messageKeys: { distinct: 2, duplicates: 1, repeated: { k1: 2 }, repeatedTruncated: false },
    });
    expect(stats.sendsOf('k1')).toBe(2);
  });

  it('lists at most the asked number of repeated keys but keeps the totals whole', () => {
    const stats = new SendStats();
    for (const key of ['a', 'a', 'b', 'b', 'b']) stats.accepted('p', key, 0);
    const snapshot = stats.snapshot(1);
    expect(snapshot.messageKeys).toEqual({ distinct: 2, duplicates: 3, repeated: { a: 2 }, repeatedTruncated: true });
  });
});
