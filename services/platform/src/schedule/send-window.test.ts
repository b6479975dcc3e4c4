import { describe, expect, it } from 'vitest';
import { nextWindowOpening, recipientZone, sendWindowSchema } from './send-window.ts';

const weekdays = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] };
const at = (iso: string) => new Date(iso);

describe('nextWindowOpening', () => {
  it('when the local time is inside the window on one of its days, then the message may leave now', () => {
    // Wednesday 2030-01-02 10:00 in Kolkata.
    expect(nextWindowOpening(weekdays, 'Asia/Kolkata', at('2030-01-02T04:30:00Z'))).toBeUndefined();
  });

  it('when it is before the opening on a window day, then it waits for that day’s opening', () => {
    expect(nextWindowOpening(weekdays, 'Asia/Kolkata', at('2030-01-02T02:00:00Z'))).toEqual(at('2030-01-02T03:30:00Z'));
  });

  it('when it is at the end time, then the end is excluded and it waits for the next day', () => {
    expect(nextWindowOpening(weekdays, 'Asia/Kolkata', at('2030-01-02T14:30:00Z'))).toEqual(at('2030-01-03T03:30:00Z'));
  });

  it('when it is Friday evening, then it waits over the weekend until Monday’s opening', () => {
    // Friday 2030-01-04 21:00 in New York is Saturday 02:00Z.
    expect(nextWindowOpening(weekdays, 'America/New_York', at('2030-01-05T02:00:00Z'))).toEqual(
      at('2030-01-07T14:00:00Z'),
    );
  });

  it('when the same instant is read in two zones, then each recipient gets their own local window', () => {
    const instant = at('2030-01-02T12:00:00Z');
    expect(nextWindowOpening(weekdays, 'Europe/London', instant)).toBeUndefined();
    expect(nextWindowOpening(weekdays, 'Asia/Tokyo', instant)).toEqual(at('2030-01-03T00:00:00Z'));
  });

  it('when the clocks skip the opening time, then the window opens at the first instant after it', () => {
    // 2030-03-10 is the spring-forward Sunday in New York: 02:00 to 03:00 does not exist.
    const window = { start: '02:30', end: '05:00', days: [7] };
    expect(nextWindowOpening(window, 'America/New_York', at('2030-03-10T06:00:00Z'))).toEqual(
      at('2030-03-10T07:00:00Z'),
    );
  });

  it('when the window has one day a week and that day just closed, then it opens a week later', () => {
    const mondays = { start: '09:00', end: '10:00', days: [1] };
    expect(nextWindowOpening(mondays, 'UTC', at('2030-01-07T10:00:00Z'))).toEqual(at('2030-01-14T09:00:00Z'));
  });
});

describe('recipientZone', () => {
  it('when the contact names a known IANA zone, then it is used, else the campaign’s zone', () => {
    expect(recipientZone('America/Chicago', 'Asia/Kolkata')).toBe('America/Chicago');
    expect(recipientZone('Mars/Olympus', 'Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(recipientZone(undefined, 'Asia/Kolkata')).toBe('Asia/Kolkata');
  });
});

describe('sendWindowSchema', () => {
  it('when a window is malformed, then each problem names its field', () => {
    const paths = (value: unknown) =>
      sendWindowSchema.safeParse(value).error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths({ start: '9:00', end: '20:00', days: [1] })).toEqual(['start']);
    expect(paths({ start: '09:00', end: '24:00', days: [1] })).toEqual(['end']);
    expect(paths({ start: '10:00', end: '09:00', days: [1] })).toEqual(['end']);
    expect(paths({ start: '09:00', end: '20:00', days: [0] })).toEqual(['days.0']);
    expect(paths({ start: '09:00', end: '20:00', days: [] })).toEqual(['days']);
    expect(paths({ start: '09:00', end: '20:00', days: [1, 1] })).toEqual(['days']);
    expect(paths(weekdays)).toEqual([]);
  });
});
