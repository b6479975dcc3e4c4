import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRequested, senderChanged, whatsappNumberUpdate, type PayloadOf } from '@ektola/platform/events';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { eventually, freePort, testNatsUrl } from '@ektola/platform/testing';
import { createCloudApiNumberReader } from '../src/adapters/cloud-api-number-reader.ts';
import { startFakeDispatcher } from './fake-dispatcher.ts';
import { startFakeMetaNumbers } from './fake-meta-numbers.ts';
import { campaignQueryClient } from './grpc-clients.ts';
import { startHarness, type Harness } from './harness.ts';
import { publishedEvents } from './stream-events.ts';

const token = 'meta-token';
const waba = '102290129340398';
const defaultNumber = '106540352242922';
const highNumber = '106540352242933';
const describedNumbers: Record<string, Record<string, unknown>> = {
  [defaultNumber]: {
    display_phone_number: '+1 555-078-3881',
    verified_name: 'EkTola Loans',
    quality_rating: 'GREEN',
    throughput: { level: 'STANDARD' },
    status: 'CONNECTED',
    name_status: 'APPROVED',
    whatsapp_business_manager_messaging_limit: 'TIER_1K',
  },
  [highNumber]: {
    display_phone_number: '+1 555-078-3999',
    verified_name: 'EkTola Loans',
    quality_rating: 'GREEN',
    throughput: { level: 'HIGH' },
    status: 'CONNECTED',
    name_status: 'APPROVED',
    whatsapp_business_manager_messaging_limit: 'TIER_2K',
  },
};

let meta: Awaited<ReturnType<typeof startFakeMetaNumbers>>;
let dispatcher: Awaited<ReturnType<typeof startFakeDispatcher>>;
let harness: Harness;
let nc: NatsConnection;
let jsm: JetStreamManager;
let publisher: EventPublisher;

const post = (url: string, payload?: object) =>
  harness.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
const patch = (url: string, payload: object) => harness.request({ method: 'PATCH', url, payload });
const get = (url: string) => harness.request({ url });
const changesOf = async (phoneNumberId: string) =>
  (await publishedEvents(jsm, harness.namespace, senderChanged)).filter(
    (event) => event.phoneNumberId === phoneNumberId,
  );

async function approvedTemplate(name: string) {
  return (
    await post('/v1/templates', {
      name,
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Hi' }],
    })
  ).json();
}

beforeAll(async () => {
  meta = await startFakeMetaNumbers({ accessToken: token, numbers: describedNumbers });
  const dispatcherPort = await freePort();
  dispatcher = await startFakeDispatcher(dispatcherPort, new Map());
  harness = await startHarness({
    DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${dispatcherPort}`,
    WHATSAPP_API_BASE_URL: meta.baseUrl,
    WHATSAPP_ACCESS_TOKEN: token,
    WHATSAPP_BUSINESS_ACCOUNT_ID: waba,
    WHATSAPP_PHONE_NUMBER_ID: defaultNumber,
  });
  nc = await connect({ servers: testNatsUrl() });
  jsm = await jetstreamManager(nc);
  publisher = createEventPublisher({ js: jetstream(nc), namespace: harness.namespace });
});

afterAll(async () => {
  await nc?.close();
  await harness?.close();
  await dispatcher?.stop();
  await meta?.close();
});

describe('the default sender', () => {
  it('when the service starts with WHATSAPP_PHONE_NUMBER_ID, then that number is the default sender as Meta describes it, announced to the dispatcher', async () => {
    const [sender] = (await get('/v1/senders')).json().items;
    expect(sender).toMatchObject({
      phoneNumberId: defaultNumber,
      wabaId: waba,
      isDefault: true,
      displayPhoneNumber: '15550783881',
      throughputLevel: 'STANDARD',
      metaMps: 80,
      mps: 80,
      messagingLimitTier: 'TIER_1K',
      messagingLimit: 1000,
      state: 'ACTIVE',
      portfolioKey: waba,
    });
    expect(sender.refreshedAt).not.toBeNull();
    const announced = await eventually(async () => (await changesOf(defaultNumber)).at(0));
    expect(announced).toMatchObject({
      senderId: sender.id,
      mps: 80,
      messagingLimit: 1000,
      state: 'ACTIVE',
      version: 1,
    });
  });

  it('when Meta cannot be reached at start-up, then the service still starts and keeps the number at the default throughput until a refresh', async () => {
    const closedPort = await freePort();
    const offline = await startHarness({
      DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${closedPort}`,
      DISPATCHER_DEADLINE_MS: '500',
      WHATSAPP_API_BASE_URL: `http://127.0.0.1:${closedPort}/v23.0`,
      WHATSAPP_ACCESS_TOKEN: token,
      WHATSAPP_BUSINESS_ACCOUNT_ID: waba,
      WHATSAPP_PHONE_NUMBER_ID: defaultNumber,
    });
    try {
      const [sender] = (await offline.request({ url: '/v1/senders' })).json().items;
      expect(sender).toMatchObject({ isDefault: true, throughputLevel: 'STANDARD', mps: 80, refreshedAt: null });
      // The dispatcher is away as well: the sender is still shown, without its activity.
      const detail = await offline.request({ url: `/v1/senders/${sender.id}` });
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({ id: sender.id, activity: null });
      const refresh = await offline.request({ method: 'POST', url: `/v1/senders/${sender.id}/refresh` });
      expect(refresh.statusCode).toBe(503);
    } finally {
      await offline.close();
    }
  });
});

