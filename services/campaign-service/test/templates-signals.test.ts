import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateStatusChanged, whatsappTemplateUpdate } from '@ektola/platform/events';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { eventually, testNatsUrl } from '@ektola/platform/testing';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let nc: NatsConnection;
let publisher: EventPublisher;

beforeAll(async () => {
  harness = await startHarness();
  nc = await connect({ servers: testNatsUrl() });
  publisher = createEventPublisher({ js: jetstream(nc), namespace: harness.namespace });
  await harness.request({ method: 'POST', url: '/v1/contacts', payload: { phone: '9876570001', name: 'Asha' } });
});

afterAll(async () => {
  await nc?.close();
  await harness?.close();
});

const post = (url: string, payload?: object) =>
  harness.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
const get = async (url: string) => (await harness.request({ url })).json();

async function templateNamed(name: string) {
  const response = await post('/v1/templates', {
    name,
    language: 'en',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Dear {{1}}, your EMI is due.' }],
    variables: { 'body.1': { field: 'name', default: 'customer' } },
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string };
}

async function activeCampaign(templateId: string) {
  const campaign = (
    await post('/v1/campaigns', { name: 'EMI', templateId, recurrence: 'DAILY', startAt: '2030-01-01T04:30:00Z' })
  ).json();
  expect((await post(`/v1/campaigns/${campaign.id}/activate`)).statusCode).toBe(200);
  return campaign as { id: string };
}

const statusEvent = (name: string, event: string, reason?: string) =>
  publisher.publish(
    templateStatusChanged,
    { event, name, language: 'en', ...(reason ? { reason } : {}), occurredAt: new Date().toISOString() },
    { msgId: randomUUID() },
  );

async function signalCount(field: string, event: string) {
  const metrics = (await harness.request({ url: '/metrics', key: null })).body;
  const line = metrics
    .split('\n')
    .find(
      (row) =>
        row.startsWith('ektola_template_signals_total{') &&
        row.includes(`field="${field}"`) &&
        row.includes(`event="${event}"`),
    );
  return Number(line?.split(' ').at(-1) ?? 0);
}

describe('campaign-template-status: Meta stops a template', () => {
  it('when Meta pauses a template, then its ACTIVE campaigns are PAUSED by Meta with the reason, and stay paused when Meta approves it again', async () => {
    const template = await templateNamed('gold_loan_reminder');
    const campaign = await activeCampaign(template.id);
    const other = await activeCampaign((await templateNamed('unrelated_one')).id);

    await statusEvent('gold_loan_reminder', 'PAUSED', 'quality low');
    await eventually(async () => (await get(`/v1/campaigns/${campaign.id}`)).status === 'PAUSED');
    expect(await get(`/v1/campaigns/${campaign.id}`)).toMatchObject({
      pausedBy: 'meta',
      pausedReason:
        'template gold_loan_reminder (en) paused by Meta: quality low; resume the campaign once Meta approves the template again',
    });
    expect(await get(`/v1/templates/${template.id}`)).toMatchObject({ status: 'PAUSED' });
    expect(await get(`/v1/campaigns/${other.id}`)).toMatchObject({
      status: 'ACTIVE',
      pausedBy: null,
      pausedReason: null,
    });
    expect(await signalCount('message_template_status_update', 'PAUSED')).toBe(1);

    await statusEvent('gold_loan_reminder', 'REINSTATED');
    await eventually(async () => (await get(`/v1/templates/${template.id}`)).status === 'APPROVED');
    expect(await get(`/v1/campaigns/${campaign.id}`)).toMatchObject({ status: 'PAUSED', pausedBy: 'meta' });

    expect((await post(`/v1/campaigns/${campaign.id}/resume`)).statusCode).toBe(200);
    expect(await get(`/v1/campaigns/${campaign.id}`)).toMatchObject({
      status: 'ACTIVE',
      pausedBy: null,
      pausedReason: null,
    });
  });

  it('when an operator pauses a campaign, then it says so; Meta disabling the template later leaves it as the operator left it', async () => {
    const template = await templateNamed('festival_offer');
    const campaign = await activeCampaign(template.id);
    expect((await post(`/v1/campaigns/${campaign.id}/pause`)).statusCode).toBe(200);
    expect(await get(`/v1/campaigns/${campaign.id}`)).toMatchObject({
      pausedBy: 'operator',
      pausedReason: 'paused by an operator',
    });
    await statusEvent('festival_offer', 'DISABLED');
    await eventually(async () => (await get(`/v1/templates/${template.id}`)).status === 'DISABLED');
    expect(await get(`/v1/campaigns/${campaign.id}`)).toMatchObject({ status: 'PAUSED', pausedBy: 'operator' });
  });
});

describe('campaign-template-update', () => {
  const update = (payload: Record<string, string>) =>
    publisher.publish(
      whatsappTemplateUpdate,
      {
        businessAccountId: '102290129340398',
        name: 'rated_template',
        language: 'en',
        occurredAt: new Date().toISOString(),
        ...payload,
      } as never,
      { msgId: randomUUID() },
    );

  it("when Meta rates a template's quality or moves it to another category, then the template shows it, previews and its campaigns' estimates price the new category, and the signal is counted", async () => {
    const template = await templateNamed('rated_template');
    const card = { currency: 'INR', default: { MARKETING: 1.2, UTILITY: 0.5, AUTHENTICATION: 0.3 }, byCallingCode: {} };
    expect((await harness.request({ method: 'PUT', url: '/v1/settings/rate-card', payload: card })).statusCode).toBe(
      200,
    );
    const preview = async () =>
      (await post('/v1/audiences/preview', { audience: { tags: [] }, templateId: template.id })).json().estimatedCost;
    expect(await preview()).toMatchObject({ category: 'UTILITY', amount: '0.50' });
    const campaign = await activeCampaign(template.id);
    expect(await get(`/v1/campaigns/${campaign.id}`)).toMatchObject({
      estimatedCost: { category: 'UTILITY', amount: '0.50' },
    });
    await update({ field: 'message_template_quality_update', previousQuality: 'GREEN', newQuality: 'YELLOW' });
    await eventually(async () => (await get(`/v1/templates/${template.id}`)).qualityScore === 'YELLOW');

    await update({ field: 'template_category_update', previousCategory: 'UTILITY', newCategory: 'MARKETING' });
    await eventually(async () => (await get(`/v1/templates/${template.id}`)).category === 'MARKETING');
    expect(await get(`/v1/templates/${template.id}`)).toMatchObject({ qualityScore: 'YELLOW', status: 'APPROVED' });
    expect(await preview()).toMatchObject({ category: 'MARKETING', amount: '1.20' });
    // The template changes first, its campaigns' estimates a moment later in the same handler.
    await eventually(async () => (await get(`/v1/campaigns/${campaign.id}`)).estimatedCost?.category === 'MARKETING');
    expect(await get(`/v1/campaigns/${campaign.id}`)).toMatchObject({
      status: 'ACTIVE',
      audienceCount: 1,
      estimatedCost: { category: 'MARKETING', amount: '1.20' },
    });
    expect(await signalCount('message_template_quality_update', 'YELLOW')).toBe(1);
    expect(await signalCount('template_category_update', 'MARKETING')).toBe(1);
  });
});
