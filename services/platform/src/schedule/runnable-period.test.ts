import { describe, expect, it } from 'vitest';
import { isScheduledPeriod, nextRunnablePeriod } from './runnable-period.ts';

const hour = 60 * 60 * 1000;
const grace = { graceWindowMs: 6 * hour };
const at = (iso: string) => new Date(iso);
const now = at('2026-03-05T12:00:00Z');

describe('nextRunnablePeriod', () => {
  it('when a ONCE campaign starts in the future, then its one occurrence is next', () => {
    expect(
      nextRunnablePeriod({ recurrence: 'ONCE', timezone: 'UTC', startAt: at('2026-03-05T13:00:00Z') }, now, grace),
    ).toEqual({
      periodKey: 'once',
      scheduledFor: at('2026-03-05T13:00:00Z'),
    });
  });

  it('when a ONCE campaign was due within the grace window and has not run, then it is still next (the next pass runs it)', () => {
    expect(
      nextRunnablePeriod({ recurrence: 'ONCE', timezone: 'UTC', startAt: at('2026-03-05T07:00:00Z') }, now, grace)
        ?.periodKey,
    ).toBe('once');
  });

  it('when a ONCE campaign was due 10 hours ago, then nothing can run any more', () => {
    expect(
      nextRunnablePeriod({ recurrence: 'ONCE', timezone: 'UTC', startAt: at('2026-03-05T02:00:00Z') }, now, grace),
    ).toBeUndefined();
  });

  it('when a ONCE campaign already ran, then nothing is next', () => {
    const ran = {
      recurrence: 'ONCE' as const,
      timezone: 'UTC',
      startAt: at('2026-03-05T11:00:00Z'),
      lastPeriodKey: 'once',
    };
    expect(nextRunnablePeriod(ran, now, grace)).toBeUndefined();
  });

  it("when today's daily occurrence is past the grace window, then tomorrow's is next", () => {
    const daily = { recurrence: 'DAILY' as const, timezone: 'Asia/Kolkata', startAt: at('2026-03-01T00:30:00Z') };
    expect(nextRunnablePeriod(daily, now, grace)).toEqual({
      periodKey: '2026-03-06',
      scheduledFor: at('2026-03-06T00:30:00Z'),
    });
  });

  it('when runs exist for periods after now, then the next period is the first without a run', () => {
    const ahead = {
      recurrence: 'DAILY' as const,
      timezone: 'UTC',
      startAt: at('2026-03-06T09:00:00Z'),
      lastPeriodKey: '2026-03-07',
      lastScheduledFor: at('2026-03-07T09:00:00Z'),
    };
    expect(nextRunnablePeriod(ahead, now, grace)).toEqual({
      periodKey: '2026-03-08',
      scheduledFor: at('2026-03-08T09:00:00Z'),
    });
  });

  it('when the next daily occurrence lies after endAt, then nothing can run', () => {
    const ended = {
      recurrence: 'DAILY' as const,
      timezone: 'UTC',
      startAt: at('2026-03-01T00:30:00Z'),
      endAt: at('2026-03-05T12:00:00Z'),
    };
    expect(nextRunnablePeriod(ended, now, grace)).toBeUndefined();
  });
});

describe('isScheduledPeriod', () => {
  const weekly = {
    recurrence: 'WEEKLY' as const,
    timezone: 'Europe/London',
    startAt: at('2026-03-02T09:00:00Z'),
    endAt: at('2026-04-30T00:00:00Z'),
  };

  it('when the key and instant are an occurrence of the schedule, then it is scheduled', () => {
    expect(isScheduledPeriod(weekly, { periodKey: '2026-W10', scheduledFor: at('2026-03-02T09:00:00Z') })).toBe(true);
    // British Summer Time: 09:00 local is 08:00Z.
    expect(isScheduledPeriod(weekly, { periodKey: '2026-W14', scheduledFor: at('2026-03-30T08:00:00Z') })).toBe(true);
  });

  it('when the key, the instant or the end do not match the schedule, then it is not', () => {
    expect(isScheduledPeriod(weekly, { periodKey: 'p1', scheduledFor: at('2026-03-02T09:00:00Z') })).toBe(false);
    expect(isScheduledPeriod(weekly, { periodKey: '2026-W10', scheduledFor: at('2026-03-02T10:00:00Z') })).toBe(false);
    expect(isScheduledPeriod(weekly, { periodKey: '2026-W09', scheduledFor: at('2026-02-23T09:00:00Z') })).toBe(false);
    expect(isScheduledPeriod(weekly, { periodKey: '2026-W19', scheduledFor: at('2026-05-04T08:00:00Z') })).toBe(false);
  });

  it('when a ONCE campaign is asked about its one period, then only once at startAt is scheduled', () => {
    const once = { recurrence: 'ONCE' as const, timezone: 'UTC', startAt: at('2026-03-02T09:00:00Z') };
    expect(isScheduledPeriod(once, { periodKey: 'once', scheduledFor: at('2026-03-02T09:00:00Z') })).toBe(true);
    expect(isScheduledPeriod(once, { periodKey: 'once', scheduledFor: at('2026-03-03T09:00:00Z') })).toBe(false);
  });
});
