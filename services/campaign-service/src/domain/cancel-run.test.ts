import { describe, expect, it } from 'vitest';
import { cancelCampaign, cancelRun } from './cancel-run.ts';
import { campaignOf, fakeTransactions, runOf } from './fake-transactions.ts';
import type { Campaign, Run } from './model.ts';

const clock = { now: () => new Date('2026-03-05T10:00:00Z') };
const runInState = (id: string, status: Run['status'], campaignId = 'camp'): Run =>
  runOf(id, {
    status,
    campaignId,
    completedAt: status === 'COMPLETED' ? new Date('2026-03-05T09:30:00Z') : null,
    cancelledAt: status === 'CANCELLED' ? new Date('2026-03-05T09:40:00Z') : null,
  });
const campaignIn = (status: Campaign['status']): Campaign => campaignOf('camp', { status });

describe('cancelRun', () => {
  it('when the run is REQUESTED, then it is CANCELLED and run.cancelled is announced', async () => {
    const fake = fakeTransactions({ runs: [runInState('r1', 'REQUESTED')] });
    expect(await cancelRun({ ...fake, clock }, 'r1')).toMatchObject({ status: 'CANCELLED', cancelledAt: clock.now() });
    expect(fake.events).toEqual([
      {
        event: 'run.cancelled.v1',
        payload: { runId: 'r1', campaignId: 'camp', cancelledAt: '2026-03-05T10:00:00.000Z' },
      },
    ]);
  });

  it.each([
    { status: 'COMPLETED' as const, code: 'run_completed' },
    { status: 'CANCELLED' as const, code: 'run_already_cancelled' },
  ])('when the run is $status, then it is a conflict ($code) and nothing is announced', async ({ status, code }) => {
    const fake = fakeTransactions({ runs: [runInState('r1', status)] });
    await expect(cancelRun({ ...fake, clock }, 'r1')).rejects.toMatchObject({ kind: 'conflict', code });
    expect(fake.run('r1')?.status).toBe(status);
    expect(fake.events).toEqual([]);
  });

  it('when the run does not exist, then it is not found', async () => {
    await expect(cancelRun({ ...fakeTransactions(), clock }, 'nope')).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('cancelCampaign', () => {
  it('when an ACTIVE campaign is cancelled, then its REQUESTED runs are cancelled with it and completed ones are left alone', async () => {
    const fake = fakeTransactions({
      campaigns: [campaignIn('ACTIVE')],
      runs: [
        runInState('open', 'REQUESTED'),
        runInState('done', 'COMPLETED'),
        runInState('other', 'REQUESTED', 'elsewhere'),
      ],
    });
    const { campaign, cancelledRuns } = await cancelCampaign({ ...fake, clock }, 'camp');
    expect(campaign.status).toBe('CANCELLED');
    expect(cancelledRuns.map((run) => run.id)).toEqual(['open']);
    expect(fake.run('done')?.status).toBe('COMPLETED');
    expect(fake.run('other')?.status).toBe('REQUESTED');
    expect(fake.events.map((event) => (event.payload as { runId: string }).runId)).toEqual(['open']);
  });

  it('when the campaign is COMPLETED, then cancel is a conflict and its runs stay as they were', async () => {
    const fake = fakeTransactions({ campaigns: [campaignIn('COMPLETED')], runs: [runInState('open', 'REQUESTED')] });
    await expect(cancelCampaign({ ...fake, clock }, 'camp')).rejects.toMatchObject({
      kind: 'conflict',
      code: 'illegal_transition',
    });
    expect(fake.run('open')?.status).toBe('REQUESTED');
    expect(fake.events).toEqual([]);
  });
});
