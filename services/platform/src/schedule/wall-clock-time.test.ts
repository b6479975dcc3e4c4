import { describe, expect, it } from 'vitest';
import { instantOfWallClock, isKnownTimeZone } from './wall-clock-time.ts';

const reading = (date: string, time: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return { year, month, day, hour, minute, second: 0, millisecond: 0 };
};

describe('instant of a wall-clock reading', () => {
  it.each([
    // An ordinary day.
    { zone: 'Asia/Kolkata', date: '2026-03-05', time: '09:00', utc: '2026-03-05T03:30:00.000Z' },
    // Clocks go forward: the first instant after the skipped reading, the moment of the jump.
    { zone: 'America/New_York', date: '2026-03-08', time: '02:30', utc: '2026-03-08T07:00:00.000Z' },
    { zone: 'Europe/London', date: '2026-03-29', time: '01:15', utc: '2026-03-29T01:00:00.000Z' },
    // Lord Howe moves by half an hour, at 02:00 local.
    { zone: 'Australia/Lord_Howe', date: '2026-10-04', time: '02:15', utc: '2026-10-03T15:30:00.000Z' },
    // Santiago skips midnight itself: 00:00 becomes 01:00.
    { zone: 'America/Santiago', date: '2026-09-06', time: '00:30', utc: '2026-09-06T04:00:00.000Z' },
    // Clocks go back: the first of the two readings.
    { zone: 'America/New_York', date: '2026-11-01', time: '01:30', utc: '2026-11-01T05:30:00.000Z' },
    { zone: 'Europe/London', date: '2026-10-25', time: '01:30', utc: '2026-10-25T00:30:00.000Z' },
    { zone: 'Australia/Lord_Howe', date: '2026-04-05', time: '01:45', utc: '2026-04-04T14:45:00.000Z' },
  ])('when it is $time on $date in $zone, then the instant is $utc', ({ zone, date, time, utc }) => {
    expect(instantOfWallClock(reading(date, time), zone).toUTC().toISO()).toBe(utc);
  });

  it('when the zone is unknown, then it refuses rather than guessing', () => {
    expect(() => instantOfWallClock(reading('2026-03-05', '09:00'), 'Mars/Olympus_Mons')).toThrow(/unknown time zone/);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('Europe/London')).toBe(true);
  });
});
