import { DomainError, invalid } from '@ektola/platform/errors';
import { hasRun, isScheduledPeriod, nextRunnablePeriod, scheduleOf, type Period } from '@ektola/platform/schedule';
import type { Campaign } from './model.ts';

type ScheduledCampaign = Pick<Campaign, 'recurrence' | 'timezone' | 'startAt' | 'endAt' | 'lastRun'>;

const factsOf = (campaign: ScheduledCampaign) => ({
  recurrence: campaign.recurrence,
  timezone: campaign.timezone,
  startAt: campaign.startAt,
  endAt: campaign.endAt ?? undefined,
  lastPeriodKey: campaign.lastRun?.periodKey,
  lastScheduledFor: campaign.lastRun?.scheduledFor,
});

const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 100) / 100} h`;

/** When the campaign's next run is due, computed with the scheduler's own code; null when none is left. */
export function nextRunAt(campaign: ScheduledCampaign, now: Date, graceWindowMs: number): Date | null {
  return nextRunnablePeriod(factsOf(campaign), now, { graceWindowMs })?.scheduledFor ?? null;
}

/**
 * Why a campaign becoming ACTIVE now could never run, if so: every occurrence left is older than the
 * scheduler's grace window, already ran, or lies after endAt. Refused rather than left ACTIVE forever.
 */
export function unrunnableProblem(
  campaign: ScheduledCampaign,
  now: Date,
  graceWindowMs: number,
): DomainError | undefined {
  const facts = factsOf(campaign);
  if (nextRunnablePeriod(facts, now, { graceWindowMs })) return undefined;
  const schedule = scheduleOf(facts);
  const latest = schedule.occurrence(schedule.indexAtOrBefore(now));
  const nothingLater = campaign.endAt
    ? `no later one comes before endAt (${campaign.endAt.toISOString()})`
    : 'it has no later one';
  let reason = 'no occurrence falls between startAt and endAt';
  if (latest && hasRun(facts, latest))
    reason = `its latest occurrence (${latest.periodKey}) already ran and ${nothingLater}`;
  else if (latest) {
    reason = `its latest occurrence (${latest.periodKey}, due ${latest.scheduledFor.toISOString()}) is older than the scheduler's grace window of ${hours(graceWindowMs)} and ${nothingLater}`;
  }
  return new DomainError('conflict', `the campaign could never run: ${reason}; change startAt (or endAt) first`, {
    code: 'campaign_not_schedulable',
  });
}

/** CreateRun takes only a period the campaign's schedule produces, so no caller can invent one. */
export function unscheduledPeriodProblem(campaign: ScheduledCampaign, period: Period): DomainError | undefined {
  if (isScheduledPeriod(factsOf(campaign), period)) return undefined;
  return invalid('the campaign schedule does not produce this period', [
    {
      path: 'periodKey',
      message: `${period.periodKey} at ${period.scheduledFor.toISOString()} is not an occurrence of this ${campaign.recurrence} campaign`,
    },
  ]);
}
