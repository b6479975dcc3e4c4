import { describe, expect, it } from 'vitest';
import { createRun } from './create-run.ts';
import { campaignOf, fakeTransactions, senderOf } from './fake-transactions.ts';
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

  it('when the campaign names senders, then run.requested spreads over those that send, weighted by their rate; none named is the default sender; no sender at all leaves the choice to the dispatcher', async () => {
    const senders = [
      senderOf('high', { phoneNumberId: '1', metaMps: 1_000 }),
      senderOf('flagged', { phoneNumberId: '2', state: 'FLAGGED' }),
      senderOf('restricted', { phoneNumberId: '3', state: 'RESTRICTED' }),
      senderOf('default', { phoneNumberId: '4', isDefault: true }),
    ];
    const named = fakeTransactions({
      senders,
      campaigns: [campaignOf('camp', { status: 'ACTIVE', senders: ['high', 'flagged', 'restricted'] })],
    });
    await createRun({ ...named, clock, guardrails, flaggedFactor: 0.5 }, today);
    expect(named.events[0]?.payload).toMatchObject({
      senders: [
        { phoneNumberId: '1', weight: 1_000 },
        { phoneNumberId: '2', weight: 40 },
      ],
    });

    const unnamed = fakeTransactions({ senders, campaigns: [campaignOf('camp', { status: 'ACTIVE' })] });
    await createRun({ ...unnamed, clock, guardrails, flaggedFactor: 0.5 }, today);
    expect(unnamed.events[0]?.payload).toMatchObject({ senders: [{ phoneNumberId: '4', weight: 80 }] });

    const bare = withCampaign({});
    await createRun({ ...bare, clock, guardrails, flaggedFactor: 0.5 }, today);
    expect(bare.events[0]?.payload).not.toHaveProperty('senders');
  });
});
