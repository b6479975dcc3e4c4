import { describe, expect, it } from 'vitest';
import { simulatedClock } from './simulated-clock.ts';

describe('simulated clock', () => {
  it('when first read, then it reads the simulated instant exactly, and later it advances with real time', () => {
    let real = 1_000_000;
    const clock = simulatedClock(new Date('2026-03-06T04:00:00Z'), { now: () => new Date(real) });
    real += 5_000;
    expect(clock.now().toISOString()).toBe('2026-03-06T04:00:00.000Z');
    real += 30_000;
    expect(clock.now().toISOString()).toBe('2026-03-06T04:00:30.000Z');
  });
});
