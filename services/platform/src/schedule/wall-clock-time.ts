import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

export interface WallClockTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const sameWallClock = (instant: DateTime, wall: WallClockTime) =>
  instant.year === wall.year &&
  instant.month === wall.month &&
  instant.day === wall.day &&
  instant.hour === wall.hour &&
  instant.minute === wall.minute &&
  instant.second === wall.second &&
  instant.millisecond === wall.millisecond;

/** The wall-clock reading as a comparable number: the same fields read as if in UTC. */
const wallClockValue = (instant: DateTime) => instant.setZone('utc', { keepLocalTime: true }).toMillis();

/**
 * The instant at which clocks in `zone` show `wall`, decided the way someone setting an alarm expects:
 * - a reading that happens twice (clocks going back) is its first occurrence, so it fires once and early;
 * - a reading that never happens (clocks going forward) becomes the first instant after it, the moment
 *   the clocks jump (a 02:30 alarm on the spring-forward night in New York fires at 03:00 EDT).
 * luxon alone would pick the later of two readings and shift a skipped one by the whole gap.
 */
export function instantOfWallClock(wall: WallClockTime, zone: string): DateTime {
  const iana = IANAZone.create(zone);
  if (!iana.isValid) throw new RangeError(`unknown time zone ${zone}`);
  const naive = DateTime.fromObject(wall, { zone: 'utc' });
  // The offsets in force a day either side cover any single transition near the reading.
  const offsets = new Set([-1, 0, 1].map((days) => iana.offset(naive.plus({ days }).toMillis())));
  const candidates = [...offsets]
    .map((offset) => DateTime.fromObject(wall, { zone: FixedOffsetZone.instance(offset) }).setZone(iana))
    .sort((a, b) => a.toMillis() - b.toMillis());

  const matching = candidates.find((candidate) => sameWallClock(candidate, wall));
  if (matching) return matching;

  const earliest = candidates[0];
  const latest = candidates.at(-1);
  if (!earliest || !latest || earliest.toMillis() === latest.toMillis())
    return DateTime.fromObject(wall, { zone: iana });

  // A gap: the earliest candidate reads before `wall`, the latest after it. Find the jump between them.
  const target = naive.toMillis();
  let before = earliest.toMillis();
  let after = latest.toMillis();
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClockValue(DateTime.fromMillis(middle, { zone: iana })) >= target) after = middle;
    else before = middle;
  }
  return DateTime.fromMillis(after, { zone: iana });
}

export const isKnownTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);
