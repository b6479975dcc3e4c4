import { describe, expect, it } from 'vitest';
import { decideDuePeriod, defaultGraceWindowMs, type CampaignSchedule, type PeriodDecision } from './due-period.ts';

const at = (iso: string) => new Date(iso);
const hours = (n: number) => n * 60 * 60 * 1000;

const campaign = (
  overrides: Partial<CampaignSchedule> & Pick<CampaignSchedule, 'recurrence' | 'timezone' | 'startAt'>,
): CampaignSchedule => ({
  id: 'c1',
  status: 'ACTIVE',
  ...overrides,
});

const decide = (subject: CampaignSchedule, now: string, graceWindowMs = defaultGraceWindowMs): PeriodDecision =>
  decideDuePeriod(subject, at(now), { graceWindowMs });

/** The due period as plain strings, so each table row reads as key and UTC instant. */
const due = (decision: PeriodDecision) =>
  decision.outcome === 'due'
    ? { key: decision.period.periodKey, at: decision.period.scheduledFor.toISOString() }
    : decision;

interface Row {
  now: string;
  key: string;
  /** The due instant in UTC. */
  utc: string;
}

/** Runs a campaign through `rows` in order, recording each run as the campaign-service would. */
function expectDueInOrder(subject: CampaignSchedule, rows: Row[]) {
  let state = subject;
  for (const row of rows) {
    expect(due(decide(state, row.now)), `at ${row.now}`).toEqual({ key: row.key, at: row.utc });
    state = { ...state, lastPeriodKey: row.key, lastScheduledFor: at(row.utc) };
    expect(decide(state, row.now).outcome, `right after the run at ${row.now}`).toBe('not_due');
  }
}

describe('ONCE', () => {
  const once = campaign({ recurrence: 'ONCE', timezone: 'Asia/Kolkata', startAt: at('2026-03-05T03:30:00Z') });

  it('when now is before startAt, then nothing is due and the start is the next instant', () => {
    expect(decide(once, '2026-03-05T03:29:59.999Z')).toEqual({
      outcome: 'not_due',
      reason: 'not_started',
      nextAt: at('2026-03-05T03:30:00Z'),
    });
  });

  it('when now reaches startAt, then the single period "once" is due at startAt', () => {
    expect(due(decide(once, '2026-03-05T03:30:00Z'))).toEqual({ key: 'once', at: '2026-03-05T03:30:00.000Z' });
    expect(due(decide(once, '2026-03-05T05:00:00Z'))).toEqual({ key: 'once', at: '2026-03-05T03:30:00.000Z' });
  });

  it('when its run exists, then it has ended', () => {
    expect(decide({ ...once, lastPeriodKey: 'once' }, '2026-03-05T03:31:00Z')).toEqual({
      outcome: 'not_due',
      reason: 'ended',
    });
  });

  it('when the scheduler comes back more than the grace window after startAt, then the period is skipped', () => {
    expect(decide(once, '2026-03-05T09:30:00.001Z')).toMatchObject({
      outcome: 'skipped',
      reason: 'outside_grace_window',
      period: { periodKey: 'once' },
      lateByMs: hours(6) + 1,
    });
  });
});

describe('DAILY', () => {
  it("when each day's local start time arrives, then that day's period is due at it", () => {
    const daily = campaign({ recurrence: 'DAILY', timezone: 'Asia/Kolkata', startAt: at('2026-03-01T03:30:00Z') });
    expectDueInOrder(daily, [
      { now: '2026-03-01T03:30:00Z', key: '2026-03-01', utc: '2026-03-01T03:30:00.000Z' },
      { now: '2026-03-02T03:30:00Z', key: '2026-03-02', utc: '2026-03-02T03:30:00.000Z' },
      { now: '2026-03-03T04:10:00Z', key: '2026-03-03', utc: '2026-03-03T03:30:00.000Z' },
    ]);
  });

  it('when the day has run and its next start is still ahead, then nothing is due until then', () => {
    const daily = campaign({
      recurrence: 'DAILY',
      timezone: 'Asia/Kolkata',
      startAt: at('2026-03-01T03:30:00Z'),
      lastPeriodKey: '2026-03-04',
      lastScheduledFor: at('2026-03-04T03:30:00Z'),
    });
    expect(decide(daily, '2026-03-05T03:29:59.999Z')).toEqual({
      outcome: 'not_due',
      reason: 'already_run',
      nextAt: at('2026-03-05T03:30:00Z'),
    });
  });

  it('when the campaign starts late in the evening, then the key is the local date, not the UTC one', () => {
    const daily = campaign({ recurrence: 'DAILY', timezone: 'Asia/Kolkata', startAt: at('2026-03-01T19:00:00Z') });
    expect(due(decide(daily, '2026-03-03T19:00:00Z'))).toEqual({ key: '2026-03-04', at: '2026-03-03T19:00:00.000Z' });
  });

  it('when the days run over 29 February, then that day has its own period', () => {
    const daily = campaign({ recurrence: 'DAILY', timezone: 'Europe/London', startAt: at('2028-02-27T09:00:00Z') });
    expectDueInOrder(daily, [
      { now: '2028-02-28T09:00:00Z', key: '2028-02-28', utc: '2028-02-28T09:00:00.000Z' },
      { now: '2028-02-29T09:00:00Z', key: '2028-02-29', utc: '2028-02-29T09:00:00.000Z' },
      { now: '2028-03-01T09:00:00Z', key: '2028-03-01', utc: '2028-03-01T09:00:00.000Z' },
    ]);
  });
});

