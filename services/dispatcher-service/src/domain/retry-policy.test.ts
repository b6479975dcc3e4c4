import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs, retriesLeft } from './retry-policy.ts';

const policy = { retries: 3, baseMs: 60_000, maxMs: 600_000 };

describe('backoffMs', () => {
  it('when attempts grow, then the delay doubles between half and all of base × 2^(n-1), never above the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, random) => {
          const ceiling = Math.min(policy.baseMs * 2 ** (attempt - 1), policy.maxMs);
          const delay = backoffMs(policy, attempt, () => random);
          return delay >= Math.floor(ceiling / 2) && delay <= ceiling;
        },
      ),
    );
    expect(backoffMs(policy, 1, () => 0)).toBe(30_000);
    expect(backoffMs(policy, 3, () => 1)).toBe(240_000);
  });

  it('when the default 3 retries are used, then attempts 1 to 3 may retry and the 4th may not', () => {
    expect([1, 2, 3, 4].map((attempt) => retriesLeft(policy, attempt))).toEqual([true, true, true, false]);
  });
});
