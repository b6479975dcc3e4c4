import {
  defaultGraceWindowMs,
  instantOfWallClock,
  isKnownTimeZone,
  nextRunnablePeriod,
  scheduleOf,
  type Recurrence,
} from '@ektola/platform/schedule';

export interface ScheduleDraft {
  recurrence: Recurrence;
  timezone: string;
  startAt: Date;
  endAt?: Date | undefined;
}

export type SchedulePreview = { ok: true; runs: Date[] } | { ok: false; problem: string };

/**
 * The next run times of a draft schedule, from the scheduler's own code (@ektola/platform/schedule):
 * the first is the period a pass would create next, the rest follow it until endAt. The server's grace
 * window may differ from the default; it only decides whether a start just past still runs.
 */
export function previewRuns(draft: ScheduleDraft, now: Date, count = 5): SchedulePreview {
  if (Number.isNaN(draft.startAt.getTime())) return { ok: false, problem: 'Choose a start date and time.' };
  if (draft.endAt && draft.endAt.getTime() < draft.startAt.getTime())
    return { ok: false, problem: 'The end is before the start.' };
  let schedule;
  try {
    schedule = scheduleOf(draft);
  } catch {
    return { ok: false, problem: `${draft.timezone} is not a known time zone.` };
  }
  const first = nextRunnablePeriod(draft, now, { graceWindowMs: defaultGraceWindowMs });
  if (!first) return { ok: false, problem: 'No run can happen any more: move the start or the end later.' };
  const runs = [first.scheduledFor];
  for (let index = schedule.indexAtOrBefore(first.scheduledFor) + 1; runs.length < count; index += 1) {
    const period = schedule.occurrence(index);
    if (!period || (draft.endAt && period.scheduledFor.getTime() > draft.endAt.getTime())) break;
    runs.push(period.scheduledFor);
  }
  return { ok: true, runs };
}

/** An instant as the wall clock of a zone reads it, e.g. "Mon, 5 Jan 2026, 09:00". */
export function formatIn(instant: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(instant);
}

/**
 * A wall-clock reading typed into a datetime-local field ("2026-01-05T09:00") in the campaign's zone,
 * as an instant, by the rule the scheduler uses for later occurrences (a skipped reading moves forward).
 */
export function wallClockInstant(local: string, timezone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match || !isKnownTimeZone(timezone)) return new Date(Number.NaN);
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return instantOfWallClock({ year, month, day, hour, minute, second: 0, millisecond: 0 }, timezone).toJSDate();
}

/** An instant as a datetime-local value ("2026-01-05T09:00") on the wall clock of a zone. */
export function wallClockOf(instant: Date, timezone: string): string {
  const zone = isKnownTimeZone(timezone) ? timezone : 'UTC';
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(instant)
    .replace(' ', 'T');
}