describe('WEEKLY', () => {
  it('when a week passes, then the same weekday and local time is due, keyed by ISO week', () => {
    const weekly = campaign({ recurrence: 'WEEKLY', timezone: 'Europe/London', startAt: at('2026-03-05T10:00:00Z') });
    expectDueInOrder(weekly, [
      { now: '2026-03-05T10:00:00Z', key: '2026-W10', utc: '2026-03-05T10:00:00.000Z' },
      { now: '2026-03-12T10:00:00Z', key: '2026-W11', utc: '2026-03-12T10:00:00.000Z' },
      // Thursday 2 April 10:00 is BST, an hour earlier in UTC.
      { now: '2026-04-02T09:00:00Z', key: '2026-W14', utc: '2026-04-02T09:00:00.000Z' },
    ]);
  });

  it('when it is another weekday, then nothing is due and the next weekday occurrence is named', () => {
    const weekly = campaign({
      recurrence: 'WEEKLY',
      timezone: 'Europe/London',
      startAt: at('2026-03-05T10:00:00Z'),
      lastPeriodKey: '2026-W10',
      lastScheduledFor: at('2026-03-05T10:00:00Z'),
    });
    expect(decide(weekly, '2026-03-11T10:00:00Z')).toEqual({
      outcome: 'not_due',
      reason: 'already_run',
      nextAt: at('2026-03-12T10:00:00Z'),
    });
  });

  it('when the year turns, then the ISO week-year names the week', () => {
    const weekly = campaign({ recurrence: 'WEEKLY', timezone: 'UTC', startAt: at('2026-12-24T08:00:00Z') });
    expectDueInOrder(weekly, [
      { now: '2026-12-31T08:00:00Z', key: '2026-W53', utc: '2026-12-31T08:00:00.000Z' },
      { now: '2027-01-07T08:00:00Z', key: '2027-W01', utc: '2027-01-07T08:00:00.000Z' },
    ]);
  });
});

describe('MONTHLY', () => {
  it('when started on 31 January, then it runs on 28 February and again on 31 March', () => {
    const monthly = campaign({ recurrence: 'MONTHLY', timezone: 'Asia/Kolkata', startAt: at('2026-01-31T03:30:00Z') });
    expectDueInOrder(monthly, [
      { now: '2026-01-31T03:30:00Z', key: '2026-01', utc: '2026-01-31T03:30:00.000Z' },
      { now: '2026-02-28T03:30:00Z', key: '2026-02', utc: '2026-02-28T03:30:00.000Z' },
      { now: '2026-03-31T03:30:00Z', key: '2026-03', utc: '2026-03-31T03:30:00.000Z' },
      { now: '2026-04-30T03:30:00Z', key: '2026-04', utc: '2026-04-30T03:30:00.000Z' },
      { now: '2026-05-31T03:30:00Z', key: '2026-05', utc: '2026-05-31T03:30:00.000Z' },
    ]);
  });

  it('when started on 31 January of a leap year, then February runs on the 29th', () => {
    const monthly = campaign({ recurrence: 'MONTHLY', timezone: 'Asia/Kolkata', startAt: at('2028-01-31T03:30:00Z') });
    expect(
      due(
        decide(
          { ...monthly, lastPeriodKey: '2028-01', lastScheduledFor: at('2028-01-31T03:30:00Z') },
          '2028-02-29T03:30:00Z',
        ),
      ),
    ).toEqual({
      key: '2028-02',
      at: '2028-02-29T03:30:00.000Z',
    });
    expect(decide({ ...monthly, lastPeriodKey: '2028-01' }, '2028-02-28T03:30:00Z')).toMatchObject({
      outcome: 'not_due',
      nextAt: at('2028-02-29T03:30:00Z'),
    });
  });

  it('when started on 29 February, then it runs on the 29th of every month and on 28 February the next year', () => {
    const monthly = campaign({ recurrence: 'MONTHLY', timezone: 'Asia/Kolkata', startAt: at('2028-02-29T03:30:00Z') });
    expectDueInOrder(monthly, [
      { now: '2028-02-29T03:30:00Z', key: '2028-02', utc: '2028-02-29T03:30:00.000Z' },
      { now: '2028-03-29T03:30:00Z', key: '2028-03', utc: '2028-03-29T03:30:00.000Z' },
    ]);
    const inFebruary = { ...monthly, lastPeriodKey: '2029-01', lastScheduledFor: at('2029-01-29T03:30:00Z') };
    expect(due(decide(inFebruary, '2029-02-28T03:30:00Z'))).toEqual({ key: '2029-02', at: '2029-02-28T03:30:00.000Z' });
  });

  it('when a month has not reached the day yet, then the previous month is the latest period', () => {
    const monthly = campaign({
      recurrence: 'MONTHLY',
      timezone: 'Asia/Kolkata',
      startAt: at('2026-01-15T03:30:00Z'),
      lastPeriodKey: '2026-02',
      lastScheduledFor: at('2026-02-15T03:30:00Z'),
    });
    expect(decide(monthly, '2026-03-14T12:00:00Z')).toEqual({
      outcome: 'not_due',
      reason: 'already_run',
      nextAt: at('2026-03-15T03:30:00Z'),
    });
  });
});

