import type { MessageCounts } from './model.ts';
import { costOf, type BillableGroup, type Cost, type RateCard } from './rate-card.ts';

/** What the dispatcher aggregates over one run's messages (or the sum over several runs). */
export interface MessageReport {
  total: number;
  counts: MessageCounts;
  /** Messages that reached Meta: SENT, DELIVERED, READ, and FAILED after Meta accepted them. */
  reached: number;
  /** FAILED after Meta accepted them (failures before that never reached Meta). */
  failedAfterSend: number;
  skippedByReason: Record<string, number>;
  errors: Array<{ code: number; title: string; count: number }>;
  billable: number;
  billableMessages: BillableGroup[];
  /** Messages that got at least one reply. */
  replied: number;
  /** Replies carrying a quick-reply payload or an interactive reply id, per payload. */
  repliesByButton: ButtonCount[];
}

export interface ButtonCount {
  payload: string;
  text: string;
  count: number;
}

export interface RunResults {
  /** Shares of the messages that reached Meta; null while none has. */
  rates: { delivered: number | null; read: number | null; failed: number | null; replied: number | null };
  errors: Array<{ code: number; title: string; count: number }>;
  pricing: { billable: number; byCategory: Record<string, number>; cost: Cost | null };
  skipped: Record<string, number>;
  replies: { replied: number; byButton: ButtonCount[] };
}

export const emptyMessageReport = (): MessageReport => ({
  total: 0,
  counts: { pending: 0, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0, skipped: 0 },
  reached: 0,
  failedAfterSend: 0,
  skippedByReason: {},
  errors: [],
  billable: 0,
  billableMessages: [],
  replied: 0,
  repliesByButton: [],
});

const add = (into: Record<string, number>, key: string, count: number) => {
  into[key] = (into[key] ?? 0) + count;
};

/** Several runs' reports as one: counts summed, errors and billable groups merged by their keys. */
export function sumReports(reports: readonly MessageReport[]): MessageReport {
  const sum = emptyMessageReport();
  const errors = new Map<string, MessageReport['errors'][number]>();
  const billable = new Map<string, BillableGroup>();
  const buttons = new Map<string, ButtonCount>();
  for (const report of reports) {
    sum.total += report.total;
    for (const [status, count] of Object.entries(report.counts)) add(sum.counts, status, count);
    sum.reached += report.reached;
    sum.failedAfterSend += report.failedAfterSend;
    for (const [reason, count] of Object.entries(report.skippedByReason)) add(sum.skippedByReason, reason, count);
    for (const error of report.errors) {
      const key = `${error.code}\u0000${error.title}`;
      errors.set(key, { ...error, count: (errors.get(key)?.count ?? 0) + error.count });
    }
    sum.billable += report.billable;
    for (const group of report.billableMessages) {
      const key = `${group.category}\u0000${group.callingCode}`;
      billable.set(key, { ...group, count: (billable.get(key)?.count ?? 0) + group.count });
    }
    sum.replied += report.replied;
    for (const button of report.repliesByButton)
      buttons.set(button.payload, {
        ...button,
        text: buttons.get(button.payload)?.text || button.text,
        count: (buttons.get(button.payload)?.count ?? 0) + button.count,
      });
  }
  sum.repliesByButton = [...buttons.values()];
  sum.errors = [...errors.values()];
  sum.billableMessages = [...billable.values()];
  return sum;
}

export const share = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

/** The report a business reads: rates of what reached Meta, Meta's errors largest first, pricing and cost, skips. */
export function runResultsOf(report: MessageReport, rateCard: RateCard | undefined): RunResults {
  const byCategory: Record<string, number> = {};
  for (const group of report.billableMessages)
    add(byCategory, (group.category || 'unknown').toUpperCase(), group.count);
  return {
    rates: {
      // A read message was delivered first, even when Meta reported only the read.
      delivered: share(report.counts.delivered + report.counts.read, report.reached),
      read: share(report.counts.read, report.reached),
      failed: share(report.failedAfterSend, report.reached),
      // A reply answers a message Meta accepted, so replies are a share of the messages sent.
      replied: share(report.replied, report.reached),
    },
    errors: [...report.errors].sort((a, b) => b.count - a.count || a.code - b.code),
    pricing: { billable: report.billable, byCategory, cost: costOf(rateCard, report.billableMessages) },
    skipped: { ...report.skippedByReason },
    replies: {
      replied: report.replied,
      byButton: [...report.repliesByButton].sort((a, b) => b.count - a.count || a.payload.localeCompare(b.payload)),
    },
  };
}
