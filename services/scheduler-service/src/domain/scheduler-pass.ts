import type { Clock } from '@ektola/platform/clock';
import { isDomainError } from '@ektola/platform/errors';
import type { Logger } from '@ektola/platform/logger';
import { decideDuePeriod, type CampaignSchedule, type Period, type PeriodDecision } from '@ektola/platform/schedule';

/** One listed campaign, or one the directory could not read (bad time zone, unknown recurrence…). */
export type ListedCampaign = { campaign: CampaignSchedule } | { unreadable: { id: string; problem: string } };

export interface PassSummary {
  campaignsSeen: number;
  runsCreated: number;
  /** CreateRun found the run already there: another pass got to it first. */
  runsExisting: number;
  /** Periods that should have run but did not: outside the grace window, or refused by the campaign-service. */
  skipped: number;
  /** Campaigns with nothing due right now. */
  notDue: number;
  errors: number;
}

/** A period that should have run and did not, reported so its campaign can show it. */
export interface SkippedPeriod {
  campaignId: string;
  period: Period;
  reason: 'outside_grace_window' | 'campaign_not_schedulable';
}

/** Skipped periods reported per pass at most; the summary still counts them all. */
export const maxReportedSkips = 1_000;

/** The campaign-service as the scheduler needs it. */
export interface CampaignDirectory {
  /** Every schedulable campaign, a page at a time. */
  pages(): AsyncIterable<ListedCampaign[]>;
  /** Idempotent on (campaign, period): `created` is false when the run already existed. */
  createRun(campaignId: string, period: Period): Promise<{ created: boolean; runId: string }>;
  recordPass(report: {
    startedAt: Date;
    finishedAt: Date;
    summary: PassSummary;
    skippedPeriods: SkippedPeriod[];
  }): Promise<void>;
}

export interface PassResult {
  summary: PassSummary;
  /** The instant the due periods were decided for (the simulated one under --now). */
  evaluatedAt: Date;
  startedAt: Date;
  finishedAt: Date;
  /** True when every campaign was looked at, every due run requested and the pass recorded. */
  ok: boolean;
  /** Why the pass stopped short, when it did. */
  failure?: string;
}

export interface SchedulerPassDeps {
  directory: CampaignDirectory;
  /** Real time: when the pass started and finished. */
  clock: Clock;
  /** The time due periods are decided for; the real clock except when simulating with --now. */
  evaluationClock: Clock;
  graceWindowMs: number;
  /** CreateRun calls in flight at once. */
  concurrency: number;
  logger: Logger;
}

const emptySummary = (): PassSummary => ({
  campaignsSeen: 0,
  runsCreated: 0,
  runsExisting: 0,
  skipped: 0,
  notDue: 0,
  errors: 0,
});

/**
 * One pass over every schedulable campaign: decide what is due now, ask for those runs, and report.
 * Safe to run concurrently with another pass, because CreateRun is idempotent on (campaign, period).
 * An unreachable campaign-service ends the pass early (there is no point asking it 10,000 times);
 * any other failure is counted against its campaign and the pass carries on.
 */
export async function runSchedulerPass(deps: SchedulerPassDeps, signal: AbortSignal): Promise<PassResult> {
  const { directory, logger } = deps;
  const startedAt = deps.clock.now();
  const evaluatedAt = deps.evaluationClock.now();
  const summary = emptySummary();
  const skippedPeriods: SkippedPeriod[] = [];
  const skip = (campaignId: string, period: Period, reason: SkippedPeriod['reason']) => {
    summary.skipped += 1;
    if (skippedPeriods.length < maxReportedSkips) skippedPeriods.push({ campaignId, period, reason });
  };
  let failure: string | undefined;

  const schedule = async (listed: ListedCampaign) => {
    summary.campaignsSeen += 1;
    if ('unreadable' in listed) {
      summary.errors += 1;
      logger.error(
        { campaignId: listed.unreadable.id, problem: listed.unreadable.problem },
        'campaign cannot be scheduled',
      );
      return;
    }
    const { campaign } = listed;
    let decision: PeriodDecision;
    try {
      decision = decideDuePeriod(campaign, evaluatedAt, { graceWindowMs: deps.graceWindowMs });
    } catch (error) {
      summary.errors += 1;
      logger.error({ campaignId: campaign.id, err: error }, 'could not decide the due period');
      return;
    }
    if (decision.outcome === 'not_due') {
      summary.notDue += 1;
      logger.debug({ campaignId: campaign.id, reason: decision.reason, nextAt: decision.nextAt }, 'nothing due');
      return;
    }
    const { period, missedBefore } = decision;
    const about = { campaignId: campaign.id, periodKey: period.periodKey, scheduledFor: period.scheduledFor };
    if (missedBefore > 0)
      logger.warn({ campaignId: campaign.id, missedBefore }, 'older periods were missed and are skipped');
    if (decision.outcome === 'skipped') {
      skip(campaign.id, period, decision.reason);
      logger.warn(
        { ...about, lateByMs: decision.lateByMs, graceWindowMs: deps.graceWindowMs },
        'period skipped: outside the grace window',
      );
      return;
    }
    try {
      const { created, runId } = await directory.createRun(campaign.id, period);
      if (created) summary.runsCreated += 1;
      else summary.runsExisting += 1;
      logger.info({ ...about, runId, created }, created ? 'run created' : 'run already existed');
    } catch (error) {
      // The campaign changed between listing and now (paused, completed, deleted): nothing to run.
      if (isDomainError(error) && (error.kind === 'failed_precondition' || error.kind === 'not_found')) {
        skip(campaign.id, period, 'campaign_not_schedulable');
        logger.info({ ...about, reason: error.message }, 'period skipped: campaign no longer schedulable');
        return;
      }
      summary.errors += 1;
      logger.error({ ...about, err: error }, 'could not create run');
      if (isDomainError(error) && error.kind === 'unavailable')
        failure ??= `campaign-service unavailable: ${error.message}`;
    }
  };

  try {
    for await (const page of directory.pages()) {
      await forEachConcurrently(page, deps.concurrency, schedule, () => failure !== undefined || signal.aborted);
      if (failure) break;
      if (signal.aborted) {
        failure = 'stopped before the pass finished';
        break;
      }
    }
  } catch (error) {
    failure = `could not list campaigns: ${error instanceof Error ? error.message : String(error)}`;
  }

  if (!failure) {
    try {
      await directory.recordPass({ startedAt, finishedAt: deps.clock.now(), summary, skippedPeriods });
    } catch (error) {
      failure = `could not record the pass: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const ok = !failure && summary.errors === 0;
  return { summary, evaluatedAt, startedAt, finishedAt: deps.clock.now(), ok, ...(failure ? { failure } : {}) };
}

/** Runs `work` over `items` with at most `limit` in flight; stops starting new ones once `halted()` says so. */
async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
  halted: () => boolean,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !halted()) {
      const item = items[next];
      next += 1;
      await work(item as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
