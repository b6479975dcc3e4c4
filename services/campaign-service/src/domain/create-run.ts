import type { Clock } from '@ektola/platform/clock';
import { failedPrecondition, notFound } from '@ektola/platform/errors';
import { runRequested } from '@ektola/platform/events';
import { unscheduledPeriodProblem } from './campaign-schedule.ts';
import { campaignRunSenders } from './campaign-senders.ts';
import type { Run } from './model.ts';
import { runGuardrailsOf } from './guardrails.ts';
import type { GuardrailStore, Transactions } from './ports.ts';

export interface RunRequest {
  campaignId: string;
  periodKey: string;
  scheduledFor: Date;
}

/**
 * The scheduler asks for a campaign's run of one period. There is one run per (campaign, period): the
 * campaign's lock serialises concurrent requests, so the second finds the first's run (and a retry
 * after a ONCE campaign completed still answers `created: false`). A period the campaign's schedule
 * does not produce is refused, as is a campaign that is not ACTIVE. The run, its run.requested event
 * and a ONCE campaign's completion commit together or not at all. The event carries the marketing
 * guardrails as they stand now and the campaign's send window, which the run is sent under, and the
 * numbers it spreads over (the campaign's senders, else the default), each weighted by its rate now.
 */
export async function createRun(
  deps: {
    transactions: Transactions;
    clock: Clock;
    guardrails: Pick<GuardrailStore, 'current'>;
    /** How much slower a FLAGGED sender sends, which lowers its weight. */
    flaggedFactor: number;
  },
  request: RunRequest,
): Promise<{ run: Run; created: boolean }> {
  // Read before the transaction: a transaction waiting for the campaign's lock holds a connection, so a
  // read from the pool inside it could wait on connections those waiting transactions hold.
  const settings = await deps.guardrails.current();
  return deps.transactions.run(async ({ campaigns, runs, senders, outbox }) => {
    const campaign = await campaigns.lock(request.campaignId);
    if (!campaign) throw notFound('campaign', request.campaignId);
    const unscheduled = unscheduledPeriodProblem(
      { ...campaign, lastRun: null },
      { periodKey: request.periodKey, scheduledFor: request.scheduledFor },
    );
    if (unscheduled) throw unscheduled;
    const existing = await runs.findForPeriod(campaign.id, request.periodKey);
    if (existing) return { run: existing, created: false };
    if (campaign.status !== 'ACTIVE')
      throw failedPrecondition(
        `the campaign is ${campaign.status}; runs are created only for ACTIVE campaigns`,
        'campaign_not_active',
      );

    const runSenders = await campaignRunSenders(senders, campaign, deps.flaggedFactor);
    const run = await runs.add({
      campaignId: campaign.id,
      templateId: campaign.templateId,
      periodKey: request.periodKey,
      scheduledFor: request.scheduledFor,
    });
    await outbox.add(runRequested, {
      runId: run.id,
      campaignId: campaign.id,
      templateId: campaign.templateId,
      periodKey: request.periodKey,
      scheduledFor: request.scheduledFor.toISOString(),
      requestedAt: deps.clock.now().toISOString(),
      guardrails: runGuardrailsOf(settings, campaign),
      ...(runSenders ? { senders: runSenders } : {}),
    });
    if (campaign.recurrence === 'ONCE') await campaigns.setStatus(campaign.id, 'COMPLETED');
    return { run, created: true };
  });
}
