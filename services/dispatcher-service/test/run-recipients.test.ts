import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from './fake-campaign-query.ts';
import { startWorld, waitForStats, type World } from './support.ts';

const development = {
  EKTOLA_DEVELOPMENT_MODE: 'true',
  WHATSAPP_ACCESS_TOKEN: '',
  WHATSAPP_API_BASE_URL: '',
  WHATSAPP_PHONE_NUMBER_ID: '',
};

describe('StreamRunRecipients', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;
  let runId: string;

  beforeAll(async () => {
    world = await startWorld({ webhooks: false });
    dispatcher = await world.startDispatcher(development);
    runId = await world.requestRun(contacts(7, '7300'));
    await waitForStats(dispatcher.query, runId, (current) => current.completed);
    // The run's outcomes as Meta's statuses would leave them, contact by contact.
    const outcomes: Array<[string, number | null]> = [
      ['SENT', null],
      ['DELIVERED', null],
      ['READ', null],
      ['FAILED', 131049],
      ['FAILED', 131026],
      ['DELIVERED', null],
      ['READ', null],
    ];
    for (const [index, [status, errorCode]] of outcomes.entries()) {
      await world.sql`
        update dispatch.messages set status = ${status}, error_code = ${errorCode}
         where run_id = ${runId} and contact_id = ${`c${String(index).padStart(8, '0')}`}`;
    }
  });

  afterAll(async () => {
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when a re-target asks for the messages not read, then exactly the SENT and DELIVERED contacts stream, in contact-id order and batches', async () => {
    const batches = await dispatcher.query.recipients({ runId, statuses: ['SENT', 'DELIVERED'], batchSize: 2 });
    expect(batches).toEqual([['c00000000', 'c00000001'], ['c00000005']]);
  });

  it('when error codes are given, then only the messages that failed with them stream', async () => {
    expect(await dispatcher.query.recipients({ runId, statuses: ['FAILED'], errorCodes: [131049] })).toEqual([
      ['c00000003'],
    ]);
    expect((await dispatcher.query.recipients({ runId, statuses: ['FAILED', 'READ'] })).flat()).toEqual([
      'c00000002',
      'c00000003',
      'c00000004',
      'c00000006',
    ]);
  });

  it('when ListMessages is asked for one Meta error code, then only the messages that failed with it come back, paged', async () => {
    const first = await dispatcher.query.list({ runId, errorCode: 131026, pageSize: 1 });
    expect(first.messages.map((message) => [message.contactId, message.errorCode])).toEqual([['c00000004', 131026]]);
    expect(first.nextPageToken).toBe('');
    const failed = await dispatcher.query.list({ runId, status: 'FAILED', errorCode: 131049 });
    expect(failed.messages.map((message) => message.contactId)).toEqual(['c00000003']);
    expect((await dispatcher.query.list({ runId, status: 'READ', errorCode: 131049 })).messages).toEqual([]);
    expect((await dispatcher.query.list({ runId, errorCode: 0 })).messages).toHaveLength(7);
    await expect(dispatcher.query.list({ runId, errorCode: -1 })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('when the statuses are missing or not outcomes, then the call is invalid', async () => {
    for (const statuses of [[], ['PENDING'], ['sent', 'LOST']])
      await expect(dispatcher.query.recipients({ runId, statuses })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(dispatcher.query.recipients({ runId: 'nope', statuses: ['SENT'] })).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
