import { describe, expect, it } from 'vitest';
import { PairRateLimit } from './pair-rate-limit.ts';

describe('PairRateLimit', () => {
  it('when a user is messaged twice within the interval, then the second is refused', () => {
    const pairs = new PairRateLimit({ intervalMs: 6_000, burst: 1 });
    expect(pairs.tryAcquire('p:1', 0)).toBe(true);
    expect(pairs.tryAcquire('p:1', 5_999)).toBe(false);
    expect(pairs.tryAcquire('p:1', 6_000)).toBe(true);
  });

  it('when another user is messaged, then the first pair does not matter', () => {
    const pairs = new PairRateLimit({ intervalMs: 6_000, burst: 1 });
    expect(pairs.tryAcquire('p:1', 0)).toBe(true);
    expect(pairs.tryAcquire('p:2', 0)).toBe(true);
  });

  it('when bursts are allowed, then they are paid back from later quota', () => {
    const pairs = new PairRateLimit({ intervalMs: 1_000, burst: 3 });
    expect([0, 0, 0, 0].map((at) => pairs.tryAcquire('p:1', at))).toEqual([true, true, true, false]);
    expect(pairs.tryAcquire('p:1', 999)).toBe(false);
    expect(pairs.tryAcquire('p:1', 1_000)).toBe(true);
    expect(pairs.tryAcquire('p:1', 1_000)).toBe(false);
  });

  it('when the interval is 0, then nothing is limited', () => {
    const pairs = new PairRateLimit({ intervalMs: 0, burst: 1 });
    expect([0, 0, 0].every((at) => pairs.tryAcquire('p:1', at))).toBe(true);
  });

  it('forgets pairs whose bucket has refilled, and only those', () => {
    const pairs = new PairRateLimit({ intervalMs: 1_000, burst: 1 });
    pairs.tryAcquire('old', 0);
    pairs.tryAcquire('recent', 900);
    expect(pairs.prune(1_000)).toBe(1);
    expect(pairs.size).toBe(1);
    expect(pairs.tryAcquire('recent', 1_000)).toBe(false);
  });
});
