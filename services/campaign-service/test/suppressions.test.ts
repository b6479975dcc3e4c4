import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactOptedIn, contactOptedOut, streamNameOf, suppressionChanged } from '@ektola/platform/events';
import { createLogger } from '@ektola/platform/logger';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { createDatabase, type Sql } from '@ektola/platform/postgres';
import { eventually, testNatsUrl } from '@ektola/platform/testing';
import { startHarness, type Harness } from './harness.ts';
import { publishedEvents } from './stream-events.ts';

let harness: Harness;
let nc: NatsConnection;
let jsm: JetStreamManager;
let publisher: EventPublisher;
let sql: Sql;

const post = (url: string, payload?: object) =>
  harness.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
const createContact = async (phone: string) =>
  (await post('/v1/contacts', { phone, name: 'Customer' })).json() as { id: string; phone: string };
const contactByPhone = async (phone: string) =>
  (await harness.request({ url: `/v1/contacts?search=${encodeURIComponent(phone)}` }))
    .json()
    .items.find((contact: { phone: string }) => contact.phone === phone);

/** What the relay published for one contact, read back from JetStream once the outbox is drained. */
async function suppressionsOf(contactId: string) {
  await eventually(async () => (await sql`select 1 from campaign.outbox where published_at is null`).length === 0);
  return (await publishedEvents(jsm, harness.namespace, suppressionChanged)).filter(
    (event) => event.contactId === contactId,
  );
}

/** Every preference event published so far has been handled (acknowledged) by the campaign-service. */
async function preferencesHandled() {
  await eventually(async () => {
    const info = await jsm.consumers.info(streamNameOf(harness.namespace, 'CONTACTS'), 'campaign-contact-preference');
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

async function userSays(event: typeof contactOptedOut | typeof contactOptedIn, phone: string, occurredAt: string) {
  await publisher.publish(
    event,
    { phone, reason: 'keyword', sourceId: `wamid.${randomUUID()}`, occurredAt },
    { msgId: randomUUID() },
  );
  await preferencesHandled();
}

beforeAll(async () => {
  harness = await startHarness();
  nc = await connect({ servers: testNatsUrl() });
  jsm = await jetstreamManager(nc);
  publisher = createEventPublisher({ js: jetstream(nc), namespace: harness.namespace });
  sql = createDatabase({
    url: harness.database.url,
    logger: createLogger({ service: 'test', level: 'silent' }),
    applicationName: 'suppressions-test',
  });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await nc?.close();
  await harness?.close();
});

describe('suppressions from the API', () => {
  it('when an operator opts a contact out, repeats it, opts it in and deletes it, then each change publishes one suppression.changed and the repeat none', async () => {
    const contact = await createContact('+919876570001');
    expect((await post(`/v1/contacts/${contact.id}/opt-out`)).json()).toMatchObject({
      optedOut: true,
      optOutReason: 'api',
    });
    expect(await suppressionsOf(contact.id)).toEqual([
      expect.objectContaining({ contactId: contact.id, phone: '+919876570001', suppressed: true, reason: 'opted_out' }),
    ]);

    expect((await post(`/v1/contacts/${contact.id}/opt-out`)).statusCode).toBe(200);
    expect(await suppressionsOf(contact.id)).toHaveLength(1);

    expect((await post(`/v1/contacts/${contact.id}/opt-in`)).json()).toMatchObject({ optedOut: false });
    expect((await suppressionsOf(contact.id)).map((event) => event.suppressed)).toEqual([true, false]);

    expect((await harness.request({ method: 'DELETE', url: `/v1/contacts/${contact.id}` })).statusCode).toBe(204);
    expect((await suppressionsOf(contact.id)).at(-1)).toMatchObject({ suppressed: true, reason: 'contact_deleted' });
    expect(await suppressionsOf(contact.id)).toHaveLength(3);
  });

  it('when the contact does not exist, then opt-out and delete are a 404 and nothing is published', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await post(`/v1/contacts/${missing}/opt-out`)).statusCode).toBe(404);
    expect((await harness.request({ method: 'DELETE', url: `/v1/contacts/${missing}` })).statusCode).toBe(404);
    expect(await suppressionsOf(missing)).toEqual([]);
  });
});

describe('suppressions from WhatsApp', () => {
  it('when a contact says STOP, then one suppression.changed is published; the same STOP again and an older opt-in publish nothing', async () => {
    const contact = await createContact('+919876570010');
    await userSays(contactOptedOut, contact.phone, '2030-01-02T10:00:00.000Z');
    expect(await suppressionsOf(contact.id)).toEqual([
      expect.objectContaining({ suppressed: true, reason: 'opted_out', occurredAt: '2030-01-02T10:00:00.000Z' }),
    ]);

    await userSays(contactOptedOut, contact.phone, '2030-01-02T10:00:00.000Z');
    await userSays(contactOptedIn, contact.phone, '2030-01-02T09:00:00.000Z');
    expect(await contactByPhone(contact.phone)).toMatchObject({ optedOut: true });
    expect(await suppressionsOf(contact.id)).toHaveLength(1);

    await userSays(contactOptedIn, contact.phone, '2030-01-02T11:00:00.000Z');
    expect((await suppressionsOf(contact.id)).map((event) => event.suppressed)).toEqual([true, false]);
  });

  it('when an unknown number says STOP, then an opted-out contact is kept for it and announced', async () => {
    await userSays(contactOptedOut, '+919876570020', '2030-01-03T10:00:00.000Z');
    const placeholder = await contactByPhone('+919876570020');
    expect(placeholder).toMatchObject({ optedOut: true, optOutReason: 'keyword' });
    expect(await suppressionsOf(placeholder.id)).toEqual([
      expect.objectContaining({ phone: '+919876570020', suppressed: true }),
    ]);
  });

  it('when an unknown Mexican number says STOP in its WhatsApp form, then importing the number later finds it opted out', async () => {
    await userSays(contactOptedOut, '+5215587654321', '2030-01-03T11:00:00.000Z');
    const upload = await harness.request({
      method: 'POST',
      url: '/v1/contacts/upload',
      headers: { 'content-type': 'text/csv' },
      payload: 'phone,name\n+52 55 8765 4321,Later Import\n',
    });
    expect(upload.json()).toMatchObject({ imported: 0, updated: 1 });
    expect(await contactByPhone('+525587654321')).toMatchObject({ name: 'Later Import', optedOut: true });
  });

  it.each([
    { country: 'Mexico', imported: '+52 55 1234 5678', stored: '+525512345678', waId: '+5215512345678' },
    { country: 'Brazil', imported: '+55 11 98765 4321', stored: '+5511987654321', waId: '+551187654321' },
  ])(
    'when a STOP comes from the WhatsApp form of a number imported in $country, then it reaches the imported contact',
    async ({ imported, stored, waId }) => {
      const contact = await createContact(imported);
      expect(contact.phone).toBe(stored);
      await userSays(contactOptedOut, waId, '2030-01-04T10:00:00.000Z');
      expect(await contactByPhone(stored)).toMatchObject({ id: contact.id, optedOut: true, optOutReason: 'keyword' });
      expect(await contactByPhone(waId)).toBeUndefined();
      expect(await suppressionsOf(contact.id)).toEqual([
        expect.objectContaining({ contactId: contact.id, phone: stored, suppressed: true }),
      ]);
    },
  );
});
