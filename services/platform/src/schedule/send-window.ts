import { DateTime } from 'luxon';
import { z } from 'zod';
import { instantOfWallClock, isKnownTimeZone } from './wall-clock-time.ts';

const clockTimePattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const clockTime = z.string().regex(clockTimePattern, 'must be a time of day HH:MM (00:00 to 23:59)');

/**
 * When a campaign may reach people: from `start` to `end` (local wall-clock times, `end` excluded) on
 * the ISO weekdays `days` (1 = Monday … 7 = Sunday), read in the recipient's time zone.
 */
export const sendWindowSchema = z
  .object({
    start: clockTime,
    end: clockTime,
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'must not repeat a day'),
  })
  // Only two well-formed times are compared; a malformed one is already named by its own field.
  .refine(
    (window) => !clockTimePattern.test(window.start) || !clockTimePattern.test(window.end) || window.end > window.start,
    { path: ['end'], message: 'must be later than start' },
  );
export type SendWindow = z.output<typeof sendWindowSchema>;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The recipient's zone when it is a known IANA zone, else the campaign's. */
export function recipientZone(contactZone: string | undefined, campaignZone: string): string {
  return contactZone && isKnownTimeZone(contactZone) ? contactZone : campaignZone;
}

/**
 * When a message due at `now` may leave under `window` in `zone`: undefined while the window is open,
 * else the instant it next opens (on a day the clocks skip the opening time, the first instant after it).
 */
export function nextWindowOpening(window: SendWindow, zone: string, now: Date): Date | undefined {
  const local = DateTime.fromJSDate(now, { zone });
  const minute = local.hour * 60 + local.minute;
  if (window.days.includes(local.weekday) && minute >= minutesOf(window.start) && minute < minutesOf(window.end))
    return undefined;
  const [hour, minuteOfHour] = [Number(window.start.slice(0, 2)), Number(window.start.slice(3, 5))];
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = local.plus({ days: ahead });
    if (!window.days.includes(day.weekday)) continue;
    const opening = instantOfWallClock(
      { year: day.year, month: day.month, day: day.day, hour, minute: minuteOfHour, second: 0, millisecond: 0 },
      zone,
    );
    if (opening.toMillis() > now.getTime()) return opening.toJSDate();
  }
  // Unreachable for a valid window: one of the next eight days is one of its days with a later opening.
  throw new RangeError('the send window never opens');
}
