import { describe, expect, it } from 'vitest';
import { isDomainError } from '@ektola/platform/errors';
import {
  activationProblems,
  assertEditable,
  campaignStatuses,
  isIanaTimeZone,
  nextStatus,
  scheduleProblems,
  type CampaignAction,
  type CampaignStatus,
} from './campaign-state.ts';

const legal: Array<[CampaignStatus, CampaignAction, CampaignStatus]> = [
  ['DRAFT', 'activate', 'ACTIVE'],
  ['ACTIVE', 'pause', 'PAUSED'],
  ['PAUSED', 'resume', 'ACTIVE'],
  ['DRAFT', 'cancel', 'CANCELLED'],
  ['ACTIVE', 'cancel', 'CANCELLED'],
  ['PAUSED', 'cancel', 'CANCELLED'],
];
const actions: CampaignAction[] = ['activate', 'pause', 'resume', 'cancel'];

describe('nextStatus', () => {
  it.each(legal)('when a %s campaign is asked to %s, then it becomes %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  const illegal = campaignStatuses.flatMap((from) =>
    actions
      .filter((action) => !legal.some(([f, a]) => f === from && a === action))
      .map((action) => [from, action] as const),
  );
  it.each(illegal)('when a %s campaign is asked to %s, then it is a conflict', (from, action) => {
    try {
      nextStatus(from, action);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.kind === 'conflict' && error.code === 'illegal_transition').toBe(true);
    }
  });

  it('when the illegal transitions are counted, then every pair outside the legal six is one', () => {
    expect(illegal).toHaveLength(campaignStatuses.length * actions.length - legal.length);
  });
});

describe('assertEditable', () => {
  it.each(['DRAFT', 'PAUSED'] as const)('when a campaign is %s, then it can be edited', (status) => {
    expect(() => assertEditable(status)).not.toThrow();
  });
  it.each(['ACTIVE', 'COMPLETED', 'CANCELLED'] as const)(
    'when a campaign is %s, then editing is a conflict',
    (status) => {
      expect(() => assertEditable(status)).toThrow(/cannot be edited/);
    },
  );
});

describe('activationProblems', () => {
  it('when the template is not approved, then activation is refused naming its status', () => {
    expect(activationProblems({ templateStatus: 'PENDING', unmappedPlaceholders: [], audienceSize: 5 })?.code).toBe(
      'template_not_approved',
    );
  });
  it('when a placeholder has no contact field, then activation is refused naming it', () => {
    const problem = activationProblems({
      templateStatus: 'APPROVED',
      unmappedPlaceholders: ['body.2'],
      audienceSize: 5,
    });
    expect(problem?.code).toBe('template_unmapped');
    expect(problem?.message).toContain('body.2');
  });
  it('when nobody can be messaged, then activation is refused', () => {
    expect(activationProblems({ templateStatus: 'APPROVED', unmappedPlaceholders: [], audienceSize: 0 })?.code).toBe(
      'empty_audience',
    );
  });
  it('when everything is in place, then there is no problem', () => {
    expect(
      activationProblems({ templateStatus: 'APPROVED', unmappedPlaceholders: [], audienceSize: 1 }),
    ).toBeUndefined();
  });
});

describe('schedules', () => {
  it.each(['Asia/Kolkata', 'UTC', 'America/Argentina/Buenos_Aires'])(
    'when the zone is %s, then it is an IANA zone',
    (zone) => {
      expect(isIanaTimeZone(zone)).toBe(true);
    },
  );
  it.each(['Mars/Olympus', '+05:30', '', 'asia kolkata'])('when the zone is "%s", then it is refused', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });
  it('when endAt is not after startAt, then the problem names endAt', () => {
    const at = new Date('2026-03-01T09:00:00Z');
    expect(scheduleProblems({ recurrence: 'DAILY', timezone: 'UTC', startAt: at, endAt: at })).toEqual([
      { path: 'endAt', message: 'must be later than startAt' },
    ]);
    expect(scheduleProblems({ recurrence: 'DAILY', timezone: 'UTC', startAt: at, endAt: null })).toEqual([]);
  });
});
