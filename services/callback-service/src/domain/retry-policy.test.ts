import { describe, expect, it } from 'vitest';
import { defaultRetrySchedule, nextRetryDelayMs, parseSchedule, verdictOf } from './retry-policy.ts';

const answered = (status: number) => ({ kind: 'answered' as const, status, latencyMs: 1 });

describe('verdictOf', () => {
  it.each([
    [200, 'succeeded'],
    [204, 'succeeded'],
    [410, 'gone'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'rejected'],
    [404, 'rejected'],
    [301, 'rejected'],
  ])('when the receiver answers %i, then the attempt is %s', (status, verdict) => {
    expect(verdictOf(answered(status))).toBe(verdict);
  });

  it('when no answer came (timeout, refused), then the attempt is retried', () => {
    expect(verdictOf({ kind: 'no_answer', error: 'timeout', latencyMs: 10_000 })).toBe('retry');
  });
});

describe('nextRetryDelayMs', () => {
  it('when the default schedule is followed to its end, then retries span more than 24 hours and then stop', () => {
    const delays = defaultRetrySchedule.map((_, index) => nextRetryDelayMs(index + 1, defaultRetrySchedule, () => 0));
    expect(delays.every((delay) => delay !== null)).toBe(true);
    const total = delays.reduce<number>((sum, delay) => sum + (delay ?? 0), 0);
    expect(total).toBeGreaterThan(24 * 3_600_000);
    expect(nextRetryDelayMs(defaultRetrySchedule.length + 1, defaultRetrySchedule, () => 0.5)).toBeNull();
  });

  it('when jitter is drawn, then the delay stays within 10 % of the step', () => {
    expect(nextRetryDelayMs(1, [5_000], () => 0)).toBe(4_500);
    expect(nextRetryDelayMs(1, [5_000], () => 1)).toBe(5_500);
    expect(nextRetryDelayMs(1, [5_000], () => 0.5)).toBe(5_000);
  });
});

describe('parseSchedule', () => {
  it('when durations are listed, then they become milliseconds', () => {
    expect(parseSchedule('200ms, 5s,5m,2h')).toEqual([200, 5_000, 300_000, 7_200_000]);
  });

  it('when a part is not a duration, then the schedule is refused', () => {
    expect(parseSchedule('5s,soon')).toBeNull();
    expect(parseSchedule('0s')).toBeNull();
  });
});
