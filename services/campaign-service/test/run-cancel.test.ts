import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCancelled, runCompleted } from '@ektola/platform/events';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { eventually, freePort, testNatsUrl } from '@ektola/platform/testing';
import { campaignQueryClient } from './grpc-clients.ts';
import { startHarness, type Harness } from './harness.ts';
import { publishedEvents } from './stream-events.ts';

let harness: Harness;
let grpc: ReturnType<typeof campaignQueryClient>;
let nc: NatsConnection;
let jsm: JetStreamManager;
let publisher: EventPublisher;
let templateId: string;

const post = (url: string, payload?: object, key?: string) =>
  harness.request({ method: 'POST', url, ...(key ? { key } : {}), ...(payload ? { payload } : {}) });
const runsOf = async (campaignId: string) =>
  (await harness.request({ url: `/v1/campaigns/${campaignId}/runs` })).json().items as Array<Record<string, unknown>>;
const cancelledEventsOf = async (runId: string) =>
  eventually(async () => {
    const events = (await publishedEvents(jsm, harness.namespace, runCancelled)).filter(
      (event) => event.runId === runId,
    );
    return events.length > 0 && events;
  });

/** An ACTIVE daily campaign with a REQUESTED run for its first period. */
async function campaignWithRun() {
  const campaign = (
    await post('/v1/campaigns', {
      name: 'c',
      templateId,
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: '2030-01-01T09:00:00Z',
    })
  ).json();
  expect((await post(`/v1/campaigns/${campaign.id}/activate`)).statusCode).toBe(200);
  const { run } = await grpc.createRun({
    campaignId: campaign.id,
    periodKey: '2030-01-01',
    scheduledFor: '2030-01-01T09:00:00Z',
  });
  return { campaignId: campaign.id as string, runId: run!.id };
}

beforeAll(async () => {
  harness = await startHarness({
    DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
    DISPATCHER_DEADLINE_MS: '500',
  });
  grpc = campaignQueryClient(harness.app.grpcAddress());
  nc = await connect({ servers: testNatsUrl() });
  jsm = await jetstreamManager(nc);
  publisher = createEventPublisher({ js: jetstream(nc), namespace: harness.namespace });
  templateId = (
    await post('/v1/templates', {
      name: 'cancel_me',
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Hi' }],
    })
  ).json().id;
  await post('/v1/contacts', { phone: '9876580001' });
});

afterAll(async () => {
  grpc?.close();
  await nc?.close();
  await harness?.close();
});

describe('POST /v1/runs/{id}/cancel', () => {
  it('when an operator cancels a REQUESTED run, then it is CANCELLED, run.cancelled is published once, and a second cancel is a 409', async () => {
    const { campaignId, runId } = await campaignWithRun();
    const operator = (await post('/v1/api-keys', { name: 'ops', role: 'operator' })).json().key as string;
    const viewer = (await post('/v1/api-keys', { name: 'looker', role: 'viewer' })).json().key as string;
    expect((await post(`/v1/runs/${runId}/cancel`, undefined, viewer)).statusCode).toBe(403);

    const cancelled = await post(`/v1/runs/${runId}/cancel`, undefined, operator);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({
      id: runId,
      status: 'CANCELLED',
      cancelledAt: expect.any(String),
      completedAt: null,
    });
    expect(await cancelledEventsOf(runId)).toEqual([{ runId, campaignId, cancelledAt: cancelled.json().cancelledAt }]);

    const again = await post(`/v1/runs/${runId}/cancel`, undefined, operator);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('run_already_cancelled');
    expect((await runsOf(campaignId))[0]).toMatchObject({ status: 'CANCELLED' });
    expect(await cancelledEventsOf(runId)).toHaveLength(1);
    // A dispatcher that fans the run out only now gets nobody to message.
    expect(await grpc.audience({ runId })).toEqual([]);
  });

  it('when the run already completed, then cancel is a 409 naming it; an unknown run is a 404', async () => {
    const { campaignId, runId } = await campaignWithRun();
    const counts = { pending: 0, sending: 0, sent: 0, delivered: 1, read: 0, failed: 0, skipped: 0 };
    await publisher.publish(
      runCompleted,
      { runId, campaignId, completedAt: '2030-01-01T09:10:00.000Z', counts },
      { msgId: randomUUID() },
    );
    await eventually(async () => (await runsOf(campaignId))[0]?.status === 'COMPLETED');

    const refused = await post(`/v1/runs/${runId}/cancel`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'run_completed',
      message: expect.stringContaining('completed'),
    });
    expect((await post('/v1/runs/00000000-0000-4000-8000-000000000000/cancel')).statusCode).toBe(404);
  });

  it('when run.completed arrives after the cancel, then the run stays CANCELLED and keeps the final counts', async () => {
    const { campaignId, runId } = await campaignWithRun();
    expect((await post(`/v1/runs/${runId}/cancel`)).statusCode).toBe(200);
    const counts = { pending: 0, sending: 0, sent: 2, delivered: 0, read: 0, failed: 0, skipped: 5 };
    await publisher.publish(
      runCompleted,
      { runId, campaignId, completedAt: '2030-01-01T09:20:00.000Z', counts },
      { msgId: randomUUID() },
    );
    await eventually(async () => (await runsOf(campaignId))[0]?.completedAt === '2030-01-01T09:20:00.000Z');
    expect((await runsOf(campaignId))[0]).toMatchObject({ status: 'CANCELLED' });
    // The dispatcher is away in this file, so the detail shows what run.completed reported.
    expect((await harness.request({ url: `/v1/runs/${runId}` })).json()).toMatchObject({
      status: 'CANCELLED',
      messages: { total: 7, sent: 2, skipped: 5 },
    });
  });
});

describe('campaign cancel', () => {
  it('when a campaign with a REQUESTED run is cancelled, then the run is cancelled with it and run.cancelled is published', async () => {
    const { campaignId, runId } = await campaignWithRun();
    const cancelled = await post(`/v1/campaigns/${campaignId}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'CANCELLED', nextRunAt: null });
    expect((await runsOf(campaignId))[0]).toMatchObject({ id: runId, status: 'CANCELLED' });
    expect(await cancelledEventsOf(runId)).toEqual([expect.objectContaining({ runId, campaignId })]);
    expect((await post(`/v1/campaigns/${campaignId}/cancel`)).statusCode).toBe(409);
  });
});
