import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decideDuePeriod, type CampaignSchedule } from './due-period.ts';
import { scheduleOf, type Recurrence } from './schedule.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

// Zones with one-hour, half-hour and midnight daylight-saving changes, southern-hemisphere ones and none.
const zones = [
  'UTC',
  'Asia/Kolkata',
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Pacific/Auckland',
];

const campaignArbitrary = fc
  .record({
    recurrence: fc.constantFrom<Recurrence>('ONCE', 'DAILY', 'WEEKLY', 'MONTHLY'),
    timezone: fc.constantFrom(...zones),
    startMs: fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
    lengthMs: fc.option(fc.integer({ min: 0, max: 200 * day }), { nil: undefined }),
  })
  .map(({ recurrence, timezone, startMs, lengthMs }): CampaignSchedule => ({
    id: 'c',
    status: 'ACTIVE',
    recurrence,
    timezone,
    startAt: new Date(startMs),
    endAt: lengthMs === undefined ? undefined : new Date(startMs + lengthMs),
  }));

interface Produced {
  periodKey: string;
  scheduledFor: number;
  at: number;
}

/** Runs the scheduler at each `now`, recording each due period as the campaign-service would. */
function simulate(campaign: CampaignSchedule, nows: number[], graceWindowMs: number): Produced[] {
  let state = campaign;
  const produced: Produced[] = [];
  for (const now of nows) {
    const decision = decideDuePeriod(state, new Date(now), { graceWindowMs });
    if (decision.outcome !== 'due') continue;
    const { periodKey, scheduledFor } = decision.period;
    produced.push({ periodKey, scheduledFor: scheduledFor.getTime(), at: now });
    state = { ...state, lastPeriodKey: periodKey, lastScheduledFor: scheduledFor };
  }
  return produced;
}

const passTimes = (first: number, gaps: number[]) =>
  gaps.reduce((times, gap) => [...times, times.at(-1)! + gap], [first]);

describe('due-period properties', () => {
  it('when the scheduler runs at any increasing instants, then no period is ever produced twice and each is within its bounds', () => {
    fc.assert(
      fc.property(
        campaignArbitrary,
        fc.integer({ min: minute, max: 12 * hour }),
        fc.integer({ min: -10 * day, max: 120 * day }),
        fc.array(fc.integer({ min: 1, max: 40 * day }), { minLength: 1, maxLength: 60 }),
        (campaign, graceWindowMs, firstOffset, gaps) => {
          const nows = passTimes(campaign.startAt.getTime() + firstOffset, gaps);
          const produced = simulate(campaign, nows, graceWindowMs);
          expect(new Set(produced.map((period) => period.periodKey)).size).toBe(produced.length);
          produced.forEach((period, index) => {
            expect(period.scheduledFor).toBeGreaterThanOrEqual(campaign.startAt.getTime());
            if (campaign.endAt) expect(period.scheduledFor).toBeLessThanOrEqual(campaign.endAt.getTime());
            expect(period.scheduledFor).toBeLessThanOrEqual(period.at);
            expect(period.at - period.scheduledFor).toBeLessThanOrEqual(graceWindowMs);
            if (index > 0) expect(period.scheduledFor).toBeGreaterThan(produced[index - 1]!.scheduledFor);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when the scheduler runs at least once every grace window, then no period is ever missed', () => {
    fc.assert(
      fc.property(
        campaignArbitrary,
        fc.integer({ min: minute, max: 12 * hour }),
        fc.integer({ min: -2 * day, max: 60 * day }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (campaign, graceWindowMs, firstOffset, fractions) => {
          const gaps = fractions.map((fraction) => Math.max(1, Math.round(fraction * graceWindowMs)));
          const nows = passTimes(campaign.startAt.getTime() + firstOffset, gaps);
          const produced = new Set(simulate(campaign, nows, graceWindowMs).map((period) => period.periodKey));

          const schedule = scheduleOf(campaign);
          const [first, last] = [nows[0]!, nows.at(-1)!];
          for (let index = 0; ; index += 1) {
            const occurrence = schedule.occurrence(index);
            if (!occurrence || occurrence.scheduledFor.getTime() > last) break;
            if (campaign.endAt && occurrence.scheduledFor.getTime() > campaign.endAt.getTime()) break;
            if (occurrence.scheduledFor.getTime() < first) continue;
            expect(produced, `occurrence ${index} at ${occurrence.scheduledFor.toISOString()}`).toContain(
              occurrence.periodKey,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("when occurrences are listed, then each keeps the start's local time or falls on the instant the clocks jumped past it", () => {
    fc.assert(
      fc.property(campaignArbitrary, fc.integer({ min: 1, max: 40 }), (campaign, count) => {
        const schedule = scheduleOf(campaign);
        const start = DateTime.fromJSDate(campaign.startAt, { zone: campaign.timezone });
        const wall = (instant: DateTime) => instant.toFormat('HH:mm:ss.SSS');
        let previous = campaign.startAt.getTime() - 1;
        const keys = new Set<string>();
        for (let index = 0; index < count; index += 1) {
          const occurrence = schedule.occurrence(index);
          if (!occurrence) break;
          const instant = DateTime.fromJSDate(occurrence.scheduledFor, { zone: campaign.timezone });
          expect(occurrence.scheduledFor.getTime()).toBeGreaterThan(previous);
          expect(keys.has(occurrence.periodKey)).toBe(false);
          if (wall(instant) !== wall(start)) {
            // Only a skipped reading moves: the millisecond before reads earlier than the start's time, this one later.
            expect(instant.minus({ milliseconds: 1 }).offset).not.toBe(instant.offset);
            expect(wall(instant) > wall(start)).toBe(true);
          }
          expect(schedule.indexAtOrBefore(occurrence.scheduledFor)).toBe(index);
          expect(schedule.indexAtOrBefore(new Date(occurrence.scheduledFor.getTime() - 1))).toBe(index - 1);
          previous = occurrence.scheduledFor.getTime();
          keys.add(occurrence.periodKey);
        }
      }),
      { numRuns: 300 },
    );
  });
});
