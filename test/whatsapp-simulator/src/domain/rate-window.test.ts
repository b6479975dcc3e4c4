import { describe, expect, it } from 'vitest';
import { SlidingPeak, SlidingWindowLimiter } from './rate-window.ts';

describe('SlidingWindowLimiter', () => {
  it('when a burst arrives at once, then exactly the limit is admitted', () => {
    const limiter = new SlidingWindowLimiter(80);
    const admitted = Array.from({ length: 500 }, () => limiter.tryAcquire(1_000)).filter(Boolean).length;
    expect(admitted).toBe(80);
  });

  it('when the oldest admission leaves the window, then one more fits, not a whole new second', () => {
    const limiter = new SlidingWindowLimiter(3);
    expect([0, 100, 200].map((at) => limiter.tryAcquire(at))).toEqual([true, true, true]);
    expect(limiter.tryAcquire(999)).toBe(false);
    expect(limiter.tryAcquire(1_000)).toBe(true);
    expect(limiter.tryAcquire(1_000)).toBe(false);
    expect(limiter.tryAcquire(1_100)).toBe(true);
  });

  it('when admissions are spread over time, then no one-second window ever holds more than the limit', () => {
    const limiter = new SlidingWindowLimiter(10);
    const peak = new SlidingPeak();
    for (let at = 0; at < 5_000; at += 7) if (limiter.tryAcquire(at)) peak.record(at);
    expect(peak.peak).toBe(10);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new SlidingWindowLimiter(0)).toThrow(RangeError);
  });
});

describe('SlidingPeak', () => {
  it('when events cross calendar seconds, then the busiest sliding second is found', () => {
    const peak = new SlidingPeak();
    for (const at of [900, 950, 1_000, 1_050, 1_800, 2_500]) peak.record(at);
    expect(peak.peak).toBe(5);
  });

  it('keeps counting correctly over a long run', () => {
    const peak = new SlidingPeak();
    for (let at = 0; at < 100_000; at += 1) peak.record(at);
    expect(peak.peak).toBe(1_000);
  });
});
