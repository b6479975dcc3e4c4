import { describe, expect, it } from 'vitest';
import { createRun } from './create-run.ts';
import { campaignOf, fakeTransactions } from './fake-transactions.ts';
import type { Campaign } from './model.ts';

const clock = { now: () => new Date('2026-03-05T10:00:00Z') };
const today = { campaignId: 'camp', periodKey: '2026-03-05', scheduledFor: new Date('2026-03-05T09:00:00Z') };

const guardrails = {
  current: async () => ({
    frequencyCap: { maxMessages: 2, windowHours: 24 },
    blockedCallingCodes: ['1', '44'],
    updatedAt: null,
  }),
};

const withCampaign = (overrides: Partial<Campaign>) =>
  fakeTransactions({ campaigns: [campaignOf('camp', { status: 'ACTIVE', ...overrides })] });

describe('createRun', () => {
  it('when an ACTIVE campaign is asked for a period its schedule produces, then the run is created with its run.requested event, which carries the guardrails and the send window in the campaign zone', async () => {
    const fake = withCampaign({ sendWindow: { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] } });
    const { run, created } = await createRun({ ...fake, clock, guardrails, flaggedFactor: 0.5 }, today);
    expect(created).toBe(true);
    expect(run).toMatchObject({
      campaignId: 'camp',
      templateId: 'template-1',
      periodKey: '2026-03-05',
      status: 'REQUESTED',
    });
    expect(fake.events).toEqual([
      {
        event: 'run.requested.v1',
        payload: {
          runId: run.id,
          campaignId: 'camp',
          templateId: 'template-1',
          periodKey: '2026-03-05',
          scheduledFor: '2026-03-05T09:00:00.000Z',
          requestedAt: '2026-03-05T10:00:00.000Z',
          guardrails: {
            frequencyCap: { maxMessages: 2, windowSeconds: 86_400 },
            blockedCallingCodes: ['1', '44'],
            sendWindow: { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5], timezone: 'UTC' },
          },
        },
      },
    ]);
    expect(fake.campaign('camp')?.status).toBe('ACTIVE');
  });

  it('when the period already has a run, then that run is answered, not created, and nothing is announced', async () => {
    const fake = withCampaign({});
    const first = await createRun({ ...fake, clock, guardrails, flaggedFactor: 0.5 }, today);
    const again = await createRun({ ...fake, clock, guardrails, flaggedFactor: 0.5 }, today);
    expect(again).toEqual({ run: first.run, created: false });
    expect(fake.events).toHaveLength(1);
  });

  it('when a ONCE campaign gets its run, then the campaign is COMPLETED, and a retry still answers its run', async () => {
    const fake = withCampaign({ recurrence: 'ONCE', startAt: today.scheduledFor });
    const once = { ...today, periodKey: 'once' };
    expect((await createRun({ ...fake, clock, guardrails, flaggedFactor: 0.5 }, once)).created).toBe(true);
    expect(fake.campaign('camp')?.status).toBe('COMPLETED');
    expect((await createRun({ ...fake, clock, guardrails, flaggedFactor: 0.5 }, once)).created).toBe(false);
  });

  it('when the campaign is not ACTIVE, then it is a failed precondition and nothing is written', async () => {
    const fake = withCampaign({ status: 'PAUSED' });
    await expect(createRun({ ...fake, clock, guardrails, flaggedFactor: 0.5 }, today)).rejects.toMatchObject({
      kind: 'failed_precondition',
      code: 'campaign_not_active',
    });
    expect(fake.events).toEqual([]);
  });

  it('when the schedule does not produce the period, then it is invalid naming periodKey', async () => {
    const fake = withCampaign({});
    await expect(
      createRun({ ...fake, clock, guardrails, flaggedFactor: 0.5 }, { ...today, periodKey: 'invented' }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ path: 'periodKey' }],
    });
    expect(fake.events).toEqual([]);
  });

  it('when the campaign does not exist, then it is not found', async () => {
    await expect(
      createRun({ ...fakeTransactions(), clock, guardrails, flaggedFactor: 0.5 }, today),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
  });
});
