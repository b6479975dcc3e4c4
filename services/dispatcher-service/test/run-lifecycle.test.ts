import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { streamNameOf } from '@ektola/platform/events';
import { eventually, testNatsUrl } from '@ektola/platform/testing';
import { contacts } from './fake-campaign-query.ts';
import { startWorld, waitForStats, type World } from './support.ts';

describe('a run from request to READ', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;

  beforeAll(async () => {
    world = await startWorld();
    dispatcher = await world.startDispatcher();
  });

  afterAll(async () => {
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when a run of 1,000 contacts is requested, then each gets one message, all are SENT, then READ, and the run completes with the right counts', async () => {
    const runId = await world.requestRun(contacts(1000));

    const completed = await waitForStats(dispatcher.query, runId, (stats) => stats.completed, 90_000);
    expect(completed.total).toBe(1000);
    expect(completed.pending + completed.sending).toBe(0);
    expect(completed.failed).toBe(0);

    const read = await waitForStats(dispatcher.query, runId, (stats) => stats.read === 1000, 90_000);
    expect(read).toMatchObject({
      total: 1000,
      pending: 0,
      sending: 0,
      sent: 0,
      delivered: 0,
      read: 1000,
      failed: 0,
      waitingReason: '',
    });
    expect(await world.statusCounts(runId)).toEqual({ READ: 1000 });

    const stats = world.simulatorStats();
    expect(stats.accepted).toBe(1000);
    expect(stats.messageKeys.duplicates).toBe(0);

    const [row] = await world.sql<Array<{ messages: number; distinct_contacts: number; with_wamid: number }>>`
      select count(*)::int as messages, count(distinct contact_id)::int as distinct_contacts, count(wamid)::int as with_wamid
        from dispatch.messages where run_id = ${runId}`;
    expect(row).toEqual({ messages: 1000, distinct_contacts: 1000, with_wamid: 1000 });
  });

  it('when runs complete, then run.completed is published once per run, with its counts', async () => {
    const runId = await world.requestRun(contacts(20, '9200'));
    await waitForStats(dispatcher.query, runId, (stats) => stats.completed);
    const subject = `${world.namespace}.run.completed.v1`;
    const stream = streamNameOf(world.namespace, 'RUNS');
    const nc = await connect({ servers: testNatsUrl() });
    try {
      const jsm = await jetstreamManager(nc);
      // Two runs completed in this file: the 1,000 above and this one.
      const state = await eventually(async () => {
        const info = await jsm.streams.info(stream, { subjects_filter: subject });
        return info.state.subjects?.[subject] === 2 ? info.state : undefined;
      });
      expect(state.subjects?.[subject]).toBe(2);
      const last = await jsm.streams.getMessage(stream, { last_by_subj: subject });
      const event = last?.json<{ runId: string; counts: Record<string, number> }>();
      expect(event).toMatchObject({ runId, counts: { pending: 0, sending: 0, failed: 0 } });
      const { sent = 0, delivered = 0, read = 0 } = event?.counts ?? {};
      expect(sent + delivered + read).toBe(20);
    } finally {
      await nc.close();
    }
  });
});
