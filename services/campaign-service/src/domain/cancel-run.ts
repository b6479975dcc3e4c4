import type { Clock } from '@ektola/platform/clock';
import { conflict, notFound } from '@ektola/platform/errors';
import { runCancelled } from '@ektola/platform/events';
import { nextStatus } from './campaign-state.ts';
import type { Campaign, Run } from './model.ts';
import type { TransactionScope, Transactions } from './ports.ts';

type CancelDeps = { transactions: Transactions; clock: Clock };

/** Marks the run CANCELLED and tells the dispatcher, which skips its PENDING messages and lets those in flight finish. */
async function cancelOpenRun({ runs, outbox }: TransactionScope, run: Run, at: Date): Promise<Run> {
  const cancelled = await runs.markCancelled(run.id, at);
  await outbox.add(runCancelled, { runId: run.id, campaignId: run.campaignId, cancelledAt: at.toISOString() });
  return cancelled;
}

/**
 * An operator cancels a run. Only a REQUESTED run can be: a COMPLETED one has nothing left to stop, and
 * cancelling twice is refused too, so the answer always says what happened.
 */
export async function cancelRun(deps: CancelDeps, runId: string): Promise<Run> {
  const at = deps.clock.now();
  return deps.transactions.run(async (scope) => {
    const run = await scope.runs.lock(runId);
    if (!run) throw notFound('run', runId);
    if (run.status === 'COMPLETED')
      throw conflict(
        `the run completed at ${run.completedAt?.toISOString()}; nothing is left to cancel`,
        'run_completed',
      );
    if (run.status === 'CANCELLED')
      throw conflict(`the run was already cancelled at ${run.cancelledAt?.toISOString()}`, 'run_already_cancelled');
    return cancelOpenRun(scope, run, at);
  });
}

/** Cancelling a campaign also cancels its runs still under way, in the same transaction. */
export async function cancelCampaign(
  deps: CancelDeps,
  campaignId: string,
): Promise<{ campaign: Campaign; cancelledRuns: Run[] }> {
  const at = deps.clock.now();
  return deps.transactions.run(async (scope) => {
    const current = await scope.campaigns.lock(campaignId);
    if (!current) throw notFound('campaign', campaignId);
    const campaign = await scope.campaigns.setStatus(campaignId, nextStatus(current.status, 'cancel'));
    const cancelledRuns: Run[] = [];
    for (const run of await scope.runs.lockOpenRuns(campaignId))
      cancelledRuns.push(await cancelOpenRun(scope, run, at));
    return { campaign, cancelledRuns };
  });
}
