import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignQueryClient } from './grpc-clients.ts';
import { startHarness, type Harness } from './harness.ts';

const hour = 60 * 60 * 1000;
// The service's clock is fixed, so "10 hours ago" means the same on every run.
const now = new Date('2026-06-10T12:00:00Z');
const hoursFromNow = (hours: number) => new Date(now.getTime() + hours * hour).toISOString();

let harness: Harness;
let grpc: ReturnType<typeof campaignQueryClient>;
let templateId: string;

const post = (url: string, payload?: object) =>
  harness.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
const draft = async (fields: object) =>
  (await post('/v1/campaigns', { name: 'c', templateId, timezone: 'UTC', ...fields })).json() as { id: string };

beforeAll(async () => {
  harness = await startHarness({}, { clock: { now: () => now } });
  grpc = campaignQueryClient(harness.app.grpcAddress());
  templateId = (
    await post('/v1/templates', {
      name: 'on_time',
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Hi' }],
    })
  ).json().id;
  await post('/v1/contacts', { phone: '9876590001' });
});

afterAll(async () => {
  grpc?.close();
  await harness?.close();
});

describe('activation', () => {
  it('when a ONCE campaign started 10 hours ago, then activation is a 409 naming the grace window and it stays DRAFT', async () => {
    const campaign = await draft({ recurrence: 'ONCE', startAt: hoursFromNow(-10) });
    const refused = await post(`/v1/campaigns/${campaign.id}/activate`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'campaign_not_schedulable',
      message: expect.stringContaining('grace window of 6 h'),
    });
    expect((await harness.request({ url: `/v1/campaigns/${campaign.id}` })).json()).toMatchObject({
      status: 'DRAFT',
      nextRunAt: null,
    });
  });

  it('when a ONCE campaign started an hour ago, then it activates and its next run is due now, at the next scheduler pass', async () => {
    const campaign = await draft({ recurrence: 'ONCE', startAt: hoursFromNow(-1) });
    expect((await post(`/v1/campaigns/${campaign.id}/activate`)).json()).toMatchObject({
      status: 'ACTIVE',
      nextRunAt: hoursFromNow(-1),
    });
  });

  it("when a DAILY campaign's time today is past the grace window, then it activates and its next run is tomorrow", async () => {
    const campaign = await draft({ recurrence: 'DAILY', startAt: hoursFromNow(-10) });
    expect((await post(`/v1/campaigns/${campaign.id}/activate`)).json()).toMatchObject({
      status: 'ACTIVE',
      nextRunAt: hoursFromNow(14),
    });
  });

  it('when a paused campaign is moved into the past, then resume is a 409 too', async () => {
    const campaign = await draft({ recurrence: 'ONCE', startAt: hoursFromNow(2) });
    expect((await post(`/v1/campaigns/${campaign.id}/activate`)).json().nextRunAt).toBe(hoursFromNow(2));
    await post(`/v1/campaigns/${campaign.id}/pause`);
    expect(
      (
        await harness.request({
          method: 'PATCH',
          url: `/v1/campaigns/${campaign.id}`,
          payload: { startAt: hoursFromNow(-10) },
        })
      ).statusCode,
    ).toBe(200);
    const refused = await post(`/v1/campaigns/${campaign.id}/resume`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('campaign_not_schedulable');
  });
});

describe('CreateRun', () => {
  it('when the period key or instant is not one the schedule produces, then it is INVALID_ARGUMENT naming periodKey; the real one is created', async () => {
    const campaign = await draft({ recurrence: 'WEEKLY', startAt: hoursFromNow(1) });
    await post(`/v1/campaigns/${campaign.id}/activate`);
    const scheduledFor = hoursFromNow(1);
    for (const invented of [
      { periodKey: 'p1', scheduledFor },
      { periodKey: '2026-W24', scheduledFor: hoursFromNow(2) },
      { periodKey: '2026-W23', scheduledFor: hoursFromNow(1 - 7 * 24) },
    ]) {
      await expect(grpc.createRun({ campaignId: campaign.id, ...invented })).rejects.toMatchObject({
        kind: 'invalid',
        details: [expect.objectContaining({ path: 'periodKey' })],
      });
    }
    expect(await grpc.createRun({ campaignId: campaign.id, periodKey: '2026-W24', scheduledFor })).toMatchObject({
      created: true,
    });
  });
});

describe('skipped periods', () => {
  it('when the scheduler reports skipped periods, then the campaign shows the latest with its reason, and an older report does not replace it', async () => {
    const campaign = await draft({ recurrence: 'DAILY', startAt: hoursFromNow(-48) });
    await post(`/v1/campaigns/${campaign.id}/activate`);
    const report = (skippedPeriods: object[]) =>
      grpc.recordSchedulerRun({
        startedAt: now.toISOString(),
        finishedAt: now.toISOString(),
        campaignsSeen: 1,
        runsCreated: 0,
        runsExisting: 0,
        skipped: 1,
        errors: 0,
        skippedPeriods,
      });
    await report([
      {
        campaignId: campaign.id,
        periodKey: '2026-06-10',
        scheduledFor: now.toISOString(),
        reason: 'outside_grace_window',
      },
    ]);
    await report([
      {
        campaignId: campaign.id,
        periodKey: '2026-06-09',
        scheduledFor: hoursFromNow(-24),
        reason: 'campaign_not_schedulable',
      },
    ]);
    expect((await harness.request({ url: `/v1/campaigns/${campaign.id}` })).json().lastSkippedPeriod).toEqual({
      periodKey: '2026-06-10',
      scheduledFor: now.toISOString(),
      reason: 'outside_grace_window',
      reportedAt: now.toISOString(),
    });
    await expect(
      report([{ campaignId: campaign.id, periodKey: 'x', scheduledFor: now.toISOString(), reason: 'bored' }]),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });
});