describe('POST /v1/senders', () => {
  it('when an admin registers a number Meta knows, then it is stored with its throughput and portfolio limit and a second registration is a 409', async () => {
    const created = await post('/v1/senders', { phoneNumberId: highNumber, label: 'Collections' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      phoneNumberId: highNumber,
      label: 'Collections',
      throughputLevel: 'HIGH',
      metaMps: 1000,
      mps: 1000,
      messagingLimitTier: 'TIER_2K',
      messagingLimit: 2000,
      isDefault: false,
      version: 1,
    });
    expect(meta.requests.at(-1)).toContain('whatsapp_business_manager_messaging_limit');
    const again = await post('/v1/senders', { phoneNumberId: highNumber });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('sender_exists');
  });

  it('when the number is unknown to Meta, then a 422 names phoneNumberId and nothing is stored', async () => {
    const response = await post('/v1/senders', { phoneNumberId: '999' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details).toEqual([
      { path: 'body.phoneNumberId', message: expect.stringContaining('code 100') },
    ]);
    const listed = (await get('/v1/senders'))
      .json()
      .items.map((sender: { phoneNumberId: string }) => sender.phoneNumberId);
    expect(listed).not.toContain('999');
  });

  it('when a write key registers a number, then it is refused as the admin routes are', async () => {
    const minted = (await post('/v1/api-keys', { name: 'operator', role: 'operator' })).json();
    const response = await harness.request({
      method: 'POST',
      url: '/v1/senders',
      key: minted.key,
      payload: { phoneNumberId: '106540352242944' },
    });
    expect(response.statusCode).toBe(403);
  });
});

describe("Meta's description of a number", () => {
  it('when Meta answers the messaging limit under its old name, then it is read all the same', async () => {
    const legacy = await startFakeMetaNumbers({
      accessToken: token,
      everyField: true,
      numbers: {
        '555': { display_phone_number: '15550001111', throughput: { level: 'HIGH' }, messaging_limit_tier: 'TIER_10K' },
      },
    });
    try {
      const reader = createCloudApiNumberReader({ baseUrl: legacy.baseUrl, accessToken: token });
      expect(await reader.read('555')).toMatchObject({ throughputLevel: 'HIGH', messagingLimitTier: 'TIER_10K' });
    } finally {
      await legacy.close();
    }
  });

  it('when Meta refuses the access token, then the answer is a 502 saying so', async () => {
    const reader = createCloudApiNumberReader({ baseUrl: meta.baseUrl, accessToken: 'wrong' });
    await expect(reader.read(defaultNumber)).rejects.toMatchObject({
      kind: 'bad_gateway',
      code: 'meta_token_refused',
      message: expect.stringContaining('code 190'),
    });
  });
});

describe('GET, PATCH and refresh', () => {
  it('when a sender is read, then its activity comes from the dispatcher', async () => {
    const [sender] = (await get('/v1/senders')).json().items;
    const detail = (await get(`/v1/senders/${sender.id}`)).json();
    expect(detail).toMatchObject({ id: sender.id });
    expect(detail.activity).toEqual({
      sentLastMinute: 0,
      peakPerSecond: 0,
      pending: 0,
      sending: 0,
      mps: 80,
      heldReason: null,
      recipientsLastDay: 0,
      messagingLimit: null,
    });
  });

  it('when the cap is above Meta’s throughput, then a 422 names mpsCap; a lower cap and switching off are announced with a new version', async () => {
    const sender = (await get('/v1/senders')).json().items.find((item: { isDefault: boolean }) => item.isDefault);
    const tooHigh = await patch(`/v1/senders/${sender.id}`, { mpsCap: 200 });
    expect(tooHigh.statusCode).toBe(422);
    expect(tooHigh.json().error.details).toEqual([{ path: 'body.mpsCap', message: expect.stringContaining('80') }]);

    const capped = (await patch(`/v1/senders/${sender.id}`, { mpsCap: 20 })).json();
    expect(capped).toMatchObject({ mpsCap: 20, mps: 20, version: sender.version + 1 });
    const off = (await patch(`/v1/senders/${sender.id}`, { enabled: false })).json();
    expect(off).toMatchObject({ state: 'DISABLED', version: sender.version + 2 });
    const announced = await eventually(async () => {
      const events = await changesOf(defaultNumber);
      return events.some((event) => event.state === 'DISABLED') && events;
    });
    expect(announced.at(-1)).toMatchObject({ state: 'DISABLED', mps: 20, version: sender.version + 2 });
    const back = (await patch(`/v1/senders/${sender.id}`, { enabled: true, mpsCap: null })).json();
    expect(back).toMatchObject({ state: 'ACTIVE', mps: 80, mpsCap: null });
  });

  it('when Meta upgrades a number and it is refreshed, then the new throughput and quality are stored and announced; a refresh that changes nothing keeps the version', async () => {
    const sender = (await get('/v1/senders')).json().items.find((item: { isDefault: boolean }) => item.isDefault);
    const unchanged = (await post(`/v1/senders/${sender.id}/refresh`)).json();
    expect(unchanged.version).toBe(sender.version);
    describedNumbers[defaultNumber] = {
      ...describedNumbers[defaultNumber],
      throughput: { level: 'HIGH' },
      quality_rating: 'YELLOW',
    };
    const refreshed = (await post(`/v1/senders/${sender.id}/refresh`)).json();
    expect(refreshed).toMatchObject({ throughputLevel: 'HIGH', mps: 1000, qualityRating: 'YELLOW' });
    expect(refreshed.version).toBe(sender.version + 1);
    describedNumbers[defaultNumber] = { ...describedNumbers[defaultNumber], throughput: { level: 'STANDARD' } };
    await post(`/v1/senders/${sender.id}/refresh`);
  });
});

describe('campaigns and their senders', () => {
  it('when a campaign names an unknown or switched-off sender, then a 422 names senders.N', async () => {
    const template = await approvedTemplate('senders_check');
    const high = (await get('/v1/senders'))
      .json()
      .items.find((item: { phoneNumberId: string }) => item.phoneNumberId === highNumber);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const base = { name: 'c', templateId: template.id, recurrence: 'DAILY', startAt: '2030-01-01T00:00:00Z' };
    const response = await post('/v1/campaigns', { ...base, senders: [high.id, unknown] });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details).toEqual([{ path: 'body.senders.1', message: `no sender ${unknown}` }]);

    await patch(`/v1/senders/${high.id}`, { enabled: false });
    const off = await post('/v1/campaigns', { ...base, senders: [high.id] });
    expect(off.statusCode).toBe(422);
    expect(off.json().error.details[0].path).toBe('body.senders.0');
    await patch(`/v1/senders/${high.id}`, { enabled: true });
  });

  it('when a run is created, then run.requested carries the campaign’s senders weighted by their rates, and a campaign naming none sends from the default', async () => {
    const template = await approvedTemplate('senders_run');
    await post('/v1/contacts', { phone: '9876570001' });
    const senders = (await get('/v1/senders')).json().items as Array<{
      id: string;
      phoneNumberId: string;
      isDefault: boolean;
    }>;
    const high = senders.find((sender) => sender.phoneNumberId === highNumber)!;
    const fallback = senders.find((sender) => sender.isDefault)!;
    const base = { templateId: template.id, recurrence: 'DAILY', startAt: '2030-01-01T00:00:00Z' };
    const both = (await post('/v1/campaigns', { ...base, name: 'both', senders: [high.id, fallback.id] })).json();
    expect(both.senders).toEqual([high.id, fallback.id]);
    const none = (await post('/v1/campaigns', { ...base, name: 'none' })).json();
    expect(none.senders).toEqual([]);

    const grpc = campaignQueryClient(harness.app.grpcAddress());
    for (const campaign of [both, none]) {
      expect((await post(`/v1/campaigns/${campaign.id}/activate`)).statusCode).toBe(200);
      await grpc.createRun({ campaignId: campaign.id, periodKey: '2030-01-01', scheduledFor: '2030-01-01T00:00:00Z' });
    }
    grpc.close();
    const requested = await eventually(async () => {
      const events = await publishedEvents(jsm, harness.namespace, runRequested);
      return events.length >= 2 && events;
    });
    const of = (id: string) => requested.find((event) => event.campaignId === id);
    expect(of(both.id)?.senders).toEqual([
      { phoneNumberId: highNumber, weight: 1000 },
      { phoneNumberId: defaultNumber, weight: 80 },
    ]);
    expect(of(none.id)?.senders).toEqual([{ phoneNumberId: defaultNumber, weight: 80 }]);

    // The high number is in use by an ACTIVE campaign: it stays until the campaign ends.
    const refused = await harness.request({ method: 'DELETE', url: `/v1/senders/${high.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'sender_in_use', message: expect.stringContaining('both') });
    expect((await post(`/v1/campaigns/${both.id}/cancel`)).statusCode).toBe(200);
    for (const draft of (await get('/v1/campaigns?status=DRAFT')).json().items)
      await post(`/v1/campaigns/${draft.id}/cancel`);
    expect((await harness.request({ method: 'DELETE', url: `/v1/senders/${high.id}` })).statusCode).toBe(204);
    const deleted = await eventually(async () =>
      (await changesOf(highNumber)).find((event) => event.state === 'DELETED'),
    );
    expect(deleted).toMatchObject({ senderId: high.id, state: 'DELETED' });
    expect((await get(`/v1/senders/${high.id}`)).statusCode).toBe(404);

    const refusedDefault = await harness.request({ method: 'DELETE', url: `/v1/senders/${fallback.id}` });
    expect(refusedDefault.statusCode).toBe(409);
    expect(refusedDefault.json().error.code).toBe('default_sender');
  });
});

describe('campaign-number-update', () => {
  const update = (fields: Partial<PayloadOf<typeof whatsappNumberUpdate>>, id: string) =>
    publisher.publish(
      whatsappNumberUpdate,
      {
        field: 'phone_number_quality_update',
        businessAccountId: waba,
        event: 'FLAGGED',
        restrictions: [],
        occurredAt: new Date().toISOString(),
        ...fields,
      },
      { msgId: id },
    );
  const defaultSender = async () =>
    (await get('/v1/senders')).json().items.find((item: { isDefault: boolean }) => item.isDefault);

  it('when Meta flags, restricts, reinstates and downgrades the number, then its state, reason, rate and limit follow, each announced and counted', async () => {
    await update({ displayPhoneNumber: '15550783881', event: 'FLAGGED' }, 'flag-1');
    const flagged = await eventually(async () => {
      const sender = await defaultSender();
      return sender.state === 'FLAGGED' && sender;
    });
    expect(flagged).toMatchObject({ mps: 40, stateReason: expect.stringContaining('flagged') });
    expect(flagged.stateChangedAt).not.toBeNull();
    expect(
      await eventually(async () => (await changesOf(defaultNumber)).find((event) => event.state === 'FLAGGED')),
    ).toMatchObject({ mps: 40 });

    await update(
      {
        field: 'account_update',
        event: 'ACCOUNT_RESTRICTION',
        restrictions: [{ type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiresAt: '2030-01-08T00:00:00.000Z' }],
      },
      'restrict-1',
    );
    const restricted = await eventually(async () => {
      const sender = await defaultSender();
      return sender.state === 'RESTRICTED' && sender;
    });
    expect(restricted.stateReason).toBe(
      'Meta restricted the account: business-initiated messages until 2030-01-08T00:00:00.000Z',
    );

    await update({ field: 'account_update', event: 'ACCOUNT_RESTRICTION', restrictions: [] }, 'lift-1');
    await eventually(async () => (await defaultSender()).state === 'ACTIVE');

    await update(
      { displayPhoneNumber: '15550783881', event: 'DOWNGRADE', currentLimit: 'TIER_250', previousLimit: 'TIER_1K' },
      'downgrade-1',
    );
    const downgraded = await eventually(async () => {
      const sender = await defaultSender();
      return sender.messagingLimit === 250 && sender;
    });
    expect(downgraded.messagingLimitTier).toBe('TIER_250');

    const metrics = (await harness.request({ url: '/metrics', key: null })).body.split('\n');
    const sample = (name: string, labels: string[]) =>
      metrics
        .find((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
        ?.split(' ')[1];
    expect(sample('ektola_sender_signals_total', ['field="phone_number_quality_update"', 'event="DOWNGRADE"'])).toBe(
      '1',
    );
    expect(sample('ektola_sender_signals_total', ['field="account_update"', 'event="ACCOUNT_RESTRICTION"'])).toBe('2');
    expect(sample('ektola_sender_state', [`phone_number_id="${defaultNumber}"`, 'state="ACTIVE"'])).toBe('1');
    expect(sample('ektola_sender_state', [`phone_number_id="${defaultNumber}"`, 'state="FLAGGED"'])).toBe('0');
    expect(sample('ektola_sender_mps', [`phone_number_id="${defaultNumber}"`])).toBe('80');
  });
});
