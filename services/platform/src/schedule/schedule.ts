import { DateTime, type DurationLikeObject } from 'luxon';
import { instantOfWallClock, isKnownTimeZone } from './wall-clock-time.ts';

export type Recurrence = 'ONCE' | 'DAILY' | 'WEEKLY' | 'MONTHLY';

/** One occurrence of a campaign: the key its run is stored under and the instant it is due. */
export interface Period {
  periodKey: string;
  scheduledFor: Date;
}

/** A campaign's occurrences, numbered from 0 (the one at `startAt`) upwards. */
export interface Schedule {
  occurrence(index: number): Period | undefined;
  /** The index of the latest occurrence at or before `instant`; -1 when there is none yet. */
  indexAtOrBefore(instant: Date): number;
}

const onceKey = 'once';

/**
 * Period keys name the calendar unit an occurrence falls in, in the campaign's own time zone:
 * DAILY `2026-03-05`, WEEKLY the ISO week `2026-W10`, MONTHLY `2026-03`, ONCE `once`. Keying by
 * the unit rather than the instant means an edited start time (say 09:00 moved to 15:00, or Monday
 * moved to Thursday) can never produce a second run in the same day, week or month.
 */
const unitOf = {
  DAILY: { step: (n: number): DurationLikeObject => ({ days: n }), key: 'yyyy-MM-dd' },
  WEEKLY: { step: (n: number): DurationLikeObject => ({ weeks: n }), key: "kkkk-'W'WW" },
  MONTHLY: { step: (n: number): DurationLikeObject => ({ months: n }), key: 'yyyy-MM' },
} as const;

export function scheduleOf(campaign: { recurrence: Recurrence; timezone: string; startAt: Date }): Schedule {
  const { recurrence, timezone, startAt } = campaign;
  // luxon answers an unknown zone with invalid dates rather than an error; never schedule on those.
  if (!isKnownTimeZone(timezone)) throw new RangeError(`unknown time zone ${timezone}`);
  if (Number.isNaN(startAt.getTime())) throw new RangeError('startAt is not a valid instant');
  if (recurrence === 'ONCE') {
    return {
      occurrence: (index) => (index === 0 ? { periodKey: onceKey, scheduledFor: startAt } : undefined),
      indexAtOrBefore: (instant) => (startAt.getTime() <= instant.getTime() ? 0 : -1),
    };
  }

  const unit = unitOf[recurrence];
  const start = DateTime.fromJSDate(startAt, { zone: timezone });
  // Calendar dates are counted in UTC, where every day has 24 hours, so adding n units is pure
  // calendar arithmetic; luxon clamps months (31 January + 1 month = 28 or 29 February) and each
  // occurrence is counted from the start date, so 31 March follows 28 February.
  const dateOnly = (local: DateTime) => DateTime.utc(local.year, local.month, local.day);
  const startDate = dateOnly(start);
  const nominalDate = (index: number) => startDate.plus(unit.step(index));

  const occurrence = (index: number): Period | undefined => {
    if (index < 0 || !Number.isInteger(index)) return undefined;
    const date = nominalDate(index);
    // The first occurrence is startAt itself, even when its reading repeats and the rule would pick the other one.
    const scheduledFor =
      index === 0
        ? startAt
        : instantOfWallClock(
            {
              year: date.year,
              month: date.month,
              day: date.day,
              hour: start.hour,
              minute: start.minute,
              second: start.second,
              millisecond: start.millisecond,
            },
            timezone,
          ).toJSDate();
    return { periodKey: date.toFormat(unit.key), scheduledFor };
  };

  const unitsSinceStart = (date: DateTime) => {
    const days = Math.round(date.diff(startDate, 'days').days);
    if (recurrence === 'DAILY') return days;
    if (recurrence === 'WEEKLY') return Math.floor(days / 7);
    return (date.year - startDate.year) * 12 + (date.month - startDate.month);
  };

  const isAtOrBefore = (index: number, instant: Date) => {
    const period = occurrence(index);
    return period !== undefined && period.scheduledFor.getTime() <= instant.getTime();
  };

  return {
    occurrence,
    indexAtOrBefore(instant) {
      // The local date gives the index to within one; step to the exact one.
      let index = Math.max(-1, unitsSinceStart(dateOnly(DateTime.fromJSDate(instant, { zone: timezone }))));
      while (index >= 0 && !isAtOrBefore(index, instant)) index -= 1;
      while (isAtOrBefore(index + 1, instant)) index += 1;
      return index;
    },
  };
}
