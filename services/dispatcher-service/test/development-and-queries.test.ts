import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '@ektola/platform/errors';
import { startServiceProcess } from '@ektola/platform/testing';
import { contacts } from './fake-campaign-query.ts';
import { startWorld, waitForStats, type World } from './support.ts';

const development = {
  EKTOLA_DEVELOPMENT_MODE: 'true',
  WHATSAPP_ACCESS_TOKEN: '',
  WHATSAPP_API_BASE_URL: '',
  WHATSAPP_PHONE_NUMBER_ID: '',
};
const dispatcherMain = new URL('../src/main.ts', import.meta.url).pathname;

describe('development mode, the daily tier and DispatchQuery', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ webhooks: false });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('when the Cloud API credentials are missing and development mode is not asked for, then the process exits 1 naming each missing variable', async () => {
    const env = world.dispatcherEnv({ WHATSAPP_ACCESS_TOKEN: '', WHATSAPP_PHONE_NUMBER_ID: '', LOG_LEVEL: 'info' });
    const missingBoth = startServiceProcess(dispatcherMain, env);
    expect(await missingBoth.exited).toBe(1);
    expect(missingBoth.output()).toMatch(
      /^dispatcher-service: invalid configuration: WHATSAPP_ACCESS_TOKEN: is required/m,
    );
    expect(missingBoth.output()).toMatch(/^invalid configuration: WHATSAPP_PHONE_NUMBER_ID: is required/m);

    const missingNumber = startServiceProcess(
      dispatcherMain,
      world.dispatcherEnv({ WHATSAPP_PHONE_NUMBER_ID: '', EKTOLA_DEVELOPMENT_MODE: 'false' }),
    );
    expect(await missingNumber.exited).toBe(1);
    expect(missingNumber.output()).toMatch(/WHATSAPP_PHONE_NUMBER_ID: is required/);
    expect(missingNumber.output()).not.toMatch(/WHATSAPP_ACCESS_TOKEN/);
  });

  it('when EKTOLA_DEVELOPMENT_MODE=true and no credentials are set, then messages become SENT with dev_ ids and no HTTP call, and a redelivered run adds nothing', async () => {
    const dispatcher = await world.startDispatcher(development);
    try {
      const audience = contacts(5, '7100');
      const runId = await world.requestRun(audience);
      const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed);
      expect(stats).toMatchObject({ total: 5, sent: 5, failed: 0 });
      const [first] = (await dispatcher.query.list({ runId, pageSize: 1 })).messages;
      expect(first?.wamid).toBe(`dev_${first?.phone}_gold_loan_reminder_${first?.id}`);
      expect(world.simulatorStats().accepted).toBe(0);

      // The same run.requested again, as JetStream would redeliver it after a lost ack.
      await world.requestRun(audience, runId, `redelivered:${runId}`);
      await expect
        .poll(() => world.campaign.streamCalls.filter((call) => call.runId === runId).length, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await dispatcher.query.stats(runId)).toMatchObject({ total: 5, sent: 5 });
      const [rows] = await world.sql<
        Array<{ count: number }>
      >`select count(*)::int from dispatch.messages where run_id = ${runId}`;
      expect(rows?.count).toBe(5);
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  });

  it('when the daily tier admits 5 unique recipients, then 5 are sent, the rest wait and the run says why', async () => {
    const dispatcher = await world.startDispatcher({ ...development, WHATSAPP_TIER_LIMIT: '5' });
    try {
      const runId = await world.requestRun(contacts(8, '7200'));
      const stats = await waitForStats(
        dispatcher.query,
        runId,
        (current) => current.sent === 5 && current.pending === 3,
      );
      expect(stats.completed).toBe(false);
      expect(stats.waitingReason).toMatch(
        /daily messaging tier \(5 unique recipients per 24 hours\) is exhausted; new recipients wait/,
      );

      // A recipient already counted in the window is free: a new run to the same five goes out.
      const again = await world.requestRun(contacts(5, '7200'));
      await waitForStats(dispatcher.query, again, (current) => current.completed);
      expect(await dispatcher.query.stats(again)).toMatchObject({ total: 5, sent: 5 });
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  });

  it('when messages are listed, then pages follow the cursor, filter by status, and bad requests name the field', async () => {
    const dispatcher = await world.startDispatcher(development);
    try {
      const runId = await world.requestRun(contacts(7, '7300'));
      await waitForStats(dispatcher.query, runId, (current) => current.completed);

      const seen: string[] = [];
      let pageToken = '';
      let pages = 0;
      do {
        const page = await dispatcher.query.list({ runId, pageSize: 3, pageToken });
        seen.push(...page.messages.map((message) => message.id));
        pageToken = page.nextPageToken;
        pages += 1;
      } while (pageToken);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(7);
      expect(seen).toEqual([...seen].sort());

      expect((await dispatcher.query.list({ runId, status: 'SENT' })).messages).toHaveLength(7);
      expect((await dispatcher.query.list({ runId, status: 'FAILED' })).messages).toHaveLength(0);

      const message = await dispatcher.query.message(seen[0]!);
      expect(message).toMatchObject({ id: seen[0], runId, status: 'SENT', attempts: 1, errorCode: 0 });
      expect(message.sentAt).not.toBe('');

      const failure = (promise: Promise<unknown>) =>
        promise.then(
          () => undefined,
          (error: DomainError) => error,
        );
      expect(await failure(dispatcher.query.stats('6d1f0f57-8d51-4f0c-9f0e-1f7f1f7f1f7f'))).toMatchObject({
        kind: 'not_found',
      });
      expect(await failure(dispatcher.query.message('not-a-uuid'))).toMatchObject({
        kind: 'invalid',
        details: [{ path: 'id' }],
      });
      expect(await failure(dispatcher.query.list({ runId, status: 'LOST' }))).toMatchObject({
        kind: 'invalid',
        details: [{ path: 'status' }],
      });
      expect(await failure(dispatcher.query.list({ runId, pageToken: 'garbage' }))).toMatchObject({
        kind: 'invalid',
        details: [{ path: 'page_token' }],
      });
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  });
});
