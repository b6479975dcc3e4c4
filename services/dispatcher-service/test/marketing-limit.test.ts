import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { contacts } from './fake-campaign-query.ts';
import { startWorld, waitForStats, type World } from './support.ts';

interface MessageRow {
  id: string;
  status: string;
  error_code: number | null;
  error_title: string | null;
  attempts: number;
  marketing_limit_retries: number;
  wamid: string | null;
}

/**
 * Meta's per-user marketing limit (131049) against the real dispatcher, NATS, PostgreSQL, webhook-service
 * and the simulator, with a short schedule (2 s, then 3 s, long enough to be seen on a loaded machine) instead of 6 h and 24 h. What is asserted is
 * the order and the number of attempts, never how long they took.
 */
describe('131049: the per-user marketing limit is tried again on a schedule', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;
  let prefix = 3000;
  const nextAudience = (count: number) => contacts(count, String((prefix += 1)));
  const waIdOf = (phone: string) => phone.slice(1);

  const messageOf = async (runId: string, phone: string) => {
    const [row] = await world.sql<MessageRow[]>`
      select id, status, error_code, error_title, attempts, marketing_limit_retries, wamid
        from dispatch.messages where run_id = ${runId} and phone = ${phone}`;
    return row;
  };

  /** Every distinct state the message passes through until `done`, polled often enough to see each wait. */
  async function statesUntil(runId: string, phone: string, done: (row: MessageRow) => boolean) {
    const seen: Array<{ status: string; retries: number; waitingReason: string; runCompleted: boolean }> = [];
    await eventually(
      async () => {
        const before = await messageOf(runId, phone);
        if (!before) return undefined;
        const listed = (await dispatcher.query.list({ runId, pageSize: 100 })).messages.find(
          (message) => message.id === before.id,
        );
        const row = await messageOf(runId, phone);
        // The listing and the row are two reads: a sample where the message moved between them shows neither state.
        if (!row || !listed || listed.status !== row.status || before.status !== row.status) return undefined;
        const state = {
          status: row.status,
          retries: row.marketing_limit_retries,
          waitingReason: listed?.waitingReason ?? '',
          runCompleted: (await dispatcher.query.stats(runId)).completed,
        };
        const last = seen.at(-1);
        if (!last || JSON.stringify(last) !== JSON.stringify(state)) seen.push(state);
        if (state.status === 'PENDING' && state.retries > 0)
          expect(listed?.nextAttemptAt, 'a waiting message says when it is tried next').not.toBe('');
        return done(row) ? seen : undefined;
      },
      60_000,
      50,
    );
    return seen;
  }

  const waits = (seen: Awaited<ReturnType<typeof statesUntil>>) =>
    seen.filter((state) => state.status === 'PENDING' && state.retries > 0);

  beforeAll(async () => {
    world = await startWorld({ simulator: { SIMULATOR_PAIR_INTERVAL_MS: '0' } });
    // SEND_RETRIES 0: were a 131049 counted as an ordinary retry, the first one would already fail the message.
    dispatcher = await world.startDispatcher({ MARKETING_LIMIT_RETRY_DELAYS: '2s,3s', SEND_RETRIES: '0' });
  });

  afterAll(async () => {
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when Meta keeps answering 131049 on the call, then the message waits twice (run still open), is sent three times in all, and ends FAILED with Meta code and title', async () => {
    const audience = nextAudience(2);
    const limited = audience[0]!.phone;
    await world.admin('PUT', `/_sim/recipients/${waIdOf(limited)}`, { rejectWith: { code: 131049 } });
    const runId = await world.requestRun(audience);

    const seen = await statesUntil(runId, limited, (row) => row.status === 'FAILED');
    expect(
      waits(seen).map(({ retries, waitingReason, runCompleted }) => ({ retries, waitingReason, runCompleted })),
    ).toEqual([
      { retries: 1, waitingReason: 'marketing_limit', runCompleted: false },
      { retries: 2, waitingReason: 'marketing_limit', runCompleted: false },
    ]);
    expect(await messageOf(runId, limited)).toMatchObject({
      status: 'FAILED',
      error_code: 131049,
      error_title: null,
      attempts: 1,
      marketing_limit_retries: 2,
      wamid: null,
    });
    const failed = (await dispatcher.query.list({ runId, status: 'FAILED' })).messages;
    expect(failed.map((message) => [message.errorCode, message.errorMessage, message.waitingReason])).toEqual([
      [
        131049,
        '(#131049) This message was not delivered to maintain healthy ecosystem engagement.: In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
        '',
      ],
    ]);
    expect(world.simulatorStats().rejected).toMatchObject({ 131049: 3 });
    const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed);
    expect(stats).toMatchObject({ total: 2, failed: 1, pending: 0 });
  });

  it('when Meta answers 131049 twice and then accepts, then the second retry is sent and the message goes on to DELIVERED and READ', async () => {
    const audience = nextAudience(1);
    const phone = audience[0]!.phone;
    const rejectedBefore = world.simulatorStats().rejected[131049] ?? 0;
    await world.admin('PUT', `/_sim/recipients/${waIdOf(phone)}`, { rejectWith: { code: 131049, times: 2 } });
    const runId = await world.requestRun(audience);

    const seen = await statesUntil(runId, phone, (row) => row.status === 'READ');
    expect(waits(seen).map(({ retries, runCompleted }) => ({ retries, runCompleted }))).toEqual([
      { retries: 1, runCompleted: false },
      { retries: 2, runCompleted: false },
    ]);
    expect(seen.map((state) => state.status)).toContain('SENT');
    expect(await messageOf(runId, phone)).toMatchObject({
      status: 'READ',
      error_code: null,
      attempts: 1,
      marketing_limit_retries: 2,
      wamid: expect.stringMatching(/^wamid\./),
    });
    expect((world.simulatorStats().rejected[131049] ?? 0) - rejectedBefore).toBe(2);
    expect(await waitForStats(dispatcher.query, runId, (current) => current.completed)).toMatchObject({ read: 1 });
  });

  it('when 131049 comes later as a failed status, then the message is queued again on the schedule and its retry is delivered', async () => {
    const audience = nextAudience(1);
    const phone = audience[0]!.phone;
    await world.admin('PUT', `/_sim/recipients/${waIdOf(phone)}`, { failWith: 131049 });
    const runId = await world.requestRun(audience);

    const waiting = await eventually(async () => {
      const row = await messageOf(runId, phone);
      return row?.status === 'PENDING' && row.marketing_limit_retries === 1 ? row : undefined;
    });
    expect(waiting).toMatchObject({ error_code: 131049, attempts: 0 });
    await world.admin('PUT', `/_sim/recipients/${waIdOf(phone)}`, { failWith: null });

    const read = await eventually(async () => {
      const row = await messageOf(runId, phone);
      return row?.status === 'READ' ? row : undefined;
    });
    expect(read).toMatchObject({ marketing_limit_retries: 1, error_code: null, attempts: 1 });
    expect(read.wamid).not.toBe(waiting.wamid);
    // The message is found by its new wamid alone, as its row says.
    expect(await world.sql`select wamid from dispatch.sends where message_id = ${read.id}`).toEqual([
      { wamid: read.wamid },
    ]);
  });
});
