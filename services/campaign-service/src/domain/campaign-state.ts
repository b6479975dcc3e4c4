import { DomainError, type ErrorDetail } from '@ektola/platform/errors';

export const campaignStatuses = ['DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const recurrences = ['ONCE', 'DAILY', 'WEEKLY', 'MONTHLY'] as const;
export type Recurrence = (typeof recurrences)[number];

export type CampaignAction = 'activate' | 'pause' | 'resume' | 'cancel';

const transitions: Record<CampaignAction, { from: readonly CampaignStatus[]; to: CampaignStatus }> = {
  activate: { from: ['DRAFT'], to: 'ACTIVE' },
  pause: { from: ['ACTIVE'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'ACTIVE' },
  cancel: { from: ['DRAFT', 'ACTIVE', 'PAUSED'], to: 'CANCELLED' },
};

/** The status an action leads to, or a conflict naming what the current status allows. */
export function nextStatus(current: CampaignStatus, action: CampaignAction): CampaignStatus {
  const transition = transitions[action];
  if (!transition.from.includes(current)) {
    const allowed = (Object.keys(transitions) as CampaignAction[]).filter((candidate) =>
      transitions[candidate].from.includes(current),
    );
    throw new DomainError(
      'conflict',
      `a ${current} campaign cannot ${action}${allowed.length > 0 ? `; it can ${allowed.join(', ')}` : ''}`,
      {
        code: 'illegal_transition',
      },
    );
  }
  return transition.to;
}

/** Whether an action needs the template and audience checks: anything that makes a campaign ACTIVE. */
export const makesActive = (action: CampaignAction) => transitions[action].to === 'ACTIVE';

/** Edits change what the scheduler sends, so they wait until nothing is being sent on the old settings. */
export function assertEditable(status: CampaignStatus): void {
  if (status !== 'DRAFT' && status !== 'PAUSED') {
    throw new DomainError('conflict', `a ${status} campaign cannot be edited; only DRAFT and PAUSED campaigns can`, {
      code: 'not_editable',
    });
  }
}

/** What activation needs besides a legal transition: something to send, and someone to send it to. */
export function activationProblems(input: {
  templateStatus: string;
  unmappedPlaceholders: string[];
  audienceSize: number;
}): DomainError | undefined {
  if (input.templateStatus !== 'APPROVED') {
    return new DomainError(
      'conflict',
      `the template is ${input.templateStatus}; a campaign needs an APPROVED template to become active`,
      {
        code: 'template_not_approved',
      },
    );
  }
  if (input.unmappedPlaceholders.length > 0) {
    return new DomainError(
      'conflict',
      `the template has placeholders without a contact field: ${input.unmappedPlaceholders.join(', ')}`,
      {
        code: 'template_unmapped',
      },
    );
  }
  if (input.audienceSize === 0) {
    return new DomainError('conflict', 'the audience has no contacts that can be messaged', { code: 'empty_audience' });
  }
  return undefined;
}

const zoneName = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** IANA names only: Intl also takes offsets such as +05:30, which have no daylight-saving rules to follow. */
export function isIanaTimeZone(name: string): boolean {
  if (!zoneName.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export interface Schedule {
  recurrence: Recurrence;
  timezone: string;
  startAt: Date;
  endAt: Date | null;
}

/** Problems with a schedule, each naming its field. */
export function scheduleProblems(schedule: Schedule): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isIanaTimeZone(schedule.timezone))
    problems.push({ path: 'timezone', message: `${schedule.timezone} is not an IANA time zone such as Asia/Kolkata` });
  if (schedule.endAt && schedule.endAt.getTime() <= schedule.startAt.getTime()) {
    problems.push({ path: 'endAt', message: 'must be later than startAt' });
  }
  return problems;
}
