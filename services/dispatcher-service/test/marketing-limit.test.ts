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
 * and the simulator, with a short schedule (2 s, then 3 s) instead of 6 h and 24 h. Each wait is read from
 * a record of every version the message went through, so none can be missed however short it is. What is
 * asserted is the order and the number of attempts, never how long they took.
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

  interface Version {
    status: string;
    retries: number;
    errorCode: number | null;
    attempts: number;
    wamid: string | null;
    scheduled: boolean;
    runCompleted: boolean;
  }
  /**
   * Once the message is `done` and its run completed: every version of the message a transaction wrote,
   * and the moment its run completed, in the order they were written. Recorded by the triggers installed
   * below, so no short wait can slip between two polls.
   */
  async function historyUntil(runId: string, phone: string, done: (row: MessageRow) => boolean) {
    const row = await eventually(async () => {
      const current = await messageOf(runId, phone);
      const [run] = await world.sql`select 1 from dispatch.runs where id = ${runId} and completed_at is not null`;
      return current && done(current) && run ? current : undefined;
    }, 60_000);
    const versions = await world.sql<Array<Version & { kind: string }>>`
      select kind, status, retries, error_code as "errorCode", attempts, wamid, next_attempt_at > recorded_at as scheduled, run_completed as "runCompleted"
        from public.message_history
       where message_id = ${row.id} or (kind = 'run completed' and run_id = ${runId})
       order by seq`;
    const runCompletedAt = versions.findIndex((version) => version.kind === 'run completed');
    const lastUnsent = versions.findLastIndex(
      (version) => version.status === 'PENDING' || version.status === 'SENDING',
    );
    return {
      versions: versions.filter((version) => version.kind === 'message').map(({ kind: _kind, ...version }) => version),
      /** A run completes only once none of its messages is still to be sent: never during a wait. */
      runCompletedAfterWaits: runCompletedAt > lastUnsent,
    };
  }

  /** The waits on the schedule, each once however many versions of it were written. */
  const waits = (versions: Version[]) =>
    versions
      .filter((version) => version.status === 'PENDING' && version.retries > 0)
      .filter((version, index, all) => index === 0 || all[index - 1]!.retries !== version.retries);

  beforeAll(async () => {
    world = await startWorld({ simulator: { SIMULATOR_PAIR_INTERVAL_MS: '0' } });
    // SEND_RETRIES 0: were a 131049 counted as an ordinary retry, the first one would already fail the message.
    dispatcher = await world.startDispatcher({ MARKETING_LIMIT_RETRY_DELAYS: '2s,3s', SEND_RETRIES: '0' });
    await world.sql.unsafe(`
      create table public.message_history (
        seq bigserial primary key, kind text not null, message_id uuid, run_id uuid not null, status text,
        retries int, error_code int, attempts int, wamid text, next_attempt_at timestamptz, run_completed boolean,
        recorded_at timestamptz not null default clock_timestamp());
      create function public.record_message_version() returns trigger language plpgsql as $$
      begin
        insert into public.message_history
               (kind, message_id, run_id, status, retries, error_code, attempts, wamid, next_attempt_at, run_completed)
        select 'message', new.id, new.run_id, new.status, new.marketing_limit_retries, new.error_code,
               new.attempts, new.wamid, new.next_attempt_at, r.completed_at is not null
          from dispatch.runs r where r.id = new.run_id;
        return null;
      end $$;
      create trigger message_history after insert or update on dispatch.messages
        for each row execute function public.record_message_version();
      create function public.record_run_completion() returns trigger language plpgsql as $$
      begin
        insert into public.message_history (kind, run_id) values ('run completed', new.id);
        return null;
      end $$;
      create trigger run_completion after update of completed_at on dispatch.runs
        for each row when (old.completed_at is null and new.completed_at is not null)
        execute function public.record_run_completion();`);
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

    const history = await historyUntil(runId, limited, (row) => row.status === 'FAILED');
    expect(waits(history.versions)).toEqual([
      {
        status: 'PENDING',
        retries: 1,
        errorCode: 131049,
        attempts: 0,
        wamid: null,
        scheduled: true,
        runCompleted: false,
      },
      {
        status: 'PENDING',
        retries: 2,
        errorCode: 131049,
        attempts: 0,
        wamid: null,
        scheduled: true,
        runCompleted: false,
      },
    ]);
    expect(history.versions.at(-1)).toMatchObject({ status: 'FAILED', retries: 2 });
    expect(history.runCompletedAfterWaits, 'the run stays open while its message waits').toBe(true);
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

    // The listing of a waiting message, read from a row held as the schedule leaves it (its wait is
    // too short here to be read reliably while it lasts): why it waits and when it is tried next.
    const nextAttemptAt = new Date(Date.now() + 3_600_000);
    await world.sql`
      update dispatch.messages set status = 'PENDING', next_attempt_at = ${nextAttemptAt}, failed_at = null
       where run_id = ${runId} and phone = ${limited}`;
    const [waiting] = (await dispatcher.query.list({ runId, status: 'PENDING' })).messages;
    expect(waiting).toMatchObject({ waitingReason: 'marketing_limit', errorCode: 131049 });
    expect(Date.parse(waiting!.nextAttemptAt)).toBe(nextAttemptAt.getTime());
  });

  it('when Meta answers 131049 twice and then accepts, then the second retry is sent and the message goes on to DELIVERED and READ', async () => {
    const audience = nextAudience(1);
    const phone = audience[0]!.phone;
    const rejectedBefore = world.simulatorStats().rejected[131049] ?? 0;
    await world.admin('PUT', `/_sim/recipients/${waIdOf(phone)}`, { rejectWith: { code: 131049, times: 2 } });
    const runId = await world.requestRun(audience);

    const history = await historyUntil(runId, phone, (row) => row.status === 'READ');
    expect(
      waits(history.versions).map(({ retries, scheduled, runCompleted }) => ({ retries, scheduled, runCompleted })),
    ).toEqual([
      { retries: 1, scheduled: true, runCompleted: false },
      { retries: 2, scheduled: true, runCompleted: false },
    ]);
    expect(history.versions.map((version) => version.status)).toContain('SENT');
    expect(history.runCompletedAfterWaits).toBe(true);
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
    // The first accepted send fails later with 131049; the retry is accepted and delivered.
    await world.admin('PUT', `/_sim/recipients/${waIdOf(phone)}`, { failWith: { code: 131049, times: 1 } });
    const runId = await world.requestRun(audience);

    const history = await historyUntil(runId, phone, (row) => row.status === 'READ');
    const [waiting, ...more] = waits(history.versions);
    expect(more).toEqual([]);
    expect(waiting).toMatchObject({ retries: 1, errorCode: 131049, attempts: 0, scheduled: true });
    expect(waiting!.wamid, 'the first send was accepted').toMatch(/^wamid\./);
    const read = (await messageOf(runId, phone))!;
    expect(read).toMatchObject({ status: 'READ', marketing_limit_retries: 1, error_code: null, attempts: 1 });
    expect(read.wamid).not.toBe(waiting!.wamid);
    // The message is found by its new wamid alone, as its row says.
    expect(await world.sql`select wamid from dispatch.sends where message_id = ${read.id}`).toEqual([
      { wamid: read.wamid },
    ]);
  });
});
