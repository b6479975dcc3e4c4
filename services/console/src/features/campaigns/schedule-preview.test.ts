import { describe, expect, it } from 'vitest';
import { previewRuns, wallClockInstant, wallClockOf } from './schedule-preview.ts';

const now = new Date('2026-03-01T00:00:00Z');
const iso = (result: ReturnType<typeof previewRuns>) =>
  result.ok ? result.runs.map((run) => run.toISOString()) : result;

describe('previewRuns', () => {
  it('when a ONCE campaign starts later, then its one run is at the start', () => {
    expect(
      iso(
        previewRuns({ recurrence: 'ONCE', timezone: 'Asia/Kolkata', startAt: new Date('2026-03-02T03:30:00Z') }, now),
      ),
    ).toEqual(['2026-03-02T03:30:00.000Z']);
  });

  it('when a DAILY campaign spans a daylight-saving change, then the wall-clock time holds', () => {
    const runs = iso(
      previewRuns(
        { recurrence: 'DAILY', timezone: 'Europe/London', startAt: new Date('2026-03-27T09:00:00Z') },
        new Date('2026-03-20T00:00:00Z'),
      ),
    );
    expect(runs).toEqual([
      '2026-03-27T09:00:00.000Z',
      '2026-03-28T09:00:00.000Z',
      // Clocks go forward on 29 March: 09:00 in London is now 08:00 UTC.
      '2026-03-29T08:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
    ]);
  });

  it('when a MONTHLY campaign starts on the 31st, then shorter months take their last day', () => {
    const runs = iso(
      previewRuns(
        { recurrence: 'MONTHLY', timezone: 'UTC', startAt: new Date('2026-01-31T10:00:00Z') },
        new Date('2026-01-01T00:00:00Z'),
      ),
    );
    expect(runs).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
      '2026-05-31T10:00:00.000Z',
    ]);
  });

  it('when the end comes before five runs, then the preview stops there', () => {
    const runs = iso(
      previewRuns(
        {
          recurrence: 'WEEKLY',
          timezone: 'UTC',
          startAt: new Date('2026-03-02T10:00:00Z'),
          endAt: new Date('2026-03-16T10:00:00Z'),
        },
        now,
      ),
    );
    expect(runs).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-09T10:00:00.000Z', '2026-03-16T10:00:00.000Z']);
  });

  it('when a ONCE start is long past, then no run can happen and the preview says so', () => {
    expect(
      previewRuns({ recurrence: 'ONCE', timezone: 'UTC', startAt: new Date('2026-02-01T00:00:00Z') }, now),
    ).toEqual({
      ok: false,
      problem: 'No run can happen any more: move the start or the end later.',
    });
  });

  it('when the zone is unknown or the end precedes the start, then the problem is named', () => {
    expect(previewRuns({ recurrence: 'DAILY', timezone: 'Mars/Olympus', startAt: now }, now)).toMatchObject({
      ok: false,
    });
    expect(
      previewRuns({ recurrence: 'DAILY', timezone: 'UTC', startAt: now, endAt: new Date('2026-02-01T00:00:00Z') }, now),
    ).toEqual({ ok: false, problem: 'The end is before the start.' });
  });
});

describe('wallClockInstant', () => {
  it('when a time is typed for a zone, then it is that zone’s wall clock', () => {
    expect(wallClockInstant('2026-03-02T09:00', 'Asia/Kolkata').toISOString()).toBe('2026-03-02T03:30:00.000Z');
  });

  it('when an instant is shown for editing, then it reads back as the same instant', () => {
    const instant = new Date('2030-03-05T04:30:00Z');
    expect(wallClockOf(instant, 'Asia/Kolkata')).toBe('2030-03-05T10:00');
    expect(wallClockInstant(wallClockOf(instant, 'America/New_York'), 'America/New_York')).toEqual(instant);
  });

  it('when the field is empty, then the instant is invalid', () => {
    expect(Number.isNaN(wallClockInstant('', 'UTC').getTime())).toBe(true);
  });
});