describe('daylight-saving changes', () => {
  const nineAm = (timezone: string, startAt: string) =>
    campaign({ recurrence: 'DAILY', timezone, startAt: at(startAt) });

  it.each([
    {
      zone: 'Europe/London',
      startAt: '2026-03-27T09:00:00Z',
      rows: [
        { now: '2026-03-28T09:00:00Z', key: '2026-03-28', utc: '2026-03-28T09:00:00.000Z' }, // GMT
        { now: '2026-03-29T08:00:00Z', key: '2026-03-29', utc: '2026-03-29T08:00:00.000Z' }, // clocks went forward: BST
        { now: '2026-03-30T08:00:00Z', key: '2026-03-30', utc: '2026-03-30T08:00:00.000Z' },
      ],
    },
    {
      zone: 'Europe/London',
      startAt: '2026-10-23T08:00:00Z',
      rows: [
        { now: '2026-10-24T08:00:00Z', key: '2026-10-24', utc: '2026-10-24T08:00:00.000Z' }, // BST
        { now: '2026-10-25T09:00:00Z', key: '2026-10-25', utc: '2026-10-25T09:00:00.000Z' }, // clocks went back: GMT
      ],
    },
    {
      zone: 'America/New_York',
      startAt: '2026-03-06T14:00:00Z',
      rows: [
        { now: '2026-03-07T14:00:00Z', key: '2026-03-07', utc: '2026-03-07T14:00:00.000Z' }, // EST
        { now: '2026-03-08T13:00:00Z', key: '2026-03-08', utc: '2026-03-08T13:00:00.000Z' }, // EDT
      ],
    },
    {
      zone: 'America/New_York',
      startAt: '2026-10-30T13:00:00Z',
      rows: [
        { now: '2026-10-31T13:00:00Z', key: '2026-10-31', utc: '2026-10-31T13:00:00.000Z' }, // EDT
        { now: '2026-11-01T14:00:00Z', key: '2026-11-01', utc: '2026-11-01T14:00:00.000Z' }, // EST
      ],
    },
  ])('when $zone changes its clocks after $startAt, then 09:00 local stays 09:00 local', ({ zone, startAt, rows }) => {
    expectDueInOrder(nineAm(zone, startAt), rows);
  });

  it.each([
    {
      zone: 'America/New_York',
      startAt: '2026-03-07T07:30:00Z',
      day: '2026-03-08',
      utc: '2026-03-08T07:00:00.000Z',
      next: '2026-03-09T06:30:00.000Z',
    },
    {
      zone: 'Europe/London',
      startAt: '2026-03-28T01:30:00Z',
      day: '2026-03-29',
      utc: '2026-03-29T01:00:00.000Z',
      next: '2026-03-30T00:30:00.000Z',
    },
  ])(
    'when the local time does not exist on the spring change in $zone, then the period runs the moment the clocks jump',
    ({ zone, startAt, day, utc, next }) => {
      const subject = campaign({ recurrence: 'DAILY', timezone: zone, startAt: at(startAt) });
      const ranDayBefore = { ...subject, lastScheduledFor: at(startAt) };
      expect(decide(ranDayBefore, new Date(at(utc).getTime() - 1).toISOString())).toMatchObject({
        outcome: 'not_due',
        nextAt: at(utc),
      });
      expectDueInOrder(ranDayBefore, [
        { now: utc, key: day, utc },
        { now: next, key: new Date(next).toISOString().slice(0, 10), utc: next },
      ]);
    },
  );

  it.each([
    {
      zone: 'America/New_York',
      startAt: '2026-10-31T05:30:00Z',
      day: '2026-11-01',
      first: '2026-11-01T05:30:00Z',
      second: '2026-11-01T06:30:00Z',
    },
    {
      zone: 'Europe/London',
      startAt: '2026-10-24T00:30:00Z',
      day: '2026-10-25',
      first: '2026-10-25T00:30:00Z',
      second: '2026-10-25T01:30:00Z',
    },
  ])(
    'when the local time happens twice on the autumn change in $zone, then the period runs once, at the first',
    ({ zone, startAt, day, first, second }) => {
      const subject = campaign({
        recurrence: 'DAILY',
        timezone: zone,
        startAt: at(startAt),
        lastScheduledFor: at(startAt),
      });
      expect(due(decide(subject, first))).toEqual({ key: day, at: at(first).toISOString() });
      const ran = { ...subject, lastPeriodKey: day, lastScheduledFor: at(first) };
      expect(decide(ran, second)).toMatchObject({ outcome: 'not_due', reason: 'already_run' });
    },
  );

  it('when a monthly campaign crosses the spring change, then its local time holds', () => {
    const monthly = campaign({
      recurrence: 'MONTHLY',
      timezone: 'America/New_York',
      startAt: at('2026-02-10T14:00:00Z'),
    });
    expectDueInOrder(monthly, [
      { now: '2026-02-10T14:00:00Z', key: '2026-02', utc: '2026-02-10T14:00:00.000Z' },
      { now: '2026-03-10T13:00:00Z', key: '2026-03', utc: '2026-03-10T13:00:00.000Z' },
    ]);
  });
});

