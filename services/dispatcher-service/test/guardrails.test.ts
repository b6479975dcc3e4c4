import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunGuardrails } from '@ektola/platform/events';
import { eventually } from '@ektola/platform/testing';
import { contacts, goldLoanTemplate, marketingTemplate, type FakeContact } from './fake-campaign-query.ts';
import { startWorld, waitForStats, type World } from './support.ts';

/*
 * The marketing guardrails as the dispatcher applies them when it claims: a frequency cap across runs,
 * calling codes that receive no MARKETING templates, and send windows read on the dispatcher's clock,
 * which this test sets (behind real time, so the leases PostgreSQL writes in its own time never look
 * expired to it).
 */

const noGuardrails: RunGuardrails = { frequencyCap: null, blockedCallingCodes: [], sendWindow: null };
const hour = 3_600_000;

describe('marketing guardrails at send time', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() - offsetMs) };

  beforeAll(async () => {
    world = await startWorld();
    // Meta knows the MARKETING template too (the simulator's seed marketing templates need other values).
    await world.admin('PUT', '/_sim/templates', {
      name: marketingTemplate.name,
      language: marketingTemplate.language,
      status: 'APPROVED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: JSON.parse(marketingTemplate.componentsJson),
    });
    dispatcher = await world.startDispatcher({}, { clock });
  });

  afterAll(async () => {
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  const listed = async (runId: string) => (await dispatcher.query.list({ runId, pageSize: 1_000 })).messages;
  const completed = (runId: string) => waitForStats(dispatcher.query, runId, (stats) => stats.completed);

  it('when a cap of 1 MARKETING message per 24 h is set, then two runs over the same contacts send each contact once and the second run’s messages end SKIPPED frequency_capped', async () => {
    const shared = contacts(6, '7100');
    const newcomers = contacts(2, '7200').map((contact, index) => ({ ...contact, contactId: `n${index}` }));
    const guardrails = { ...noGuardrails, frequencyCap: { maxMessages: 1, windowSeconds: 86_400 } };
    const first = await world.requestRun(shared, randomUUID(), undefined, {
      templateId: marketingTemplate.id,
      guardrails,
    });
    expect(await completed(first)).toMatchObject({ total: 6, skipped: 0, failed: 0 });

    const second = await world.requestRun([...shared, ...newcomers], randomUUID(), undefined, {
      templateId: marketingTemplate.id,
      guardrails,
    });
    const stats = await completed(second);
    expect(stats).toMatchObject({ total: 8, skipped: 6, failed: 0 });
    const messages = await listed(second);
    expect(
      messages
        .filter((message) => message.status === 'SKIPPED')
        .map((message) => [message.contactId, message.skipReason])
        .sort(),
    ).toEqual(shared.map((contact) => [contact.contactId, 'frequency_capped']).sort());
    expect(
      messages
        .filter((message) => message.wamid)
        .map((message) => message.contactId)
        .sort(),
    ).toEqual(['n0', 'n1']);
    const accepted = await dispatcher.query.list({ runId: first });
    expect(accepted.messages.every((message) => message.wamid !== '')).toBe(true);

    // The preview's question: who would a cap stop now? Those with a MARKETING message in the window.
    const asked = { contactIds: [...shared, ...newcomers].map((c) => c.contactId).concat('never-messaged') };
    expect(
      (await dispatcher.query.capped({ ...asked, maxMessages: 1, windowSeconds: 86_400 })).contactIds.sort(),
    ).toEqual([...shared.map((contact) => contact.contactId), 'n0', 'n1'].sort());
    expect((await dispatcher.query.capped({ ...asked, maxMessages: 2, windowSeconds: 86_400 })).contactIds).toEqual([]);
    await expect(dispatcher.query.capped({ ...asked, maxMessages: 0, windowSeconds: 60 })).rejects.toMatchObject({
      kind: 'invalid',
    });

    // The cap counts MARKETING only: a UTILITY run to the same contacts still reaches them.
    const utility = await world.requestRun(shared, randomUUID(), undefined, {
      templateId: goldLoanTemplate.id,
      guardrails,
    });
    expect(await completed(utility)).toMatchObject({ total: 6, skipped: 0, failed: 0 });
  });

  it('when calling code 1 receives no MARKETING templates, then +1 numbers are SKIPPED region_blocked for a MARKETING run and sent for a UTILITY one', async () => {
    const american: FakeContact[] = ['2025550101', '2025550102'].map((number, index) => ({
      contactId: `us${index}`,
      phone: `+1${number}`,
      variables: { 'body.1': 'Sam', 'body.2': '$100' },
    }));
    const indian = contacts(3, '7300').map((contact, index) => ({ ...contact, contactId: `zz${index}` }));
    const guardrails = { ...noGuardrails, blockedCallingCodes: ['1'] };
    const marketing = await world.requestRun([...american, ...indian], randomUUID(), undefined, {
      templateId: marketingTemplate.id,
      guardrails,
    });
    expect(await completed(marketing)).toMatchObject({ total: 5, skipped: 2, failed: 0 });
    const skipped = (await listed(marketing)).filter((message) => message.status === 'SKIPPED');
    expect(skipped.map((message) => [message.phone, message.skipReason]).sort()).toEqual(
      american.map((contact) => [contact.phone, 'region_blocked']),
    );

    const utility = await world.requestRun([...american, ...indian], randomUUID(), undefined, {
      templateId: goldLoanTemplate.id,
      guardrails,
    });
    expect(await completed(utility)).toMatchObject({ total: 5, skipped: 0, failed: 0 });
    expect((await listed(utility)).every((message) => message.wamid !== '')).toBe(true);
  });

  it('when messages are due outside their send window, then they wait PENDING with outside_send_window and leave when the window opens on the dispatcher’s clock', async () => {
    // Yesterday 07:00 UTC on the dispatcher's clock: 17 to 41 hours behind real time.
    const today = new Date(new Date().toISOString().slice(0, 10));
    const sevenAm = today.getTime() - 24 * hour + 7 * hour;
    offsetMs = Date.now() - sevenAm;
    const window = { start: '08:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7], timezone: 'UTC' };
    const audience = contacts(4, '7400').map((contact, index) => ({ ...contact, contactId: `w${index}` }));
    // 07:00 UTC is 12:30 in Kolkata: this contact's own window is open.
    audience[3] = { ...audience[3]!, timezone: 'Asia/Kolkata' };
    const runId = await world.requestRun(audience, randomUUID(), undefined, {
      templateId: goldLoanTemplate.id,
      guardrails: { ...noGuardrails, sendWindow: window },
    });

    const waiting = await eventually(async () => {
      const messages = await listed(runId);
      return messages.length === 4 && messages.some((message) => message.wamid) && messages;
    }, 30_000);
    waiting.sort((a, b) => a.contactId.localeCompare(b.contactId));
    const opening = new Date(sevenAm + hour).toISOString();
    expect(
      waiting.map((message) => [message.contactId, message.status, message.waitingReason, message.nextAttemptAt]),
    ).toEqual([
      ['w0', 'PENDING', 'outside_send_window', opening],
      ['w1', 'PENDING', 'outside_send_window', opening],
      ['w2', 'PENDING', 'outside_send_window', opening],
      ['w3', expect.stringMatching(/^(SENT|DELIVERED|READ)$/), '', ''],
    ]);
    expect((await dispatcher.query.stats(runId)).completed).toBe(false);

    // The clock passes 08:00 UTC: the batch's redelivery is an hour of real time away, so the sweeper
    // queues the held messages a minute after the opening, and they are sent.
    offsetMs = Date.now() - (sevenAm + hour + 61_000);
    const stats = await completed(runId);
    expect(stats).toMatchObject({ total: 4, skipped: 0, failed: 0, pending: 0 });
    expect((await listed(runId)).every((message) => message.wamid && message.waitingReason === '')).toBe(true);
  });
});
