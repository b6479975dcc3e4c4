import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { graceWindowEnv, parseDuration } from './grace-window.ts';

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
});
