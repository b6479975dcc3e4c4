import { describe, expect, it } from 'vitest';
import type { ClaimedMessage, SendResult } from './ports.ts';
import { decide, type DecisionContext } from './send-decision.ts';

const now = new Date('2026-03-01T10:00:00Z');
const context: DecisionContext = {
  policy: { retries: 3, baseMs: 60_000, maxMs: 3_600_000 },
  now,
  reconcileWindowMs: 120_000,
  accountPauseMs: 600_000,
  recipientRetryMs: 6_000,
  random: () => 0,
};
const message = (attempt: number): ClaimedMessage => ({
  id: 'm1',
  runId: 'r1',
  phone: '+919876543210',
  phoneNumberId: 'n1',
  templateName: 't',
  templateLanguage: 'en',
  componentsJson: '[]',
  attempt,
});
const rejected = (code: number, httpStatus = 400, probe = false): SendResult => ({
  kind: 'rejected',
  code,
  message: `error ${code}`,
  httpStatus,
  probe,
});
const inMs = (ms: number) => new Date(now.getTime() + ms);

describe('decide', () => {
  it('when Meta accepts, then the message is SENT with the wamid', () => {
    expect(decide(message(1), { kind: 'accepted', wamid: 'wamid.1', probe: false }, context).update).toEqual({
      id: 'm1',
      attempt: 1,
      to: 'SENT',
      wamid: 'wamid.1',
    });
  });

  it('when the error is permanent, then FAILED at once without a dead letter', () => {
    expect(decide(message(1), rejected(131026), context)).toMatchObject({
      errorCode: '131026',
      update: { to: 'FAILED', code: 131026, deadLetter: false },
    });
  });

  it('when Meta answers 131049 (per-user marketing limit), then FAILED for this attempt and marked for the marketing-limit schedule, even on the last ordinary attempt', () => {
    for (const attempt of [1, 4])
      expect(decide(message(attempt), rejected(131049), context)).toEqual({
        errorCode: '131049',
        marketingLimited: true,
        update: { id: 'm1', attempt, to: 'FAILED', code: 131049, message: 'error 131049', deadLetter: false },
      });
  });

  it('when a retryable error has retries left, then PENDING after the backoff; when none are left, then FAILED and dead-lettered', () => {
    expect(decide(message(1), rejected(131000, 500), context).update).toMatchObject({
      to: 'PENDING',
      nextAttemptAt: inMs(30_000),
      refund: false,
    });
    expect(decide(message(4), rejected(131000, 500), context).update).toMatchObject({
      to: 'FAILED',
      code: 131000,
      deadLetter: true,
    });
  });

  it('when 130429 comes back, then the number slows down and the message retries', () => {
    expect(decide(message(1), rejected(130429), context)).toMatchObject({
      slowNumber: true,
      update: { to: 'PENDING' },
    });
  });

  it('when 131056 comes back, then only that message waits, at least the pair interval', () => {
    const decision = decide(message(1), rejected(131056), {
      ...context,
      policy: { retries: 3, baseMs: 100, maxMs: 1000 },
    });
    expect(decision.slowNumber).toBeUndefined();
    expect(decision.update).toMatchObject({ to: 'PENDING', nextAttemptAt: inMs(6_000) });
  });

  it('when an account-level error comes back, then the number is blocked and the message, due at once, waits on the number without spending an attempt', () => {
    // The number's block holds it; the message is not held itself, so a move to another number sends it at once.
    expect(decide(message(2), rejected(190, 401), context)).toMatchObject({
      blockNumber: { code: 190 },
      update: { to: 'PENDING', refund: true, nextAttemptAt: inMs(0) },
    });
  });

  it('when the outcome is unknown, then the message stays SENDING for the reconciliation window', () => {
    expect(decide(message(1), { kind: 'unknown', reason: 'timeout', probe: false }, context).update).toMatchObject({
      to: 'SENDING',
      leaseUntil: inMs(120_000),
    });
  });

  it('when a half-open probe fails because Meta is unwell, then the message keeps its attempt; a refusal never spends one', () => {
    expect(decide(message(4), rejected(131016, 503, true), context).update).toMatchObject({
      to: 'PENDING',
      refund: true,
    });
    expect(
      decide(message(1), { kind: 'unreachable', reason: 'ECONNREFUSED', probe: true }, context).update,
    ).toMatchObject({ to: 'PENDING', refund: true });
    expect(decide(message(1), { kind: 'refused', reason: 'open', probe: false }, context).update).toMatchObject({
      to: 'PENDING',
      refund: true,
      nextAttemptAt: now,
    });
    expect(
      decide(message(1), { kind: 'unreachable', reason: 'ECONNREFUSED', probe: false }, context).update,
    ).toMatchObject({ to: 'PENDING', refund: false });
  });
});