describe('status, start and end', () => {
  it.each(['DRAFT', 'PAUSED', 'CANCELLED', 'COMPLETED'] as const)(
    'when the campaign is %s, then nothing is due',
    (status) => {
      const subject = campaign({ recurrence: 'DAILY', timezone: 'UTC', startAt: at('2026-03-01T09:00:00Z'), status });
      expect(decide(subject, '2026-03-05T09:00:00Z')).toEqual({ outcome: 'not_due', reason: 'inactive' });
    },
  );

  it('when now is before startAt of a recurring campaign, then nothing is due', () => {
    const subject = campaign({ recurrence: 'DAILY', timezone: 'UTC', startAt: at('2026-03-10T09:00:00Z') });
    expect(decide(subject, '2026-03-05T09:00:00Z')).toEqual({
      outcome: 'not_due',
      reason: 'not_started',
      nextAt: at('2026-03-10T09:00:00Z'),
    });
  });

  it('when endAt is reached, then the last period before it runs and nothing after it', () => {
    const subject = campaign({
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: at('2026-03-01T09:00:00Z'),
      endAt: at('2026-03-10T12:00:00Z'),
    });
    const ranNinth = { ...subject, lastPeriodKey: '2026-03-09', lastScheduledFor: at('2026-03-09T09:00:00Z') };
    expect(due(decide(ranNinth, '2026-03-10T09:00:00Z'))).toEqual({
      key: '2026-03-10',
      at: '2026-03-10T09:00:00.000Z',
    });
    const ranTenth = { ...subject, lastPeriodKey: '2026-03-10', lastScheduledFor: at('2026-03-10T09:00:00Z') };
    expect(decide(ranTenth, '2026-03-10T10:00:00Z')).toEqual({ outcome: 'not_due', reason: 'ended' });
    expect(decide(ranTenth, '2026-03-11T09:00:00Z')).toEqual({ outcome: 'not_due', reason: 'ended' });
  });

  it('when endAt falls exactly on an occurrence, then that occurrence still runs', () => {
    const subject = campaign({
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: at('2026-03-01T09:00:00Z'),
      endAt: at('2026-03-03T09:00:00Z'),
    });
    expect(due(decide({ ...subject, lastPeriodKey: '2026-03-02' }, '2026-03-03T09:00:00Z'))).toEqual({
      key: '2026-03-03',
      at: '2026-03-03T09:00:00.000Z',
    });
  });

  it('when the last occurrence before endAt was missed but is inside the grace window, then it still runs after endAt', () => {
    const subject = campaign({
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: at('2026-03-01T09:00:00Z'),
      endAt: at('2026-03-03T09:30:00Z'),
    });
    const ranSecond = { ...subject, lastPeriodKey: '2026-03-02', lastScheduledFor: at('2026-03-02T09:00:00Z') };
    expect(due(decide(ranSecond, '2026-03-03T10:00:00Z'))).toEqual({
      key: '2026-03-03',
      at: '2026-03-03T09:00:00.000Z',
    });
    expect(decide(ranSecond, '2026-03-04T09:00:00Z')).toEqual({ outcome: 'not_due', reason: 'ended' });
  });

  it('when endAt is before the first occurrence, then the campaign has ended without running', () => {
    const subject = campaign({
      recurrence: 'WEEKLY',
      timezone: 'UTC',
      startAt: at('2026-03-10T09:00:00Z'),
      endAt: at('2026-03-09T09:00:00Z'),
    });
    expect(decide(subject, '2026-03-01T09:00:00Z')).toEqual({ outcome: 'not_due', reason: 'ended' });
    expect(decide(subject, '2026-03-12T09:00:00Z')).toEqual({ outcome: 'not_due', reason: 'ended' });
  });
});

