export {
  decideDuePeriod,
  defaultGraceWindowMs,
  hasRun,
  type CampaignSchedule,
  type CampaignStatus,
  type NotDueReason,
  type PeriodDecision,
} from './due-period.ts';
export { duration, durationList, graceWindowEnv, parseDuration } from './grace-window.ts';
export { isScheduledPeriod, nextRunnablePeriod } from './runnable-period.ts';
export { scheduleOf, type Period, type Recurrence, type Schedule } from './schedule.ts';
export { instantOfWallClock, isKnownTimeZone, type WallClockTime } from './wall-clock-time.ts';
export { nextWindowOpening, recipientZone, sendWindowSchema, type SendWindow } from './send-window.ts';
