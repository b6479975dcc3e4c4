import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@ektola/platform/testing';
import { startFakeDispatcher } from './fake-dispatcher.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let dispatcher: Awaited<ReturnType<typeof startFakeDispatcher>>;
let contactId: string;

beforeAll(async () => {
  const dispatcherPort = await freePort();
  dispatcher = await startFakeDispatcher(dispatcherPort, new Map());
  harness = await startHarness({ DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${dispatcherPort}` });
  const created = await harness.request({
    method: 'POST',
    url: '/v1/contacts',
    payload: { phone: '+919876500001', name: 'Asha' },
  });
  contactId = created.json().id;
});

afterAll(async () => {
  await harness?.close();
  await dispatcher?.stop();
});

describe('replies through the public API', () => {
  it("when a contact's conversation is asked for, then the dispatcher is asked by the contact's id and phone, and both directions come back with the cursor it gave", async () => {
    const response = await harness.request({ url: `/v1/contacts/${contactId}/conversation?limit=2` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        expect.objectContaining({
          direction: 'outbound',
          status: 'READ',
          templateName: 'gold_loan_reminder',
          replied: true,
          repliedAt: '2030-01-01T00:02:00.000Z',
          type: null,
          inReplyTo: null,
        }),
        expect.objectContaining({
          direction: 'inbound',
          type: 'button',
          text: 'Paid',
          payload: 'PAID',
          inReplyTo: '00000000-0000-4000-8000-000000000001',
          status: null,
          replied: null,
        }),
      ],
      nextCursor: 'conversation-2',
    });
    expect(dispatcher.replyRequests.at(-1)).toEqual({
      contactId,
      phone: '+919876500001',
      pageSize: 2,
      pageToken: '',
    });
  });

  it('when replies are asked for from an instant with an offset, then the dispatcher gets it in UTC', async () => {
    const response = await harness.request({ url: '/v1/replies?since=2030-01-01T05:30:00%2B05:30' });
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([
      expect.objectContaining({
        id: 'wamid.IN2',
        text: 'Thanks',
        messageId: null,
        receivedAt: '2030-01-01T00:00:00.000Z',
      }),
    ]);
    expect(dispatcher.replyRequests.at(-1)).toMatchObject({ campaignId: '', since: '2030-01-01T00:00:00.000Z' });
  });

  it('when the contact or the campaign does not exist, or since is not an instant, then the answer names what is wrong', async () => {
    const unknown = '00000000-0000-4000-8000-00000000dead';
    expect((await harness.request({ url: `/v1/contacts/${unknown}/conversation` })).statusCode).toBe(404);
    expect((await harness.request({ url: `/v1/replies?campaignId=${unknown}` })).statusCode).toBe(404);
    const badSince = await harness.request({ url: '/v1/replies?since=yesterday' });
    expect([badSince.statusCode, badSince.json().error.details[0].path]).toEqual([400, 'querystring.since']);
  });
});
