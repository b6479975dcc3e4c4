import { describe, expect, it } from 'vitest';
import { createBatchSender, type BatchSenderOptions } from './batch-sender.ts';
import { createMarketingLimitRetry } from './marketing-limit.ts';
import type { ClaimedMessage, MessageUpdate, NumberGate, NumberGates, NumberHold, SendResult } from './ports.ts';

const now = new Date('2026-03-01T10:00:00Z');

/** An in-memory message table with the claim and record rules of the PostgreSQL store. */
function fakeWorld(
  ids: string[],
  answer: (message: ClaimedMessage) => SendResult,
  options_: {
    suppressed?: string[];
    claimedAs?: (id: string) => Partial<ClaimedMessage>;
    /** The number each message goes out from ('n1' unless named). */
    numberOf?: (id: string) => string;
  } = {},
) {
  const numberOf = options_.numberOf ?? (() => 'n1');
  const rows = new Map(
    ids.map((id) => [
      id,
      {
        status: 'PENDING',
        attempts: 0,
        nextAttemptAt: undefined as Date | undefined,
        waitingReason: undefined as string | undefined,
      },
    ]),
  );
  const calls: string[] = [];
  /** How often the sender asked the store what the batch still has PENDING. */
  const asked = { remaining: 0 };
  const recorded: MessageUpdate[] = [];
  const blocks: number[] = [];
  const holds = new Map<string, NumberHold>();
  const numberGate = (phoneNumberId: string): NumberGate => ({
    hold: async () => holds.get(phoneNumberId),
    block: async (code) => {
      blocks.push(code);
      holds.set(phoneNumberId, { reason: `blocked ${code}`, until: new Date(now.getTime() + 60_000) });
    },
    slowDown: async () => undefined,
    tierExhausted: async () => undefined,
  });
  const defaultGates = (phoneNumberId: string): NumberGates => ({
    rate: { take: async (max) => ({ count: Math.min(max, 2), usableUntil: Number.POSITIVE_INFINITY }) },
    tier: async () => undefined,
    numbers: numberGate(phoneNumberId),
  });
  const options: BatchSenderOptions = {
    store: {
      async due(candidates) {
        return candidates
          .filter((id) => {
            const row = rows.get(id)!;
            return row.status === 'PENDING' && (!row.nextAttemptAt || row.nextAttemptAt <= now);
          })
          .map((id) => ({ id, phoneNumberId: numberOf(id) }));
      },
      async claim(candidates, limit) {
        const due = candidates.filter((id) => {
          const row = rows.get(id)!;
          return row.status === 'PENDING' && (!row.nextAttemptAt || row.nextAttemptAt <= now);
        });
        const suppressed = due.filter((id) => options_.suppressed?.includes(id));
        for (const id of suppressed) rows.get(id)!.status = 'SKIPPED';
        const claimed = due
          .filter((id) => !suppressed.includes(id))
          .slice(0, limit)
          .map((id) => {
            const row = rows.get(id)!;
            row.status = 'SENDING';
            row.attempts += 1;
            return {
              id,
              runId: 'r1',
              phone: `+91${id}`,
              phoneNumberId: numberOf(id),
              templateName: 't',
              templateLanguage: 'en',
              componentsJson: '[]',
              attempt: row.attempts,
              ...options_.claimedAs?.(id),
            };
          });
        return { claimed, skipped: suppressed.map((id) => ({ id, reason: 'opted_out' as const })), abandoned: [] };
      },
      async record(updates) {
        recorded.push(...updates);
        for (const update of updates) {
          const row = rows.get(update.id)!;
          if (row.status !== 'SENDING' || row.attempts !== update.attempt) continue;
          row.status = update.to;
          if (update.to === 'PENDING') {
            row.nextAttemptAt = update.nextAttemptAt;
            row.waitingReason = update.waitingReason;
            if (update.refund) row.attempts -= 1;
          }
        }
      },
      async stillSendable(candidates) {
        return new Set(candidates.filter((id) => !options_.suppressed?.includes(id)));
      },
      async remaining(candidates) {
        asked.remaining += 1;
        const pending = candidates.filter((id) => rows.get(id)!.status === 'PENDING');
        return [...Map.groupBy(pending, numberOf)].map(([phoneNumberId, ids]) => {
          const next = ids.map((id) => rows.get(id)!.nextAttemptAt?.getTime() ?? now.getTime()).sort()[0];
          return { phoneNumberId, pending: ids.length, nextAttemptAt: next === undefined ? undefined : new Date(next) };
        });
      },
    },
    api: {
      async send(message) {
        calls.push(message.id);
        return answer(message);
      },
    },
    gates: defaultGates,
    runs: { settle: async () => undefined },
    clock: { now: () => now },
    policy: { retries: 3, baseMs: 1_000, maxMs: 10_000 },
    claimSize: 10,
    sendTimeoutMs: 1_000,
    reconcileWindowMs: 10_000,
    accountPauseMs: 60_000,
    recipientRetryMs: 6_000,
    breakerOpen: () => false,
    breakerResetMs: 5_000,
  };
  /** The options with some of each number's gates replaced. */
  const withGates = (replace: (phoneNumberId: string) => Partial<NumberGates>): BatchSenderOptions => ({
    ...options,
    gates: (phoneNumberId) => ({ ...defaultGates(phoneNumberId), ...replace(phoneNumberId) }),
  });
  const setHold = (value: NumberHold | undefined, phoneNumberId = 'n1') =>
    value ? holds.set(phoneNumberId, value) : holds.delete(phoneNumberId);
  return { rows, calls, asked, recorded, blocks, options, withGates, numberGate, setHold };
}

