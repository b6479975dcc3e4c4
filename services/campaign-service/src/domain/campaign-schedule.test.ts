import { describe, expect, it } from 'vitest';
import { nextRunAt, unrunnableProblem, unscheduledPeriodProblem } from './campaign-schedule.ts';

const hour = 3_600_000;
const now = new Date('2026-03-05T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * hour);
const schedule = (fields: { recurrence: 'ONCE' | 'DAILY' | 'WEEKLY' | 'MONTHLY'; startAt: Date; endAt?: Date }) => ({
  timezone: 'UTC',
  endAt: null,
  lastRun: null,
  ...fields,
});

describe('unrunnableProblem', () => {
  it('when a ONCE campaign was due 10 hours ago, then it could never run and the reason names the grace window', () => {
    expect(unrunnableProblem(schedule({ recurrence: 'ONCE', startAt: ago(10) }), now, 6 * hour)).toMatchObject({
      kind: 'conflict',
      code: 'campaign_not_schedulable',
      message: expect.stringMatching(/once.*2026-03-05T02:00:00.000Z.*grace window of 6 h/),
    });
  });

  it('when a ONCE campaign was due within the grace window, then it can still run', () => {
    expect(unrunnableProblem(schedule({ recurrence: 'ONCE', startAt: ago(5) }), now, 6 * hour)).toBeUndefined();
  });

  it('when every period left lies after endAt, then it could never run and the reason names endAt', () => {
    const ended = schedule({ recurrence: 'DAILY', startAt: ago(72), endAt: ago(30) });
    expect(unrunnableProblem(ended, now, 6 * hour)?.message).toContain('endAt (2026-03-04T06:00:00.000Z)');
  });

  it('when a daily campaign missed today, then tomorrow still runs', () => {
    expect(unrunnableProblem(schedule({ recurrence: 'DAILY', startAt: ago(10) }), now, 6 * hour)).toBeUndefined();
    expect(nextRunAt(schedule({ recurrence: 'DAILY', startAt: ago(10) }), now, 6 * hour)).toEqual(
      new Date('2026-03-06T02:00:00Z'),
    );
  });
});

describe('unscheduledPeriodProblem', () => {
  it('when the period is not one the schedule produces, then it is invalid naming periodKey', () => {
    const daily = schedule({ recurrence: 'DAILY', startAt: ago(10) });
    expect(unscheduledPeriodProblem(daily, { periodKey: '2026-03-05', scheduledFor: ago(10) })).toBeUndefined();
    expect(unscheduledPeriodProblem(daily, { periodKey: 'p1', scheduledFor: ago(10) })).toMatchObject({
      kind: 'invalid',
      details: [{ path: 'periodKey' }],
    });
  });
});