describe('missed periods and the grace window', () => {
  const daily = campaign({
    recurrence: 'DAILY',
    timezone: 'UTC',
    startAt: at('2026-03-01T09:00:00Z'),
    lastPeriodKey: '2026-03-04',
    lastScheduledFor: at('2026-03-04T09:00:00Z'),
  });

  it('when the period is exactly the grace window old, then it still runs', () => {
    expect(decide(daily, '2026-03-05T15:00:00Z')).toMatchObject({ outcome: 'due', missedBefore: 0 });
  });

  it('when the period is older than the grace window, then it is skipped and says how late it is', () => {
    expect(decide(daily, '2026-03-05T15:00:00.001Z')).toMatchObject({
      outcome: 'skipped',
      reason: 'outside_grace_window',
      period: { periodKey: '2026-03-05' },
      lateByMs: hours(6) + 1,
    });
  });

  it('when the grace window is configured shorter, then that window applies', () => {
    expect(decide(daily, '2026-03-05T10:00:00Z', hours(1))).toMatchObject({ outcome: 'due' });
    expect(decide(daily, '2026-03-05T10:00:01Z', hours(1))).toMatchObject({ outcome: 'skipped' });
  });

  it('when several periods were missed, then only the most recent runs and the older ones are counted as missed', () => {
    const ranFirst = { ...daily, lastPeriodKey: '2026-03-01', lastScheduledFor: at('2026-03-01T09:00:00Z') };
    expect(decide(ranFirst, '2026-03-05T10:00:00Z')).toMatchObject({
      outcome: 'due',
      period: { periodKey: '2026-03-05' },
      missedBefore: 3,
    });
    expect(decide(ranFirst, '2026-03-05T20:00:00Z')).toMatchObject({
      outcome: 'skipped',
      period: { periodKey: '2026-03-05' },
      missedBefore: 3,
    });
  });

  it('when a campaign never ran, then every earlier occurrence counts as missed', () => {
    const fresh = campaign({ recurrence: 'WEEKLY', timezone: 'UTC', startAt: at('2026-03-02T09:00:00Z') });
    expect(decide(fresh, '2026-03-23T09:05:00Z')).toMatchObject({
      outcome: 'due',
      period: { periodKey: '2026-W13' },
      missedBefore: 3,
    });
  });
});

describe('bad input', () => {
  it('when the time zone is unknown or startAt is not an instant, then it refuses instead of deciding on invalid dates', () => {
    const mars = campaign({ recurrence: 'DAILY', timezone: 'Mars/Olympus_Mons', startAt: at('2026-03-01T09:00:00Z') });
    expect(() => decide(mars, '2026-03-05T09:00:00Z')).toThrow(/unknown time zone Mars\/Olympus_Mons/);
    const never = campaign({ recurrence: 'ONCE', timezone: 'UTC', startAt: new Date(Number.NaN) });
    expect(() => decide(never, '2026-03-05T09:00:00Z')).toThrow(/startAt/);
    const endless = campaign({
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: at('2026-03-01T09:00:00Z'),
      endAt: new Date(Number.NaN),
    });
    expect(() => decide(endless, '2026-03-05T09:00:00Z')).toThrow(/endAt/);
  });
});
