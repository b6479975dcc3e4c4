import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespaceStreams, uniqueNamespace } from '@ektola/platform/testing';
import { deliver, fixture, metricsText, startWebhookService, storedEvents } from './support.ts';

const namespace = uniqueNamespace('wha');
let service: Awaited<ReturnType<typeof startWebhookService>>;

beforeAll(async () => {
  service = await startWebhookService({ EKTOLA_NAMESPACE: namespace });
});

afterAll(async () => {
  await service?.stop();
  await deleteNamespaceStreams(namespace);
});

const stored = async (event: string) =>
  (await storedEvents(namespace, 'WHATSAPP')).filter((item) => item.subject === `${namespace}.${event}.v1`);

describe("POST /webhooks/whatsapp with Meta's number and template signals", () => {
  it('when each documented number and account shape arrives signed, then each is stored once as whatsapp.number_update', async () => {
    const names = [
      'number-quality-downgrade',
      'number-quality-flagged',
      'account-update-restriction',
      'account-update-disabled',
    ];
    for (const name of names)
      expect(await deliver(service.baseUrl, fixture(name))).toEqual({ status: 200, body: { published: 1 } });

    const updates = await stored('whatsapp.number_update');
    expect(updates.map((item) => [item.payload.field, item.payload.event])).toEqual([
      ['phone_number_quality_update', 'DOWNGRADE'],
      ['phone_number_quality_update', 'FLAGGED'],
      ['account_update', 'ACCOUNT_RESTRICTION'],
      ['account_update', 'DISABLED_UPDATE'],
    ]);
    expect(updates[0]?.payload).toMatchObject({
      currentLimit: 'TIER_2K',
      previousLimit: 'TIER_10K',
      displayPhoneNumber: '15550783881',
    });
    expect(updates[2]?.payload.restrictions).toEqual([
      { type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiresAt: '2026-04-19T13:59:20.000Z' },
      { type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiresAt: '2026-04-19T13:59:20.000Z' },
    ]);
    expect(updates[3]?.payload.banState).toBe('DISABLE');
    expect(new Set(updates.map((item) => item.msgId)).size).toBe(4);
  });

  it('when template quality and category updates arrive, then each is stored as whatsapp.template_update', async () => {
    for (const name of ['template-quality-update', 'template-category-update'])
      expect((await deliver(service.baseUrl, fixture(name))).status).toBe(200);
    const updates = await stored('whatsapp.template_update');
    expect(updates.map((item) => item.payload)).toEqual([
      expect.objectContaining({
        field: 'message_template_quality_update',
        previousQuality: 'GREEN',
        newQuality: 'YELLOW',
      }),
      expect.objectContaining({
        field: 'template_category_update',
        previousCategory: 'UTILITY',
        newCategory: 'MARKETING',
      }),
    ]);
    expect(await metricsText(service.baseUrl)).toMatch(/ektola_webhook_events_total\{type="template_update"[^}]*\} 2/);
  });

  it('when Meta redelivers a downgrade three times, then the stream still holds it once', async () => {
    const body = fixture('number-quality-downgrade').replace('1739321024', '1739329999');
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await deliver(service.baseUrl, body)).status).toBe(200);
    const updates = (await stored('whatsapp.number_update')).filter(
      (item) => item.payload.occurredAt === new Date(1739329999 * 1000).toISOString(),
    );
    expect(updates).toHaveLength(1);
  });

  it('when an account update has no event, then 200, nothing is stored for it and it is counted as rejected', async () => {
    const body = JSON.parse(fixture('account-update-disabled'));
    delete body.entry[0].changes[0].value.event;
    body.entry[0].time = 1739320000;
    expect(await deliver(service.baseUrl, JSON.stringify(body))).toEqual({ status: 200, body: { published: 0 } });
    expect(await metricsText(service.baseUrl)).toMatch(
      /ektola_webhook_items_rejected_total\{reason="invalid_number_update"[^}]*\} 1/,
    );
  });
});
