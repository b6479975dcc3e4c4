import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from './fake-campaign-query.ts';
import { phoneNumberId, startWorld, waitForStats, type World } from './support.ts';

describe('GetSendingOverview', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;

  beforeAll(async () => {
    world = await startWorld({ webhooks: false });
    dispatcher = await world.startDispatcher();
  });

  afterAll(async () => {
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when a run was sent, then the last day counts its messages by status and the last hour its sends by minute', async () => {
    const runId = await world.requestRun(contacts(4, '7400'));
    await waitForStats(dispatcher.query, runId, (current) => current.completed);
    // One message of a run two days old is outside the last day, and its send outside the last hour.
    await world.sql`
      update dispatch.messages set created_at = now() - interval '2 days', sent_at = now() - interval '2 days'
       where run_id = ${runId} and contact_id = 'c00000003'`;
    const overview = await dispatcher.query.overview();
    expect(overview.messagesLastDay).toEqual([{ status: 'SENT', count: 3 }]);
    expect(overview.sendsPerMinute).toHaveLength(60);
    expect(overview.sendsPerMinute.reduce((sum, minute) => sum + minute.count, 0)).toBe(3);
    const minutes = overview.sendsPerMinute.map((minute) => Date.parse(minute.minute));
    expect(minutes.every((minute, index) => index === 0 || minute - minutes[index - 1]! === 60_000)).toBe(true);
    expect(overview.alerts).toEqual([]);
  });

  it("when a run's sends are bucketed by minute, then every minute from its first send to its last is counted", async () => {
    const runId = await world.requestRun(contacts(5, '7500'));
    await waitForStats(dispatcher.query, runId, (current) => current.completed);
    const minute = (offset: string, contactIds: string[]) => world.sql`
      update dispatch.messages set sent_at = '2030-01-01T09:00:00Z'::timestamptz + ${offset}::interval
       where run_id = ${runId} and contact_id = any(${contactIds}::text[])`;
    await minute('10 seconds', ['c00000000', 'c00000001']);
    await minute('59 seconds', ['c00000002']);
    await minute('3 minutes 5 seconds', ['c00000003', 'c00000004']);
    const { minutes } = await dispatcher.query.runSendsPerMinute(runId);
    expect(minutes).toEqual([
      { minute: '2030-01-01T09:00:00.000Z', count: 3 },
      { minute: '2030-01-01T09:01:00.000Z', count: 0 },
      { minute: '2030-01-01T09:02:00.000Z', count: 0 },
      { minute: '2030-01-01T09:03:00.000Z', count: 2 },
    ]);
    await expect(dispatcher.query.runSendsPerMinute('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(dispatcher.query.runSendsPerMinute('nope')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('when the number is stopped by an account error and the tier is exhausted, then both are alerts', async () => {
    await world.sql`
      insert into dispatch.numbers (phone_number_id, blocked_until, blocked_code, blocked_message, tier_resumes_at)
      values (${phoneNumberId}, now() + interval '1 hour', 131031, 'Business Account locked', now() + interval '2 hours')
      on conflict (phone_number_id) do update
        set blocked_until = excluded.blocked_until, blocked_code = excluded.blocked_code,
            blocked_message = excluded.blocked_message, tier_resumes_at = excluded.tier_resumes_at`;
    const { alerts } = await dispatcher.query.overview();
    expect(alerts.map((alert) => alert.kind)).toEqual(['account_error', 'tier_limit']);
    expect(alerts[0]!.message).toContain('131031');
  });
});
