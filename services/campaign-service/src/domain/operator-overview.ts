import type { Clock } from '@ektola/platform/clock';
import type { Run } from './model.ts';
import type { DispatchQuery, RunLedger, SendingAlert, TemplateCatalog } from './ports.ts';
import { share } from './run-report.ts';

const dayMs = 24 * 60 * 60_000;
const recentRunLimit = 50;
const pausedTemplateLimit = 50;

export type OverviewAlert =
  SendingAlert | { kind: 'template_paused'; message: string; templateId: string; templateName: string };

export interface OperatorOverview {
  /** Runs of every campaign scheduled within the last 7 days, newest first, at most 50. */
  runs: Run[];
  /** Messages created in the last 24 hours by their status now, with the rates of those that reached Meta. */
  messages: {
    byStatus: Record<string, number>;
    total: number;
    rates: { delivered: number | null; read: number | null };
  };
  sendsPerMinute: Array<{ minute: string; count: number }>;
  alerts: OverviewAlert[];
}

/**
 * What an operator must see first: the week's runs and the templates Meta paused are ours; the last
 * day's messages, the last hour's sends and what holds sending back (breaker, tier, account) are the
 * dispatcher's, asked over gRPC.
 */
export async function operatorOverview(deps: {
  runs: RunLedger;
  templates: TemplateCatalog;
  dispatch: DispatchQuery;
  clock: Clock;
}): Promise<OperatorOverview> {
  const since = new Date(deps.clock.now().getTime() - 7 * dayMs);
  const [runs, paused, sending] = await Promise.all([
    deps.runs.scheduledSince(since, recentRunLimit),
    deps.templates.list({ status: 'PAUSED', limit: pausedTemplateLimit }),
    deps.dispatch.sendingOverview(),
  ]);
  const byStatus: Record<string, number> = {};
  for (const { status, count } of sending.messagesLastDay) byStatus[status.toLowerCase()] = count;
  const count = (status: string) => byStatus[status] ?? 0;
  // A read message was delivered first, even when Meta reported only the read.
  const reached = count('sent') + count('delivered') + count('read') + count('failed');
  return {
    runs,
    messages: {
      byStatus,
      total: Object.values(byStatus).reduce((sum, value) => sum + value, 0),
      rates: { delivered: share(count('delivered') + count('read'), reached), read: share(count('read'), reached) },
    },
    sendsPerMinute: sending.sendsPerMinute,
    alerts: [
      ...sending.alerts,
      ...paused.items.map((template) => ({
        kind: 'template_paused' as const,
        message: `Meta paused the template ${template.name} (${template.language}); campaigns using it cannot send`,
        templateId: template.id,
        templateName: template.name,
      })),
    ],
  };
}
