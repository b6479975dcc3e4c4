import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from './fake-campaign-query.ts';
import { startWorld, waitForStats, type World } from './support.ts';

describe('a send Meta accepted whose result could not be written', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;

  beforeAll(async () => {
    // No webhooks: a status could otherwise settle the message and hide a resend.
    world = await startWorld({ webhooks: false });
    dispatcher = await world.startDispatcher({ SEND_TIMEOUT_MS: '3000', RECONCILE_WINDOW_MS: '2000' });
  });

  afterAll(async () => {
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when PostgreSQL refuses the first two writes of SENT, then the dispatcher writes them again with the wamids Meta gave, and nothing is sent twice', async () => {
    // The database itself fails the writes: a sequence, unlike a table, keeps counting when the statement rolls back.
    await world.sql.unsafe(`
      create sequence dispatch.injected_write_failures;
      create function dispatch.fail_first_result_writes() returns trigger language plpgsql as $$
      begin
        if nextval('dispatch.injected_write_failures') <= 2 then
          raise exception 'injected failure of a result write';
        end if;
        return new;
      end $$;
      create trigger fail_first_result_writes before update on dispatch.messages
        for each row when (old.status = 'SENDING' and new.status = 'SENT') execute function dispatch.fail_first_result_writes();`);

    const audience = contacts(5, '5100');
    const runId = await world.requestRun(audience);
    const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 30_000);
    expect(stats).toMatchObject({ total: 5, sent: 5, failed: 0, pending: 0, sending: 0 });

    // A resend after the lease ran out would show as a second attempt and a second send at Meta.
    const messages = await world.sql<Array<{ id: string; phone: string; wamid: string; attempts: number }>>`
      select id, phone, wamid, attempts from dispatch.messages where run_id = ${runId}`;
    for (const message of messages) {
      expect(message.attempts).toBe(1);
      expect(world.simulator.api.stats.sendsOf(message.id)).toBe(1);
      expect(message.wamid).toBe(world.simulator.api.lastMessageTo(message.phone.slice(1)));
    }
    const [failures] = await world.sql<
      Array<{ last_value: string }>
    >`select last_value::text from dispatch.injected_write_failures`;
    expect(Number(failures?.last_value)).toBeGreaterThan(2);

    const metrics = await (await fetch(`http://127.0.0.1:${dispatcher.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/^ektola_send_record_failures_total\{[^}]*result="retried"[^}]*\} 2$/m);
  });
});
