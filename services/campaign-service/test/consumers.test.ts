import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactOptedIn, contactOptedOut, runCompleted, templateStatusChanged } from '@ektola/platform/events';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { eventually, freePort, testNatsUrl } from '@ektola/platform/testing';
import { campaignQueryClient } from './grpc-clients.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let nc: NatsConnection;
let publisher: EventPublisher;

const post = (url: string, payload?: object) =>
  harness.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
const contactByPhone = async (phone: string) =>
  (await harness.request({ url: `/v1/contacts?search=${encodeURIComponent(phone)}` }))
    .json()
    .items.find((contact: { phone: string }) => contact.phone === phone);

beforeAll(async () => {
  // A port nothing listens on: the run detail must fall back to run.completed's counts.
  harness = await startHarness({
    DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
    DISPATCHER_DEADLINE_MS: '500',
  });
  nc = await connect({ servers: testNatsUrl() });
  publisher = createEventPublisher({ js: jetstream(nc), namespace: harness.namespace });
});

afterAll(async () => {
  await nc?.close();
  await harness?.close();
});

describe('campaign-run-completed', () => {
  it('when the dispatcher reports a run completed, then the run shows COMPLETED with its counts, and a redelivery changes nothing', async () => {
    const template = (
      await post('/v1/templates', {
        name: 'done',
        language: 'en',
        category: 'UTILITY',
        status: 'APPROVED',
        components: [{ type: 'BODY', text: 'Hi' }],
      })
    ).json();
    await post('/v1/contacts', { phone: '9876560001' });
    const campaign = (
      await post('/v1/campaigns', {
        name: 'c',
        templateId: template.id,
        recurrence: 'DAILY',
        startAt: '2030-01-01T00:00:00Z',
      })
    ).json();
    await post(`/v1/campaigns/${campaign.id}/activate`);
    const grpc = campaignQueryClient(harness.app.grpcAddress());
    const { run } = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-01',
      scheduledFor: '2030-01-01T00:00:00Z',
    });
    grpc.close();

    const counts = { pending: 0, sending: 0, sent: 1, delivered: 5, read: 3, failed: 1, skipped: 0 };
    const payload = { runId: run!.id, campaignId: campaign.id, completedAt: '2030-01-01T00:10:00.000Z', counts };
    await publisher.publish(runCompleted, payload, { msgId: `completed-${run!.id}` });
    const completed = await eventually(async () => {
      const listed = (await harness.request({ url: `/v1/campaigns/${campaign.id}/runs` })).json().items[0];
      return listed.status === 'COMPLETED' && listed;
    });
    expect(completed.completedAt).toBe('2030-01-01T00:10:00.000Z');

    await publisher.publish(
      runCompleted,
      { ...payload, completedAt: '2030-01-01T00:20:00.000Z' },
      { msgId: `again-${run!.id}` },
    );
    await publisher.publish(
      contactOptedOut,
      { phone: '+919876560099', reason: 'keyword', sourceId: 'marker', occurredAt: '2030-01-01T00:00:00.000Z' },
      { msgId: randomUUID() },
    );
    await eventually(async () => Boolean(await contactByPhone('+919876560099')));
    expect((await harness.request({ url: `/v1/campaigns/${campaign.id}/runs` })).json().items[0].completedAt).toBe(
      '2030-01-01T00:10:00.000Z',
    );
    // The dispatcher is absent here, so the run's detail falls back to what run.completed reported.
    expect((await harness.request({ url: `/v1/runs/${run!.id}` })).json().messages).toMatchObject({
      total: 10,
      delivered: 5,
      source: 'run.completed',
    });
  });
});

describe('campaign-contact-preference', () => {
  it('when a user opts out and in, then the contact follows, and an older event arriving late is ignored', async () => {
    await post('/v1/contacts', { phone: '9876560010', name: 'Asha' });
    const phone = '+919876560010';
    await publisher.publish(
      contactOptedOut,
      { phone, reason: 'keyword', sourceId: 'wamid.stop', occurredAt: '2030-01-02T10:00:00.000Z' },
      { msgId: randomUUID() },
    );
    await eventually(async () => (await contactByPhone(phone))?.optedOut === true);
    expect(await contactByPhone(phone)).toMatchObject({ optOutReason: 'keyword' });

    await publisher.publish(
      contactOptedIn,
      { phone, reason: 'user_preferences', sourceId: 'old', occurredAt: '2030-01-02T09:00:00.000Z' },
      { msgId: randomUUID() },
    );
    await publisher.publish(
      contactOptedIn,
      { phone, reason: 'user_preferences', sourceId: 'new', occurredAt: '2030-01-02T11:00:00.000Z' },
      { msgId: randomUUID() },
    );
    await eventually(async () => (await contactByPhone(phone))?.optedOut === false);
  });

  it('when an unknown number says STOP, then it is kept opted out, and importing it later does not opt it back in', async () => {
    const phone = '+919876560020';
    await publisher.publish(
      contactOptedOut,
      { phone, reason: 'user_preferences', sourceId: 'pref', occurredAt: '2030-01-03T10:00:00.000Z' },
      { msgId: randomUUID() },
    );
    await eventually(async () => (await contactByPhone(phone))?.optedOut === true);
    const upload = await harness.request({
      method: 'POST',
      url: '/v1/contacts/upload',
      headers: { 'content-type': 'text/csv' },
      payload: 'phone,name\n9876560020,Later Import\n',
    });
    expect(upload.json()).toMatchObject({ imported: 0, updated: 1 });
    expect(await contactByPhone(phone)).toMatchObject({ name: 'Later Import', optedOut: true });
  });
});

describe('campaign-template-status', () => {
  it('when Meta pauses and reinstates a template, then its status follows', async () => {
    const template = (
      await post('/v1/templates', {
        name: 'followed',
        language: 'en_US',
        category: 'MARKETING',
        status: 'APPROVED',
        components: [{ type: 'BODY', text: 'Hi' }],
      })
    ).json();
    const event = { name: 'followed', language: 'en_US', occurredAt: '2030-01-04T00:00:00.000Z' };
    await publisher.publish(
      templateStatusChanged,
      { ...event, event: 'PAUSED', reason: 'low quality' },
      { msgId: randomUUID() },
    );
    await eventually(
      async () => (await harness.request({ url: `/v1/templates/${template.id}` })).json().status === 'PAUSED',
    );
    await publisher.publish(templateStatusChanged, { ...event, event: 'REINSTATED' }, { msgId: randomUUID() });
    await eventually(
      async () => (await harness.request({ url: `/v1/templates/${template.id}` })).json().status === 'APPROVED',
    );
  });
});
