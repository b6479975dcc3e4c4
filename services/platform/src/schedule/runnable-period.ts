import { hasRun, type CampaignSchedule } from './due-period.ts';
import { scheduleOf, type Period } from './schedule.ts';

type ScheduleFacts = Omit<CampaignSchedule, 'id' | 'status'>;

/**
 * The period a campaign would run next if it is (or becomes) ACTIVE at `now`: the latest occurrence
 * when it has no run yet and is still inside the grace window (the next scheduler pass creates it),
 * otherwise the first occurrence after `now`. Undefined when no occurrence can run any more: the ONCE
 * occurrence is too late or already ran, or every occurrence left lies after `endAt`.
 */
export function nextRunnablePeriod(
  campaign: ScheduleFacts,
  now: Date,
  options: { graceWindowMs: number },
): Period | undefined {
  const schedule = scheduleOf(campaign);
  const endAt = campaign.endAt;
  const beforeEnd = (period: Period) => !endAt || period.scheduledFor.getTime() <= endAt.getTime();
  const latestIndex = schedule.indexAtOrBefore(now);
  const latest = schedule.occurrence(latestIndex);
  if (
    latest &&
    beforeEnd(latest) &&
    !hasRun(campaign, latest) &&
    now.getTime() - latest.scheduledFor.getTime() <= options.graceWindowMs
  ) {
    return latest;
  }
  // Passes under a simulated clock can leave runs ahead of now; the next period is after the last run.
  let next = schedule.occurrence(latestIndex + 1);
  for (let index = latestIndex + 2; next && hasRun(campaign, next) && beforeEnd(next); index += 1)
    next = schedule.occurrence(index);
  return next && beforeEnd(next) ? next : undefined;
}

/**
 * Whether the schedule itself produces this period: the same key at the same instant, not after
 * `endAt`. A run is only ever created for such a period, so a caller cannot invent one.
 */
export function isScheduledPeriod(campaign: ScheduleFacts, period: Period): boolean {
  const schedule = scheduleOf(campaign);
  const occurrence = schedule.occurrence(schedule.indexAtOrBefore(period.scheduledFor));
  if (!occurrence) return false;
  if (campaign.endAt && occurrence.scheduledFor.getTime() > campaign.endAt.getTime()) return false;
  return (
    occurrence.periodKey === period.periodKey && occurrence.scheduledFor.getTime() === period.scheduledFor.getTime()
  );
}
