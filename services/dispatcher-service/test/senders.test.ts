import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senderChanged, templateStatusChanged, type RunSender } from '@ektola/platform/events';
import { chooseSender } from '@ektola/platform/senders';
import { eventually } from '@ektola/platform/testing';
import { contacts, goldLoanTemplate } from './fake-campaign-query.ts';
import { phoneNumberId, startWorld, waitForStats, type World } from './support.ts';

const numberA = '222000000001';
const numberB = '333000000002';
const numberC = '444000000003';

// A send that outlives its timeout on a busy machine would be resent after the window, and Meta would
// count it twice: these tests are about where messages go, so both are far out of reach.
const patient = { SEND_TIMEOUT_MS: '15000', RECONCILE_WINDOW_MS: '30000' };
const sendingSlowly = { ...patient, SEND_BATCH_SIZE: '20', SEND_CLAIM_SIZE: '10', SEND_CONCURRENCY: '2' };
const rateLimited = { ...sendingSlowly, WHATSAPP_RATE_LIMIT: 'true', WHATSAPP_MPS: '80' };
/** Sends a claim may have had in flight when a change committed: concurrency × claim size. */
const inFlight = 20;

describe('sending through several numbers', () => {
  let world: World;
  const senderIds = new Map<string, string>();
  let version = 0;

  beforeAll(async () => {
    // Webhooks are not what this file is about; without them every SENT comes from the API answer.
    world = await startWorld({
      webhooks: false,
      simulator: { SIMULATOR_EXTRA_PHONE_NUMBER_IDS: [numberA, numberB, numberC].join(',') },
    });
  });

  afterAll(async () => {
    await world?.stop();
  });

  /** Publishes sender.changed as the campaign-service would and waits until the dispatcher keeps it. */
  async function changeSender(
    number: string,
    change: { mps: number; state: 'ACTIVE' | 'FLAGGED' | 'RESTRICTED'; reason?: string },
  ) {
    version += 1;
    if (!senderIds.has(number)) senderIds.set(number, randomUUID());
    await world.publisher.publish(
      senderChanged,
      {
        senderId: senderIds.get(number)!,
        phoneNumberId: number,
        portfolioKey: 'portfolio-1',
        mps: change.mps,
        messagingLimit: null,
        state: change.state,
        ...(change.reason ? { reason: change.reason } : {}),
        version,
        occurredAt: new Date().toISOString(),
      },
      { msgId: `sender:${number}:${version}` },
    );
    const expected = version;
    await eventually(
      async () =>
        (await world.sql`select 1 from dispatch.senders where phone_number_id = ${number} and version = ${expected}`)
          .length === 1,
      30_000,
      50,
    );
  }

  const accepted = (number: string) => world.simulatorStats().phoneNumbers[number]?.accepted ?? 0;
  const sentCount = async (runId: string) => (await world.statusCounts(runId))['SENT'] ?? 0;
  /** Messages of the run Meta accepted in each second (database time) after `since`, busiest first. */
  const perSecondAfter = async (runId: string, since: Date) =>
    (
      await world.sql<Array<{ count: number }>>`
        select count(*)::int as count from dispatch.messages
         where run_id = ${runId} and sent_at > ${since}
         group by date_trunc('second', sent_at) order by count desc`
    ).map((row) => row.count);

  it('when a run names no senders and no sender.changed was ever received, then the default number sends everything as before', async () => {
    await world.admin('POST', '/_sim/reset');
    const dispatcher = await world.startDispatcher(patient);
    try {
      const runId = await world.requestRun(contacts(50, '7100'));
      const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 120_000);
      expect(stats).toMatchObject({ total: 50, sent: 50, failed: 0 });
      const numbers = await world.sql`select distinct phone_number_id from dispatch.messages where run_id = ${runId}`;
      expect(numbers.map((row) => row['phone_number_id'])).toEqual([phoneNumberId]);
      expect(accepted(phoneNumberId)).toBe(50);
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  }, 300_000);

  it('when a run names two senders, then each contact hears from the same number run after run, in proportion to the weights', async () => {
    await world.admin('POST', '/_sim/reset');
    const dispatcher = await world.startDispatcher(patient);
    const senders: RunSender[] = [
      { phoneNumberId: numberA, weight: 3 },
      { phoneNumberId: numberB, weight: 1 },
    ];
    try {
      const audience = contacts(400, '7200');
      const first = await world.requestRun(audience, undefined, undefined, { senders });
      const second = await world.requestRun(audience, undefined, undefined, { senders });
      for (const runId of [first, second])
        expect(await waitForStats(dispatcher.query, runId, (current) => current.completed, 120_000)).toMatchObject({
          total: 400,
          sent: 400,
        });

      const rows = await world.sql<Array<{ run_id: string; contact_id: string; phone_number_id: string }>>`
        select run_id, contact_id, phone_number_id from dispatch.messages where run_id in (${first}, ${second})`;
      const numberOf = (runId: string) =>
        new Map(rows.filter((row) => row.run_id === runId).map((row) => [row.contact_id, row.phone_number_id]));
      expect(numberOf(second)).toEqual(numberOf(first));
      for (const [contactId, number] of numberOf(first))
        expect(number).toBe(chooseSender(contactId, senders).phoneNumberId);
      const onA = [...numberOf(first).values()].filter((number) => number === numberA).length;
      expect(onA / 400).toBeGreaterThan(0.68);
      expect(onA / 400).toBeLessThan(0.82);
      // Meta saw each message from the number it was assigned, once.
      expect(accepted(numberA)).toBe(2 * onA);
      expect(accepted(numberB)).toBe(2 * (400 - onA));
      expect(world.simulatorStats().messageKeys.duplicates).toBe(0);
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  }, 300_000);

  it('when three replicas send one run over two numbers, then each number stays within its own limit', async () => {
    await world.admin('POST', '/_sim/reset');
    // One after another: three processes starting at once on a busy machine may miss their readiness wait.
    const replicas: Array<Awaited<ReturnType<World['startDispatcherProcess']>>> = [];
    for (const _ of [1, 2, 3]) replicas.push(await world.startDispatcherProcess(rateLimited));
    try {
      await changeSender(numberA, { mps: 50, state: 'ACTIVE' });
      await changeSender(numberB, { mps: 20, state: 'ACTIVE' });
      const runId = await world.requestRun(contacts(280, '7300'), undefined, undefined, {
        senders: [
          { phoneNumberId: numberA, weight: 50 },
          { phoneNumberId: numberB, weight: 20 },
        ],
      });
      const stats = await waitForStats(replicas[0]!.query, runId, (current) => current.completed, 120_000);
      expect(stats).toMatchObject({ total: 280, sent: 280, failed: 0 });
      // What the replicas granted themselves: no run of slots spanning a second (plus the guard) holds more
      // than the number's limit. The simulator's own count below also sees how the sends travelled.
      const windowSlots = Math.ceil((1000 + 100) / 50) + 1;
      const granted = await world.sql<Array<{ phone_number_id: string; most: number }>>`
        select phone_number_id, max(total)::int as most
          from (select phone_number_id,
                       sum(used) over (partition by phone_number_id order by slot
                                       range between ${windowSlots - 1} preceding and current row) as total
                  from dispatch.rate_slots where phone_number_id in (${numberA}, ${numberB})) windows
         group by phone_number_id order by phone_number_id`;
      expect(granted).toEqual([
        { phone_number_id: numberA, most: expect.toSatisfy((most: number) => most <= 50) },
        { phone_number_id: numberB, most: expect.toSatisfy((most: number) => most <= 20) },
      ]);
      const peaks = world.simulatorStats().phoneNumbers;
      expect(peaks[numberA]?.maxAttemptsPerSecond).toBeLessThanOrEqual(50);
      expect(peaks[numberB]?.maxAttemptsPerSecond).toBeLessThanOrEqual(20);
      expect((peaks[numberA]?.accepted ?? 0) + (peaks[numberB]?.accepted ?? 0)).toBe(280);
      expect(world.simulatorStats().messageKeys.duplicates).toBe(0);

      const { senders } = await replicas[0]!.query.senderActivity([numberA, numberB]);
      expect(senders).toMatchObject([
        { phoneNumberId: numberA, mps: 50, pending: 0, sending: 0, heldReason: '' },
        { phoneNumberId: numberB, mps: 20, pending: 0, sending: 0, heldReason: '' },
      ]);
      // The last minute holds this run's sends through each number (and any the test before made).
      expect(senders[0]!.sentLastMinute).toBeGreaterThanOrEqual(peaks[numberA]?.accepted ?? 0);
      expect(senders[1]!.sentLastMinute).toBeGreaterThanOrEqual(peaks[numberB]?.accepted ?? 0);
      expect(senders[1]!.peakPerSecond).toBeGreaterThan(0);
    } finally {
      for (const replica of replicas) {
        replica.query.close();
        replica.child.kill('SIGTERM');
      }
      await Promise.all(replicas.map((replica) => replica.child.exited));
    }
  }, 400_000);

  it('when a number is flagged mid-run with a lower limit, then it slows to that limit at once', async () => {
    await world.admin('POST', '/_sim/reset');
    const dispatcher = await world.startDispatcher({ ...rateLimited, SEND_CONCURRENCY: '4' });
    try {
      await changeSender(numberC, { mps: 100, state: 'ACTIVE' });
      const runId = await world.requestRun(contacts(400, '7400'), undefined, undefined, {
        senders: [{ phoneNumberId: numberC, weight: 100 }],
      });
      await eventually(async () => (await sentCount(runId)) >= 100, 90_000, 20);
      // Sending faster than the flagged limit before the change, so the slowdown is the change's doing.
      const [before] = await perSecondAfter(runId, new Date(0));
      expect(before).toBeGreaterThan(5);
      await changeSender(numberC, { mps: 2, state: 'FLAGGED', reason: 'quality dropped' });
      const [row] = await world.sql<Array<{ now: Date }>>`select now()`;
      const flaggedAt = row!.now;
      const sentAtFlag = await sentCount(runId);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // What a claim had in flight at the change may still land; after that, 2 a second.
      const after = new Date(flaggedAt.getTime() + 500);
      const sentSince = (await perSecondAfter(runId, after)).reduce((sum, count) => sum + count, 0);
      expect(sentSince).toBeLessThanOrEqual(3 * 2 + 2);
      expect((await perSecondAfter(runId, after))[0] ?? 0).toBeLessThanOrEqual(3);
      expect((await sentCount(runId)) - sentAtFlag).toBeLessThanOrEqual(3 * 2 + inFlight + 2);
      expect((await dispatcher.query.senderActivity([numberC])).senders[0]).toMatchObject({ mps: 2 });

      await changeSender(numberC, { mps: 500, state: 'ACTIVE' });
      const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 120_000);
      expect(stats).toMatchObject({ total: 400, sent: 400, failed: 0 });
      expect(world.simulatorStats().messageKeys.duplicates).toBe(0);
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  }, 300_000);

  it('when a number is restricted mid-run, then nothing more goes out through it and the rest of the run goes through the other number', async () => {
    await world.admin('POST', '/_sim/reset');
    const dispatcher = await world.startDispatcher(rateLimited);
    try {
      await changeSender(numberA, { mps: 40, state: 'ACTIVE' });
      await changeSender(numberB, { mps: 80, state: 'ACTIVE' });
      const runId = await world.requestRun(contacts(300, '7500'), undefined, undefined, {
        senders: [
          { phoneNumberId: numberA, weight: 1 },
          { phoneNumberId: numberB, weight: 1 },
        ],
      });
      await eventually(async () => accepted(numberA) >= 40, 90_000, 20);
      await changeSender(numberA, { mps: 40, state: 'RESTRICTED', reason: 'Meta restricted the account' });
      const acceptedAtRestriction = accepted(numberA);

      const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 120_000);
      expect(stats).toMatchObject({ total: 300, sent: 300, failed: 0 });
      expect(accepted(numberA) - acceptedAtRestriction).toBeLessThanOrEqual(inFlight);
      expect(accepted(numberA)).toBeLessThan(150);
      expect(accepted(numberA) + accepted(numberB)).toBe(300);
      expect(world.simulatorStats().messageKeys.duplicates).toBe(0);
      // Every message is where Meta saw it: the ones left on the restricted number are the ones it sent.
      const [onA] = await world.sql<Array<{ count: number }>>`
        select count(*)::int as count from dispatch.messages where run_id = ${runId} and phone_number_id = ${numberA}`;
      expect(onA?.count).toBe(accepted(numberA));

      const { senders } = await dispatcher.query.senderActivity([numberA]);
      expect(senders[0]?.heldReason).toMatch(/RESTRICTED: Meta restricted the account/);
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  }, 300_000);

  it('when a number with no other sender is restricted, then its messages wait sender_unavailable until it is active again', async () => {
    await world.admin('POST', '/_sim/reset');
    const dispatcher = await world.startDispatcher(rateLimited);
    try {
      // numberA is still restricted from the test before: the run's messages wait from the start.
      const runId = await world.requestRun(contacts(30, '7550'), undefined, undefined, {
        senders: [{ phoneNumberId: numberA, weight: 1 }],
      });
      await eventually(
        async () =>
          (
            await world.sql`select 1 from dispatch.messages
                             where run_id = ${runId} and status = 'PENDING' and waiting_reason = 'sender_unavailable'`
          ).length === 30,
        60_000,
        100,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(accepted(numberA)).toBe(0);
      const { alerts } = await dispatcher.query.overview();
      expect(alerts.map((alert) => alert.kind)).toContain('sender_unavailable');

      await changeSender(numberA, { mps: 80, state: 'ACTIVE' });
      const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 120_000);
      expect(stats).toMatchObject({ total: 30, sent: 30 });
      expect(accepted(numberA)).toBe(30);
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  }, 300_000);

  it('when Meta pauses the template mid-run, then nothing more is sent with it, its messages wait template_paused, and approval releases them', async () => {
    await world.admin('POST', '/_sim/reset');
    const dispatcher = await world.startDispatcher(rateLimited);
    const templateEvent = async (event: string) =>
      world.publisher.publish(
        templateStatusChanged,
        {
          event,
          name: goldLoanTemplate.name,
          language: goldLoanTemplate.language,
          ...(event === 'PAUSED' ? { reason: 'low quality' } : {}),
          occurredAt: new Date().toISOString(),
        },
        { msgId: `template:${event}:${randomUUID()}` },
      );
    try {
      await changeSender(numberC, { mps: 40, state: 'ACTIVE' });
      const runId = await world.requestRun(contacts(200, '7600'), undefined, undefined, {
        senders: [{ phoneNumberId: numberC, weight: 1 }],
      });
      await eventually(async () => accepted(numberC) >= 40, 90_000, 20);
      await templateEvent('PAUSED');
      await eventually(async () => (await world.sql`select 1 from dispatch.template_holds`).length === 1, 15_000, 50);
      const acceptedAtPause = accepted(numberC);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(accepted(numberC) - acceptedAtPause).toBeLessThanOrEqual(inFlight);

      const stats = await dispatcher.query.stats(runId);
      expect(stats.completed).toBe(false);
      // Once what was in flight at the pause has landed, every message not sent waits for the template.
      await eventually(async () => !(await world.statusCounts(runId))['SENDING'], 30_000, 100);
      const [waiting] = await world.sql<Array<{ count: number }>>`
        select count(*)::int as count from dispatch.messages
         where run_id = ${runId} and status = 'PENDING' and waiting_reason = 'template_paused'`;
      expect(waiting?.count).toBe(200 - (await sentCount(runId)));
      const { messages } = await dispatcher.query.list({ runId, status: 'PENDING', pageSize: 5 });
      expect(messages.map((message) => message.waitingReason)).toEqual(Array(5).fill('template_paused'));
      const { alerts } = await dispatcher.query.overview();
      expect(alerts.map((alert) => alert.kind)).toContain('template_paused');

      await templateEvent('APPROVED');
      const done = await waitForStats(dispatcher.query, runId, (current) => current.completed, 120_000);
      expect(done).toMatchObject({ total: 200, sent: 200, failed: 0 });
      expect(accepted(numberC)).toBe(200);
      expect(world.simulatorStats().messageKeys.duplicates).toBe(0);
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  }, 300_000);
});
