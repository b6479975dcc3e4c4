import { scheduleOf, type Period, type Recurrence } from './schedule.ts';

export type CampaignStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'COMPLETED' | 'CANCELLED';

/** What the scheduler knows about a campaign when it decides whether a period is due. */
export interface CampaignSchedule {
  id: string;
  status: CampaignStatus;
  recurrence: Recurrence;
  /** IANA time zone whose wall clock the recurrence follows. */
  timezone: string;
  startAt: Date;
  endAt?: Date | undefined;
  /** The most recent period a run exists for, when the campaign ever ran. */
  lastPeriodKey?: string | undefined;
  lastScheduledFor?: Date | undefined;
}

export const defaultGraceWindowMs = 6 * 60 * 60 * 1000;

export type NotDueReason =
  /** DRAFT, PAUSED, COMPLETED or CANCELLED. */
  | 'inactive'
  /** `now` is before the first occurrence. */
  | 'not_started'
  /** The latest occurrence already has its run; `nextAt` says when the next one is due. */
  | 'already_run'
  /** No occurrence is left before `endAt` that could still run, or the single ONCE occurrence already ran. */
  | 'ended';

export type PeriodDecision =
  | { outcome: 'due'; period: Period; missedBefore: number }
  | { outcome: 'skipped'; reason: 'outside_grace_window'; period: Period; lateByMs: number; missedBefore: number }
  | { outcome: 'not_due'; reason: NotDueReason; nextAt?: Date };

/**
 * Which period of a campaign should run at `now`, if any.
 * - Occurrences before `startAt` or after `endAt` never run, nor does anything for a campaign that is not ACTIVE.
 * - Only the latest occurrence at or before `now` is ever considered: after an outage the scheduler
 *   never bursts a backlog. It runs if it is at most `graceWindowMs` old and skipped otherwise, so a
 *   campaign never sends hours late. `missedBefore` counts the older occurrences that never got a run.
 * - An occurrence counts as run when its key is the last run's key, or the last run was scheduled
 *   at or after it; the campaign-service's idempotent CreateRun backs this up when passes overlap.
 */
export function decideDuePeriod(
  campaign: CampaignSchedule,
  now: Date,
  options: { graceWindowMs: number },
): PeriodDecision {
  if (campaign.status !== 'ACTIVE') return { outcome: 'not_due', reason: 'inactive' };

  const schedule = scheduleOf(campaign);
  const endAt = campaign.endAt;
  if (endAt && Number.isNaN(endAt.getTime())) throw new RangeError('endAt is not a valid instant');
  const horizon = endAt && endAt.getTime() < now.getTime() ? endAt : now;
  const latestIndex = schedule.indexAtOrBefore(horizon);
  const latest = schedule.occurrence(latestIndex);
  if (!latest) {
    const first = schedule.occurrence(0);
    const startsLater =
      first &&
      now.getTime() < first.scheduledFor.getTime() &&
      !(endAt && endAt.getTime() < first.scheduledFor.getTime());
    return startsLater
      ? { outcome: 'not_due', reason: 'not_started', nextAt: first.scheduledFor }
      : { outcome: 'not_due', reason: 'ended' };
  }

  if (hasRun(campaign, latest)) {
    const next = schedule.occurrence(latestIndex + 1);
    const nextAt = next && !(endAt && next.scheduledFor.getTime() > endAt.getTime()) ? next.scheduledFor : undefined;
    return nextAt ? { outcome: 'not_due', reason: 'already_run', nextAt } : { outcome: 'not_due', reason: 'ended' };
  }

  const lastRunIndex = campaign.lastScheduledFor ? schedule.indexAtOrBefore(campaign.lastScheduledFor) : -1;
  const missedBefore = Math.max(0, latestIndex - lastRunIndex - 1);
  const lateByMs = now.getTime() - latest.scheduledFor.getTime();
  if (lateByMs > options.graceWindowMs) {
    // Past the end nothing more can run, so a campaign that simply finished is not reported as skipping.
    if (endAt && endAt.getTime() < now.getTime()) return { outcome: 'not_due', reason: 'ended' };
    return { outcome: 'skipped', reason: 'outside_grace_window', period: latest, lateByMs, missedBefore };
  }
  return { outcome: 'due', period: latest, missedBefore };
}

export function hasRun(
  campaign: Pick<CampaignSchedule, 'lastPeriodKey' | 'lastScheduledFor'>,
  period: Period,
): boolean {
  if (campaign.lastPeriodKey === period.periodKey) return true;
  return (
    campaign.lastScheduledFor !== undefined && campaign.lastScheduledFor.getTime() >= period.scheduledFor.getTime()
  );
}
