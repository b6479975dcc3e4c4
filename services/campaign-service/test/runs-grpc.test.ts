import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@ektola/platform/logger';
import { eventually, freePort, testNatsUrl } from '@ektola/platform/testing';
import { buildApp } from '../src/app.ts';
import { startFakeDispatcher } from './fake-dispatcher.ts';
import { campaignQueryClient, runEventCount } from './grpc-clients.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let grpc: ReturnType<typeof campaignQueryClient>;
let dispatcher: Awaited<ReturnType<typeof startFakeDispatcher>>;
let nc: NatsConnection;
let jsm: JetStreamManager;
let templateId: string;
const dispatcherRuns = new Map<string, { total: number; delivered: number; failed: number }>();

const post = (url: string, payload?: object) =>
  harness.request({ method: 'POST', url, ...(payload ? { payload } : {}) });

async function activeCampaign(overrides: object = {}) {
  const campaign = (
    await post('/v1/campaigns', {
      name: 'Reminder',
      templateId,
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: '2030-01-01T09:00:00Z',
      audience: { tags: ['loan'] },
      ...overrides,
    })
  ).json();
  expect((await post(`/v1/campaigns/${campaign.id}/activate`)).statusCode).toBe(200);
  return campaign as { id: string };
}

beforeAll(async () => {
  const dispatcherPort = await freePort();
  dispatcher = await startFakeDispatcher(dispatcherPort, dispatcherRuns);
  harness = await startHarness({
    DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${dispatcherPort}`,
    DISPATCHER_DEADLINE_MS: '1000',
  });
  grpc = campaignQueryClient(harness.app.grpcAddress());
  nc = await connect({ servers: testNatsUrl() });
  jsm = await jetstreamManager(nc);
  templateId = (
    await post('/v1/templates', {
      name: 'loan_due',
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Dear {{1}}, {{2}} is due on {{3}}.' }],
      variables: {
        'body.1': { field: 'name', default: 'customer' },
        'body.2': { field: 'attributes.amount' },
        'body.3': { field: 'attributes.due', default: 'the 5th' },
      },
    })
  ).json().id;
  const contacts = [
    { phone: '9876530001', name: 'Asha', tags: ['loan'], attributes: { amount: '₹12,500', due: '5 March' } },
    { phone: '9876530002', tags: ['loan'], attributes: { amount: '₹9,000' } },
    { phone: '9876530003', name: 'No amount', tags: ['loan'], attributes: {} },
    { phone: '9876530004', name: 'Stopped', tags: ['loan'], attributes: { amount: '₹1' } },
    { phone: '9876530005', name: 'Other tag', tags: ['gold'], attributes: { amount: '₹2' } },
    { phone: '9876530006', name: 'Ravi', tags: ['loan', 'gold'], attributes: { amount: '₹3' } },
  ];
  for (const contact of contacts) {
    const created = (await post('/v1/contacts', contact)).json();
    if (contact.name === 'Stopped') await post(`/v1/contacts/${created.id}/opt-out`);
  }
});

afterAll(async () => {
  grpc?.close();
  await nc?.close();
  await harness?.close();
  await dispatcher?.stop();
});

describe('CreateRun', () => {
  it('when 20 CreateRun calls for one period arrive at once, then one run is created and one event is published', async () => {
    const campaign = await activeCampaign();
    const before = await runEventCount(jsm, harness.namespace);
    const request = { campaignId: campaign.id, periodKey: '2030-01-01', scheduledFor: '2030-01-01T09:00:00Z' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => grpc.createRun(request)));
    expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.run?.id)).size).toBe(1);
    expect(answers[0]!.run).toMatchObject({
      campaignId: campaign.id,
      templateId,
      periodKey: '2030-01-01',
      status: 'REQUESTED',
    });

    await eventually(async () => (await runEventCount(jsm, harness.namespace)) === before + 1);
    await harness.app.relay.relayOnce();
    expect(await runEventCount(jsm, harness.namespace)).toBe(before + 1);
    const runs = (await harness.request({ url: `/v1/campaigns/${campaign.id}/runs` })).json();
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]).toMatchObject({ periodKey: '2030-01-01', scheduledFor: '2030-01-01T09:00:00.000Z' });
  });

  it('when a ONCE campaign gets its run, then it is COMPLETED, and asking again returns the same run', async () => {
    const campaign = await activeCampaign({ recurrence: 'ONCE' });
    const request = { campaignId: campaign.id, periodKey: 'once', scheduledFor: '2030-01-01T09:00:00Z' };
    const first = await grpc.createRun(request);
    expect(first.created).toBe(true);
    expect((await harness.request({ url: `/v1/campaigns/${campaign.id}` })).json().status).toBe('COMPLETED');
    const again = await grpc.createRun(request);
    expect(again).toMatchObject({ created: false, run: { id: first.run?.id } });
    await expect(grpc.createRun({ ...request, periodKey: 'twice' })).rejects.toMatchObject({
      kind: 'invalid',
      details: [expect.objectContaining({ path: 'periodKey' })],
    });
  });

  it('when a ONCE campaign is COMPLETED by its run, then activate, pause, resume and cancel are each a 409 and it stays COMPLETED', async () => {
    const campaign = await activeCampaign({ recurrence: 'ONCE' });
    expect(
      (await grpc.createRun({ campaignId: campaign.id, periodKey: 'once', scheduledFor: '2030-01-01T09:00:00Z' }))
        .created,
    ).toBe(true);
    for (const action of ['activate', 'pause', 'resume', 'cancel']) {
      const response = await post(`/v1/campaigns/${campaign.id}/${action}`);
      expect(response.statusCode, action).toBe(409);
      expect(response.json().error.code, action).toBe('illegal_transition');
    }
    expect((await harness.request({ url: `/v1/campaigns/${campaign.id}` })).json().status).toBe('COMPLETED');
  });

  it('when the campaign is not ACTIVE, unknown, or the request is malformed, then the status says which', async () => {
    const draft = (
      await post('/v1/campaigns', { name: 'Draft', templateId, recurrence: 'DAILY', startAt: '2030-01-01T09:00:00Z' })
    ).json();
    await expect(
      grpc.createRun({ campaignId: draft.id, periodKey: '2030-01-01', scheduledFor: '2030-01-01T09:00:00Z' }),
    ).rejects.toMatchObject({ kind: 'failed_precondition', code: 'campaign_not_active' });
    await expect(
      grpc.createRun({
        campaignId: '00000000-0000-4000-8000-000000000000',
        periodKey: 'p',
        scheduledFor: '2030-01-01T09:00:00Z',
      }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(
      grpc.createRun({ campaignId: 'nope', periodKey: '', scheduledFor: 'yesterday' }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      details: expect.arrayContaining([
        expect.objectContaining({ path: 'campaignId' }),
        expect.objectContaining({ path: 'periodKey' }),
        expect.objectContaining({ path: 'scheduledFor' }),
      ]),
    });
  });
});

describe('the end of a recurring campaign', () => {
  /**
   * Housekeeping runs a pass as each replica starts and then once a minute of real time, so a second
   * replica on the same database, started on a fixed clock, is a pass at a chosen instant; stop()
   * waits for that pass, so the status read afterwards is its result.
   */
  async function housekeepingPassAt(now: Date) {
    const replica = await buildApp(harness.config, createLogger({ service: 'campaign-service', level: 'silent' }), {
      clock: { now: () => now },
      startOutboxRelay: false,
    });
    await replica.start();
    await replica.stop();
  }
  const statusOf = async (id: string) => (await harness.request({ url: `/v1/campaigns/${id}` })).json().status;

  it('when a DAILY campaign is past its endAt plus the grace, then housekeeping COMPLETES it; a moment before, it is still ACTIVE', async () => {
    // Ends in 2030, so the harness's own passes on the real clock never reach it.
    const endAt = '2030-03-01T09:00:00Z';
    const ended = await activeCampaign({ endAt });
    const paused = await activeCampaign({ endAt });
    await post(`/v1/campaigns/${paused.id}/pause`);
    const endless = await activeCampaign();
    const graceEnds = Date.parse(endAt) + harness.config.CAMPAIGN_END_GRACE_MS;
    expect(harness.config.CAMPAIGN_END_GRACE_MS).toBeGreaterThan(0);

    // Past endAt but inside the grace: the scheduler may still be creating the last period's run.
    await housekeepingPassAt(new Date(graceEnds - 1));
    expect(await statusOf(ended.id)).toBe('ACTIVE');
    expect(await statusOf(paused.id)).toBe('PAUSED');

    await housekeepingPassAt(new Date(graceEnds + 1));
    expect(await statusOf(ended.id)).toBe('COMPLETED');
    expect(await statusOf(paused.id)).toBe('COMPLETED');
    expect(await statusOf(endless.id)).toBe('ACTIVE');
  });
});

describe('StreamAudience', () => {
  it('when a run streams its audience, then opted-out, untagged and unresolvable contacts are left out and variables are resolved', async () => {
    const campaign = await activeCampaign();
    const { run } = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-02',
      scheduledFor: '2030-01-02T09:00:00Z',
    });
    const batches = await grpc.audience({ runId: run!.id, batchSize: 2 });
    const members = batches.flatMap((batch) => batch.members);
    expect(batches.every((batch) => batch.members.length > 0 && batch.members.length <= 2)).toBe(true);
    expect(members.map((member) => member.phone).sort()).toEqual(['+919876530001', '+919876530002', '+919876530006']);
    const ids = members.map((member) => member.contactId);
    expect(ids).toEqual([...ids].sort());
    expect(members.find((member) => member.phone === '+919876530001')?.variables).toEqual({
      'body.1': 'Asha',
      'body.2': '₹12,500',
      'body.3': '5 March',
    });
    expect(members.find((member) => member.phone === '+919876530002')?.variables).toEqual({
      'body.1': 'customer',
      'body.2': '₹9,000',
      'body.3': 'the 5th',
    });

    const resumed = (await grpc.audience({ runId: run!.id, batchSize: 2, afterContactId: ids[0]! })).flatMap(
      (batch) => batch.members,
    );
    expect(resumed.map((member) => member.contactId)).toEqual(ids.slice(1));
  });

  it('when the run does not exist, then the stream fails with NOT_FOUND', async () => {
    await expect(grpc.audience({ runId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      kind: 'not_found',
    });
  });
});

describe('queries for the scheduler', () => {
  it('when schedulable campaigns are listed a page at a time, then every ACTIVE and PAUSED campaign appears once with its last period', async () => {
    const paused = await activeCampaign();
    await post(`/v1/campaigns/${paused.id}/pause`);
    const ran = await activeCampaign();
    await grpc.createRun({ campaignId: ran.id, periodKey: '2030-01-03', scheduledFor: '2030-01-03T09:00:00Z' });
    const seen = new Map<string, { status: string; lastPeriodKey: string; lastScheduledFor: string }>();
    let pageToken = '';
    do {
      const page = await grpc.listSchedulable(2, pageToken);
      for (const entry of page.campaigns) {
        expect(seen.has(entry.campaign!.id)).toBe(false);
        seen.set(entry.campaign!.id, {
          status: entry.campaign!.status,
          lastPeriodKey: entry.lastPeriodKey,
          lastScheduledFor: entry.lastScheduledFor,
        });
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen.get(paused.id)).toMatchObject({ status: 'PAUSED', lastPeriodKey: '' });
    expect(seen.get(ran.id)).toEqual({
      status: 'ACTIVE',
      lastPeriodKey: '2030-01-03',
      lastScheduledFor: '2030-01-03T09:00:00.000Z',
    });
    expect([...seen.values()].every((entry) => entry.status === 'ACTIVE' || entry.status === 'PAUSED')).toBe(true);
    await expect(grpc.listSchedulable(2, 'not-a-token')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('when the scheduler records a clean pass, then /metrics exposes its time; a pass with errors does not move it', async () => {
    const pass = {
      startedAt: '2030-01-01T09:00:00Z',
      finishedAt: '2030-01-01T09:00:02Z',
      campaignsSeen: 3,
      runsCreated: 1,
      runsExisting: 2,
      skipped: 0,
      errors: 0,
    };
    await grpc.recordSchedulerRun(pass);
    await grpc.recordSchedulerRun({ ...pass, finishedAt: '2030-01-01T09:01:02Z', errors: 1 });
    const metrics = (await harness.request({ url: '/metrics', key: null })).body;
    expect(metrics).toMatch(
      new RegExp(
        `ektola_scheduler_last_success_timestamp_seconds\\{[^}]*\\} ${Date.parse('2030-01-01T09:00:02Z') / 1000}`,
      ),
    );
  });

  it('when a template, campaign or run is asked for by id, then it comes back as the proto describes', async () => {
    const template = await grpc.getTemplate(templateId);
    expect(template).toMatchObject({ name: 'loan_due', status: 'APPROVED', parameterFormat: 'POSITIONAL' });
    expect(JSON.parse(template.componentsJson)).toEqual([{ type: 'BODY', text: 'Dear {{1}}, {{2}} is due on {{3}}.' }]);
    expect(template.variables).toContainEqual({
      placeholder: 'body.3',
      field: 'attributes.due',
      defaultValue: 'the 5th',
    });
    const campaign = await activeCampaign();
    expect(await grpc.getCampaign(campaign.id)).toMatchObject({
      id: campaign.id,
      status: 'ACTIVE',
      audienceTags: ['loan'],
      endAt: '',
    });
    const { run } = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-04',
      scheduledFor: '2030-01-04T09:00:00Z',
    });
    expect(await grpc.getRun(run!.id)).toMatchObject({ id: run!.id, status: 'REQUESTED', completedAt: '' });
    await expect(grpc.getRun('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('run endpoints', () => {
  it('when a run is read, then its message counts come from the dispatcher; its messages page through the dispatcher', async () => {
    const campaign = await activeCampaign();
    const { run } = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-05',
      scheduledFor: '2030-01-05T09:00:00Z',
    });
    dispatcherRuns.set(run!.id, { total: 3, delivered: 2, failed: 1 });
    const detail = (await harness.request({ url: `/v1/runs/${run!.id}` })).json();
    expect(detail).toMatchObject({
      id: run!.id,
      status: 'REQUESTED',
      messages: {
        total: 3,
        delivered: 2,
        failed: 1,
        pending: 0,
        waitingReason: 'tier limit reached',
        source: 'dispatcher',
      },
    });

    const page = (await harness.request({ url: `/v1/runs/${run!.id}/messages?status=FAILED&limit=10` })).json();
    expect(page).toMatchObject({
      items: [{ id: 'm1', status: 'FAILED', wamid: 'wamid.1', error: null }],
      nextCursor: 'page-2',
    });
    expect(dispatcher.listRequests.at(-1)).toEqual({
      runId: run!.id,
      status: 'FAILED',
      errorCode: 0,
      pageSize: 10,
      pageToken: '',
    });
    await harness.request({ url: `/v1/runs/${run!.id}/messages?status=FAILED&code=131049` });
    expect(dispatcher.listRequests.at(-1)).toMatchObject({ status: 'FAILED', errorCode: 131049 });
    for (const code of ['0', '-5', 'abc', '1.5'])
      expect(
        (await harness.request({ url: `/v1/runs/${run!.id}/messages?code=${code}` })).json().error.details[0].path,
      ).toBe('querystring.code');
    expect(
      (await harness.request({ url: `/v1/runs/${run!.id}/messages?status=LOST` })).json().error.details[0].path,
    ).toBe('querystring.status');
    const skipped = (await harness.request({ url: `/v1/runs/${run!.id}/messages?status=SKIPPED` })).json();
    expect(skipped.items).toEqual([
      expect.objectContaining({
        status: 'SKIPPED',
        wamid: null,
        skipReason: 'opted_out',
        skippedAt: '2030-01-01T00:01:00Z',
      }),
    ]);
    expect(detail.messages).toMatchObject({ skipped: 0 });
  });

  it("when the overview is read, then the week's runs, the last day's messages with rates, the last hour's sends and every alert show", async () => {
    dispatcherRuns.clear();
    const campaign = await activeCampaign();
    const { run } = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-07',
      scheduledFor: '2030-01-07T09:00:00Z',
    });
    dispatcherRuns.set(run!.id, { total: 4, delivered: 3, failed: 1 });
    const paused = (
      await post('/v1/templates', {
        name: 'paused_offer',
        language: 'en',
        category: 'MARKETING',
        status: 'PAUSED',
        components: [{ type: 'BODY', text: 'An offer.' }],
      })
    ).json();
    const response = await harness.request({ url: '/v1/overview' });
    expect(response.statusCode).toBe(200);
    const overview = response.json();
    expect(overview.runs[0]).toMatchObject({ id: run!.id, periodKey: '2030-01-07', status: 'REQUESTED' });
    expect(overview.messages).toEqual({
      byStatus: { delivered: 3, failed: 1, pending: 0 },
      total: 4,
      rates: { delivered: 0.75, read: 0 },
    });
    expect(overview.sendsPerMinute).toEqual([
      { minute: '2030-01-01T08:59:00.000Z', count: 0 },
      { minute: '2030-01-01T09:00:00.000Z', count: 4 },
    ]);
    expect(overview.alerts).toEqual([
      { kind: 'tier_limit', message: 'the daily messaging tier is exhausted' },
      {
        kind: 'template_paused',
        message: expect.stringContaining('paused_offer'),
        templateId: paused.id,
        templateName: 'paused_offer',
      },
    ]);
    expect((await harness.request({ url: '/v1/overview', headers: { authorization: '' } })).statusCode).toBe(401);
  });

  it("when a run's sends per minute are read, then the dispatcher's minutes come back; a run of no one is a 404", async () => {
    const campaign = await activeCampaign();
    const { run } = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-08',
      scheduledFor: '2030-01-08T09:00:00Z',
    });
    dispatcherRuns.set(run!.id, { total: 5, delivered: 3, failed: 2 });
    const response = await harness.request({ url: `/v1/runs/${run!.id}/sends-per-minute` });
    expect(response.json()).toEqual({
      minutes: [
        { minute: '2030-01-01T09:00:00.000Z', count: 3 },
        { minute: '2030-01-01T09:01:00.000Z', count: 0 },
        { minute: '2030-01-01T09:02:00.000Z', count: 2 },
      ],
    });
    const unknown = await harness.request({ url: '/v1/runs/00000000-0000-4000-8000-000000000000/sends-per-minute' });
    expect(unknown.statusCode).toBe(404);
    expect((await harness.request({ url: '/v1/runs/nope/sends-per-minute' })).json().error.details[0].path).toBe(
      'params.id',
    );
  });

  it('when the dispatcher has no messages for the run yet, then the counts are zero', async () => {
    const campaign = await activeCampaign();
    const { run } = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-06',
      scheduledFor: '2030-01-06T09:00:00Z',
    });
    expect((await harness.request({ url: `/v1/runs/${run!.id}` })).json().messages).toMatchObject({
      total: 0,
      source: 'dispatcher',
    });
    expect((await harness.request({ url: '/v1/runs/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('when the dispatcher is down, then the run still answers without counts and its messages are a 503', async () => {
    const campaign = await activeCampaign();
    const { run } = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-07',
      scheduledFor: '2030-01-07T09:00:00Z',
    });
    await dispatcher.stop();
    const detail = await harness.request({ url: `/v1/runs/${run!.id}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id: run!.id, messages: null });
    const messages = await harness.request({ url: `/v1/runs/${run!.id}/messages` });
    expect(messages.statusCode).toBe(503);
    expect(messages.json().error.code).toBe('unavailable');
  });
});
