import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { durationList, graceWindowEnv, parseDuration } from './grace-window.ts';

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['1m', 60_000],
    ['6h', 21_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['PT6H', 21_600_000],
    ['soon', undefined],
    ['10', undefined],
    ['', undefined],
  ])('when the duration is %j, then it reads as %j ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it('when SCHEDULER_GRACE_WINDOW is unset, then the grace window is 6 hours; when set, it is read as a duration', () => {
    const schema = z.object(graceWindowEnv);
    expect(schema.parse({}).SCHEDULER_GRACE_WINDOW).toBe(21_600_000);
    expect(schema.parse({ SCHEDULER_GRACE_WINDOW: '90m' }).SCHEDULER_GRACE_WINDOW).toBe(5_400_000);
    expect(schema.safeParse({ SCHEDULER_GRACE_WINDOW: '0s' }).success).toBe(false);
  });

  it('when a list of durations is read, then each is in milliseconds in the order given, and any bad item is named', () => {
    expect(durationList.parse('6h, 24h')).toEqual([21_600_000, 86_400_000]);
    expect(durationList.parse('100ms,300ms')).toEqual([100, 300]);
    const bad = durationList.safeParse('6h,soon,0s');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('"soon", "0s" must be positive durations, such as 6h,24h');
  });
});
