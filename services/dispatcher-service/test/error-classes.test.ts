import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { streamNameOf } from '@ektola/platform/events';
import { eventually, testNatsUrl } from '@ektola/platform/testing';
import { contacts } from './fake-campaign-query.ts';
import { phoneNumberId, startWorld, waitForStats, type World } from './support.ts';

interface MessageRow {
  status: string;
  error_code: number | null;
  attempts: number;
  wamid: string | null;
}

describe('what each class of Cloud API error does to a message', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;
  let prefix = 1000;

  const nextAudience = (count: number) => contacts(count, String((prefix += 1)));
  const messagesOf = (runId: string) =>
    world.sql<
      MessageRow[]
    >`select status, error_code, attempts, wamid from dispatch.messages where run_id = ${runId} order by contact_id`;
  const fault = (body: unknown) => world.admin('PUT', `/_sim/faults/${phoneNumberId}`, body);
  const metrics = async () => (await fetch(`http://127.0.0.1:${dispatcher.opsPort}/metrics`)).text();

  beforeAll(async () => {
    world = await startWorld();
    dispatcher = await world.startDispatcher({
      SEND_RETRIES: '2',
      SEND_TIMEOUT_MS: '1000',
      ACCOUNT_PAUSE_MS: '3000',
      RECONCILE_WINDOW_MS: '3000',
      RECIPIENT_RETRY_MS: '1600',
      WHATSAPP_RATE_LIMIT: 'true',
      WHATSAPP_MPS: '100',
    });
  });

  afterEach(async () => {
    await world.admin('DELETE', '/_sim/faults');
  });

  afterAll(async () => {
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when Meta answers a permanent error (131026), then the message is FAILED at once with that code', async () => {
    await fault({ errors: { rate: 1, code: 131026 } });
    const runId = await world.requestRun(nextAudience(3));
    const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed);
    expect(stats).toMatchObject({ total: 3, failed: 3, sent: 0 });
    for (const message of await messagesOf(runId))
      expect(message).toMatchObject({ status: 'FAILED', error_code: 131026, attempts: 1 });
  });

  it('when a retryable error (80007) persists past the retries, then the message is FAILED with it and dead-lettered', async () => {
    await fault({ errors: { rate: 1, code: 80007 } });
    const runId = await world.requestRun(nextAudience(2));
    await waitForStats(dispatcher.query, runId, (current) => current.completed);
    for (const message of await messagesOf(runId))
      expect(message).toMatchObject({ status: 'FAILED', error_code: 80007, attempts: 3 });

    const nc = await connect({ servers: testNatsUrl() });
    try {
      const jsm = await jetstreamManager(nc);
      const subject = `${world.namespace}.message.dead_lettered.v1`;
      const info = await eventually(async () => {
        const current = await jsm.streams.info(streamNameOf(world.namespace, 'MESSAGES'), { subjects_filter: subject });
        return (current.state.subjects?.[subject] ?? 0) >= 2 ? current : undefined;
      });
      expect(info.state.subjects?.[subject]).toBe(2);
      const last = await jsm.streams.getMessage(streamNameOf(world.namespace, 'MESSAGES'), { last_by_subj: subject });
      expect(last?.json()).toMatchObject({ runId, attempts: 3, error: { code: 80007 } });
    } finally {
      await nc.close();
    }
    expect(await metrics()).toMatch(/ektola_dead_letters_total\{[^}]*\} 2/);
  });

  it('when a retryable error (4) clears, then the retry sends the message', async () => {
    await fault({ errors: { rate: 1, code: 4 }, durationMs: 300 });
    const runId = await world.requestRun(nextAudience(2));
    await waitForStats(dispatcher.query, runId, (current) => current.completed);
    for (const message of await messagesOf(runId)) {
      expect(message.status).not.toBe('FAILED');
      expect(message.wamid).toMatch(/^wamid\./);
      expect(message.attempts).toBeGreaterThanOrEqual(2);
    }
    expect(await metrics()).toMatch(/ektola_send_errors_total\{[^}]*code="4"[^}]*\} [1-9]/);
  });

  it('when Meta answers 130429, then the whole number pauses and the messages are sent after it', async () => {
    await fault({ errors: { rate: 1, code: 130429 }, durationMs: 300 });
    const runId = await world.requestRun(nextAudience(3));
    await waitForStats(dispatcher.query, runId, (current) => current.completed);
    for (const message of await messagesOf(runId)) expect(message.wamid).toMatch(/^wamid\./);
    const [number] = await world.sql<
      Array<{ paused_until: Date | null }>
    >`select paused_until from dispatch.numbers where phone_number_id = ${phoneNumberId}`;
    expect(number?.paused_until).toBeInstanceOf(Date);
  });

  it('when one recipient hits the pair rate limit (131056), then only that recipient is delayed', async () => {
    await world.admin('PATCH', '/_sim/config', { limits: { pairIntervalMs: 1500, pairBurst: 1 } });
    try {
      const [busy, ...others] = nextAudience(4);
      const first = await world.requestRun([busy!]);
      await waitForStats(dispatcher.query, first, (current) => current.completed);
      const second = await world.requestRun([busy!, ...others]);
      await waitForStats(dispatcher.query, second, (current) => current.completed);
      const rows = await world.sql<Array<MessageRow & { phone: string }>>`
        select phone, status, error_code, attempts, wamid from dispatch.messages where run_id = ${second}`;
      for (const row of rows) expect(row.wamid).toMatch(/^wamid\./);
      expect(rows.find((row) => row.phone === busy!.phone)?.attempts).toBeGreaterThanOrEqual(2);
      for (const row of rows.filter((candidate) => candidate.phone !== busy!.phone)) expect(row.attempts).toBe(1);
      expect(await metrics()).toMatch(/ektola_send_errors_total\{[^}]*code="131056"[^}]*\} [1-9]/);
    } finally {
      await world.admin('PATCH', '/_sim/config', { limits: { pairIntervalMs: 6000 } });
    }
  });

  it('when a call times out, then the message waits the reconciliation window as SENDING and is then sent once', async () => {
    await fault({ hang: { rate: 1 }, durationMs: 800 });
    const runId = await world.requestRun(nextAudience(2));
    await eventually(async () => (await world.statusCounts(runId)).SENDING === 2);
    await waitForStats(dispatcher.query, runId, (current) => current.completed, 30_000);
    for (const message of await messagesOf(runId)) expect(message).toMatchObject({ attempts: 2 });
    for (const message of await messagesOf(runId)) expect(message.wamid).toMatch(/^wamid\./);
    expect(world.simulatorStats().messageKeys.duplicates).toBe(0);
  });

  it('when Meta answers an account-level error (190), then the number stops without failing messages, raises the alert and resumes after the pause', async () => {
    await fault({ errors: { rate: 1, code: 190 }, durationMs: 2000 });
    const runId = await world.requestRun(nextAudience(100));
    const held = await waitForStats(dispatcher.query, runId, (current) => current.waitingReason.includes('190'));
    expect(held.failed).toBe(0);
    expect(await metrics()).toMatch(/ektola_account_blocked\{[^}]*\} 1/);
    // Only what was already in flight when the first 190 came back reached Meta, not the whole run.
    expect(world.simulatorStats().rejected['190'] ?? 0).toBeLessThan(40);

    const done = await waitForStats(dispatcher.query, runId, (current) => current.completed, 30_000);
    expect(done).toMatchObject({ failed: 0, waitingReason: '' });
    expect(done.sent + done.delivered + done.read).toBe(100);
    expect(await metrics()).toMatch(/ektola_account_blocked\{[^}]*\} 0/);
  });

  it('when Meta reports an account error by webhook (131031), then the number is stopped', async () => {
    await world.admin('POST', '/_sim/account-errors', { code: 131031, details: 'locked for the test' });
    const [number] = await eventually(async () => {
      const rows = await world.sql<
        Array<{ blocked_code: number | null }>
      >`select blocked_code from dispatch.numbers where phone_number_id = ${phoneNumberId}`;
      return rows[0]?.blocked_code === 131031 ? rows : undefined;
    });
    expect(number?.blocked_code).toBe(131031);
    await world.sql`update dispatch.numbers set blocked_until = null where phone_number_id = ${phoneNumberId}`;
  });
});