const accepted = (message: ClaimedMessage): SendResult => ({
  kind: 'accepted',
  wamid: `wamid.${message.id}`,
  probe: false,
});

describe('createBatchSender', () => {
  it('when the send window of some claimed messages is closed in their zone, then they go back PENDING until it opens, attempt refunded, and the others are sent', async () => {
    // 10:00Z: 15:30 in Kolkata (open), 05:00 in New York (closed until 09:00 EST, 14:00Z).
    const sendWindow = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7], timezone: 'Asia/Kolkata' };
    const world = fakeWorld(['a', 'b', 'c'], accepted, {
      claimedAs: (id) => ({ sendWindow, ...(id === 'b' ? { timezone: 'America/New_York' } : {}) }),
    });
    const outcome = await createBatchSender(world.options)('r1', ['a', 'b', 'c']);
    expect(world.calls.sort()).toEqual(['a', 'c']);
    expect(world.rows.get('b')).toEqual({
      status: 'PENDING',
      attempts: 0,
      nextAttemptAt: new Date('2026-03-01T14:00:00Z'),
      waitingReason: 'outside_send_window',
    });
    expect(outcome).toEqual({
      kind: 'later',
      delayMs: 4 * 3_600_000,
      reason: '1 message(s) of the batch wait for a retry',
    });
  });

  it('when every send is accepted, then each message is claimed once, sent once and the batch is done', async () => {
    const world = fakeWorld(['a', 'b', 'c', 'd', 'e'], accepted);
    const outcome = await createBatchSender(world.options)('r1', ['a', 'b', 'c', 'd', 'e']);
    expect(outcome).toEqual({ kind: 'done' });
    expect(world.calls.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([...world.rows.values()].every((row) => row.status === 'SENT')).toBe(true);
    expect(world.asked.remaining, 'every message has its outcome: nothing to ask the database').toBe(0);
  });

  it('when the claim skips some messages and the rest are sent, then the batch is done without asking what remains', async () => {
    const world = fakeWorld(['a', 'b', 'c'], accepted, { suppressed: ['b'] });
    expect(await createBatchSender(world.options)('r1', ['a', 'b', 'c'])).toEqual({ kind: 'done' });
    expect(world.asked.remaining).toBe(0);
  });

  it('when a message of the batch is not due, then the batch asks what remains and comes back for it', async () => {
    const world = fakeWorld(['a', 'b'], accepted);
    world.rows.get('b')!.nextAttemptAt = new Date(now.getTime() + 30_000);
    const outcome = await createBatchSender(world.options)('r1', ['a', 'b']);
    expect(outcome).toMatchObject({ kind: 'later', delayMs: 30_000 });
    expect(world.asked.remaining).toBe(1);
  });

  it('when one message gets a retryable error, then the others are SENT and the batch comes back when it is due', async () => {
    const world = fakeWorld(['a', 'b', 'c'], (message) =>
      message.id === 'b'
        ? { kind: 'rejected', code: 131056, message: 'pair', httpStatus: 400, probe: false }
        : accepted(message),
    );
    const outcome = await createBatchSender(world.options)('r1', ['a', 'b', 'c']);
    expect(outcome).toMatchObject({ kind: 'later', delayMs: 6_000 });
    expect(world.rows.get('b')).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(world.rows.get('a')?.status).toBe('SENT');
  });

  it('when Meta answers 131049, then the message waits on the marketing-limit schedule with its attempt refunded, and the batch comes back when it is due', async () => {
    const world = fakeWorld(['a', 'b'], (message) =>
      message.id === 'b'
        ? { kind: 'rejected', code: 131049, message: 'healthy ecosystem', httpStatus: 400, probe: false }
        : accepted(message),
    );
    const marketingLimit = createMarketingLimitRetry({
      store: {
        async limited({ ids }) {
          return ids
            .filter((id) => world.rows.get(id)?.status === 'FAILED')
            .map((id) => ({ id, runId: 'r1', retries: 0 }));
        },
        async defer(deferrals) {
          for (const deferral of deferrals) {
            const row = world.rows.get(deferral.id)!;
            Object.assign(row, {
              status: 'PENDING',
              nextAttemptAt: deferral.nextAttemptAt,
              attempts: row.attempts - 1,
            });
          }
          return deferrals.map(({ id }) => ({ id, runId: 'r1' }));
        },
      },
      queue: { enqueue: async () => undefined },
      clock: { now: () => now },
      delaysMs: [300, 900],
    });
    const outcome = await createBatchSender({ ...world.options, marketingLimit })('r1', ['a', 'b']);
    expect(outcome).toMatchObject({ kind: 'later', delayMs: 300 });
    expect(world.rows.get('b')).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(world.recorded.find((update) => update.id === 'b')).toMatchObject({ to: 'FAILED', code: 131049 });
  });

  it('when an account-level error comes back, then the number is blocked, nothing more is sent and nothing fails', async () => {
    const world = fakeWorld(['a', 'b', 'c', 'd', 'e', 'f'], () => ({
      kind: 'rejected',
      code: 190,
      message: 'token',
      httpStatus: 401,
      probe: false,
    }));
    const outcome = await createBatchSender(world.options)('r1', ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(world.blocks).toEqual([190]);
    expect(world.calls).toHaveLength(2);
    expect([...world.rows.values()].every((row) => row.status === 'PENDING' && row.attempts === 0)).toBe(true);
    expect(outcome).toMatchObject({ kind: 'later', reason: 'blocked 190' });
  });

  it('when a batch holds only messages already sent, then it asks for no rate tokens', async () => {
    const world = fakeWorld(['a', 'b'], accepted);
    let asked = 0;
    const sender = createBatchSender(
      world.withGates(() => ({
        rate: { take: async (max) => ((asked += max), { count: max, usableUntil: Number.POSITIVE_INFINITY }) },
      })),
    );
    await sender('r1', ['a', 'b']);
    asked = 0;
    expect(await sender('r1', ['a', 'b'])).toEqual({ kind: 'done' });
    expect(asked).toBe(0);
  });

  it('when the number is held, then the batch is not touched and comes back when the hold ends', async () => {
    const world = fakeWorld(['a'], accepted);
    world.setHold({ reason: 'stopped', until: new Date(now.getTime() + 30_000) });
    expect(await createBatchSender(world.options)('r1', ['a'])).toEqual({
      kind: 'later',
      delayMs: 30_000,
      reason: 'stopped',
    });
    expect(world.calls).toEqual([]);
  });

  it('when a batch holds messages of two numbers and one is held, then the other number still sends its own', async () => {
    const world = fakeWorld(['a', 'b', 'c', 'd'], accepted, { numberOf: (id) => (id < 'c' ? 'n1' : 'n2') });
    world.setHold({ reason: 'stopped', until: new Date(now.getTime() + 30_000) }, 'n1');
    const outcome = await createBatchSender(world.options)('r1', ['a', 'b', 'c', 'd']);
    expect(world.calls.sort()).toEqual(['c', 'd']);
    expect(outcome).toEqual({ kind: 'later', delayMs: 30_000, reason: 'stopped' });
  });

  it('when a batch holds messages of two numbers, then each group takes tokens from its own number', async () => {
    const world = fakeWorld(['a', 'b', 'c'], accepted, { numberOf: (id) => (id === 'a' ? 'n1' : 'n2') });
    const asked = new Map<string, number>();
    const sender = createBatchSender(
      world.withGates((phoneNumberId) => ({
        rate: {
          take: async (max) => (
            asked.set(phoneNumberId, (asked.get(phoneNumberId) ?? 0) + max),
            { count: max, usableUntil: Number.POSITIVE_INFINITY }
          ),
        },
      })),
    );
    expect(await sender('r1', ['a', 'b', 'c'])).toEqual({ kind: 'done' });
    expect(Object.fromEntries(asked)).toEqual({ n1: 1, n2: 2 });
  });

  it('when a claimed message was moved to another number meanwhile, then the tokens of its old number do not send it', async () => {
    const world = fakeWorld(['a'], accepted, { claimedAs: () => ({ phoneNumberId: 'n2' }) });
    const outcome = await createBatchSender(world.options)('r1', ['a']);
    expect(world.calls).toEqual([]);
    expect(world.rows.get('a')).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(outcome.kind).toBe('later');
  });

  it('when the breaker is open, then nothing is claimed and the batch comes back after the reset time', async () => {
    const world = fakeWorld(['a'], accepted);
    const outcome = await createBatchSender({ ...world.options, breakerOpen: () => true })('r1', ['a']);
    expect(outcome).toMatchObject({ kind: 'later', delayMs: 5_000 });
    expect(world.rows.get('a')?.status).toBe('PENDING');
  });

  it('when the rate slot passes before the claim returns, then the claimed messages go out in a fresh slot, not the passed one', async () => {
    const world = fakeWorld(['a', 'b'], accepted);
    const grants: number[] = [];
    const sender = createBatchSender(
      world.withGates(() => ({
        rate: {
          // The first grant's slot has already passed when the claim returns; the next one is open.
          take: async (max) => (grants.push(max), { count: max, usableUntil: grants.length === 1 ? 0 : Infinity }),
        },
      })),
    );
    expect(await sender('r1', ['a', 'b'])).toEqual({ kind: 'done' });
    expect(world.calls.sort()).toEqual(['a', 'b']);
    expect(grants).toEqual([2, 2]);
    expect(world.rows.get('a')).toMatchObject({ status: 'SENT', attempts: 1 });
  });

  it('when a contact opts out while its claimed message waits for a fresh slot, then that message is not sent and ends SKIPPED when the batch comes back, the other is sent', async () => {
    const suppressed: string[] = [];
    const world = fakeWorld(['a', 'b'], accepted, { suppressed });
    let grants = 0;
    const sender = createBatchSender(
      world.withGates(() => ({
        rate: {
          take: async (max) => {
            grants += 1;
            // The STOP is stored while the claim waits for the slot after the one that passed.
            if (grants === 2) suppressed.push('b');
            return { count: max, usableUntil: grants === 1 ? 0 : Infinity };
          },
        },
      })),
    );
    expect(await sender('r1', ['a', 'b'])).toMatchObject({ kind: 'later' });
    expect(world.calls).toEqual(['a']);
    expect(world.rows.get('a')).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(world.rows.get('b')).toMatchObject({ status: 'PENDING', attempts: 0 });
    // The batch comes back, and its claim skips the contact as it skips any opted-out one.
    expect(await sender('r1', ['a', 'b'])).toEqual({ kind: 'done' });
    expect(world.calls).toEqual(['a']);
    expect(world.rows.get('b')).toMatchObject({ status: 'SKIPPED', attempts: 0 });
  });

  it('when no usable slot is granted within half the reconcile window of the claim, then the claimed messages go back unsent', async () => {
    const world = fakeWorld(['a', 'b'], accepted);
    const sender = createBatchSender({
      ...world.withGates(() => ({
        rate: {
          take: async (max) => (await new Promise((resolve) => setTimeout(resolve, 5)), { count: max, usableUntil: 0 }),
        },
      })),
      reconcileWindowMs: 60,
    });
    const outcome = await sender('r1', ['a', 'b']);
    expect(world.calls).toEqual([]);
    expect(world.rows.get('a')).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(outcome.kind).toBe('later');
  });

  it('when the tier admits only some recipients, then the others wait for the tier without spending an attempt', async () => {
    const world = fakeWorld(['a', 'b'], accepted);
    const resumesAt = new Date(now.getTime() + 3_600_000);
    const exhausted: Date[] = [];
    const sender = createBatchSender(
      world.withGates((phoneNumberId) => ({
        tier: async () => ({ admit: async () => ({ admitted: new Set(['+91a']), resumesAt }) }),
        numbers: { ...world.numberGate(phoneNumberId), tierExhausted: async (at) => void exhausted.push(at) },
      })),
    );
    const outcome = await sender('r1', ['a', 'b']);
    expect(world.calls).toEqual(['a']);
    expect(world.rows.get('b')).toMatchObject({ status: 'PENDING', attempts: 0, nextAttemptAt: resumesAt });
    expect(exhausted).toEqual([resumesAt]);
    expect(outcome).toMatchObject({ kind: 'later', delayMs: 3_600_000 });
  });

  it('when the claim skips suppressed messages, then they are not sent, the rest of the batch is, and the skips are reported', async () => {
    const world = fakeWorld(['a', 'b', 'c', 'd'], accepted, { suppressed: ['a', 'b', 'c'] });
    const reported: unknown[] = [];
    const settled: string[][] = [];
    const sender = createBatchSender({
      ...world.options,
      runs: { settle: async (runIds) => void settled.push([...runIds]) },
      observer: { decided: () => undefined, skipped: (counts) => void reported.push(counts) },
    });
    expect(await sender('r1', ['a', 'b', 'c', 'd'])).toEqual({ kind: 'done' });
    expect(world.calls).toEqual(['d']);
    expect(world.rows.get('a')?.status).toBe('SKIPPED');
    expect(reported).toEqual([{ opted_out: 3 }]);
    expect(settled).toEqual([['r1']]);
  });

  it('when writing the results fails twice, then the same results are written again within the lease and nothing is sent twice', async () => {
    const world = fakeWorld(['a', 'b'], accepted);
    let failuresLeft = 2;
    const failures: Array<{ failures: number; willRetry: boolean }> = [];
    const slept: number[] = [];
    const sender = createBatchSender({
      ...world.options,
      store: {
        ...world.options.store,
        async record(updates, sentFrom) {
          if (failuresLeft > 0) {
            failuresLeft -= 1;
            throw new Error('connection to the database lost');
          }
          await world.options.store.record(updates, sentFrom);
        },
      },
      sleep: async (ms) => void slept.push(ms),
      observer: {
        decided: () => undefined,
        recordFailed: (_error, count, willRetry) => void failures.push({ failures: count, willRetry }),
      },
    });
    expect(await sender('r1', ['a', 'b'])).toEqual({ kind: 'done' });
    expect(world.calls.sort()).toEqual(['a', 'b']);
    expect(world.rows.get('a')).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(failures).toEqual([
      { failures: 1, willRetry: true },
      { failures: 2, willRetry: true },
    ]);
    expect(slept).toEqual([50, 100]);
  });

  it('when the results cannot be written before the lease would run out, then the batch fails instead of retrying on', async () => {
    const world = fakeWorld(['a'], accepted);
    const failures: boolean[] = [];
    const sender = createBatchSender({
      ...world.options,
      sendTimeoutMs: 100,
      reconcileWindowMs: 100,
      store: { ...world.options.store, record: async () => Promise.reject(new Error('database gone')) },
      sleep: async () => undefined,
      observer: {
        decided: () => undefined,
        recordFailed: (_error, _count, willRetry) => void failures.push(willRetry),
      },
    });
    await expect(sender('r1', ['a'])).rejects.toThrow('database gone');
    expect(failures).toEqual([false]);
  });
});
