import { describe, expect, it } from 'vitest';
import { emptyMessageReport, runResultsOf, sumReports, type MessageReport } from './run-report.ts';

const report = (overrides: Partial<MessageReport>): MessageReport => ({ ...emptyMessageReport(), ...overrides });

const first = report({
  total: 10,
  counts: { pending: 0, sending: 0, sent: 2, delivered: 3, read: 2, failed: 2, skipped: 1 },
  reached: 8,
  failedAfterSend: 1,
  skippedByReason: { opted_out: 1 },
  errors: [
    { code: 131049, title: 'Healthy ecosystem', count: 1 },
    { code: 132000, title: 'Parameter mismatch', count: 1 },
  ],
  billable: 5,
  billableMessages: [{ category: 'marketing', callingCode: '91', count: 5 }],
  replied: 2,
  repliesByButton: [{ payload: 'PAID', text: 'Paid', count: 2 }],
});
const second = report({
  total: 4,
  counts: { pending: 0, sending: 0, sent: 0, delivered: 1, read: 0, failed: 2, skipped: 1 },
  reached: 3,
  failedAfterSend: 2,
  skippedByReason: { run_cancelled: 1 },
  errors: [{ code: 131049, title: 'Healthy ecosystem', count: 2 }],
  billable: 1,
  billableMessages: [{ category: 'marketing', callingCode: '91', count: 1 }],
  replied: 2,
  repliesByButton: [
    { payload: 'STOP', text: 'Stop reminders', count: 1 },
    { payload: 'PAID', text: 'Paid', count: 1 },
  ],
});

describe('run report', () => {
  it('when messages reached Meta, then rates are shares of those, a read counting as delivered', () => {
    expect(runResultsOf(first, undefined).rates).toEqual({
      delivered: 0.625,
      read: 0.25,
      failed: 0.125,
      replied: 0.25,
    });
  });

  it('when no message reached Meta, then every rate is null rather than a division by zero', () => {
    expect(runResultsOf(emptyMessageReport(), undefined).rates).toEqual({
      delivered: null,
      read: null,
      failed: null,
      replied: null,
    });
  });

  it('when runs are summed, then counts add up and errors and billable groups merge, largest error first', () => {
    const results = runResultsOf(sumReports([first, second]), undefined);
    expect(results.errors).toEqual([
      { code: 131049, title: 'Healthy ecosystem', count: 3 },
      { code: 132000, title: 'Parameter mismatch', count: 1 },
    ]);
    expect(results.skipped).toEqual({ opted_out: 1, run_cancelled: 1 });
    expect(results.pricing).toEqual({ billable: 6, byCategory: { MARKETING: 6 }, cost: null });
    expect(results.rates).toEqual({ delivered: 0.5455, read: 0.1818, failed: 0.2727, replied: 0.3636 });
  });

  it('when runs are summed, then replies add up and button taps merge by payload, largest first', () => {
    expect(runResultsOf(sumReports([first, second]), undefined).replies).toEqual({
      replied: 4,
      byButton: [
        { payload: 'PAID', text: 'Paid', count: 3 },
        { payload: 'STOP', text: 'Stop reminders', count: 1 },
      ],
    });
  });
});
