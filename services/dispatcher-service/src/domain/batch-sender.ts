import type { Clock } from '@ektola/platform/clock';
import { nextWindowOpening, recipientZone } from '@ektola/platform/schedule';
import type { SkipReason } from '@ektola/platform/events';
import type {
  ClaimedMessage,
  CloudApi,
  MessageUpdate,
  NumberGate,
  RateGate,
  RunCompletion,
  SendResult,
  SendStore,
  SkipCounts,
  TierGate,
} from './ports.ts';
import type { RetryMarketingLimited } from './marketing-limit.ts';
import { decide, type Decision } from './send-decision.ts';
import type { RetryPolicy } from './retry-policy.ts';

export type BatchOutcome = { kind: 'done' } | { kind: 'later'; delayMs: number; reason: string };

export interface SendObserver {
  decided(message: ClaimedMessage, result: SendResult, decision: Decision): void;
  /** The claim turned messages SKIPPED instead of claiming them. */
  skipped?(counts: SkipCounts): void;
  /** The claim failed messages of unknown outcome instead of sending them again. */
  abandoned?(count: number): void;
  /** Writing a step's results failed; `willRetry` is false when the lease leaves no time for another try. */
  recordFailed?(error: unknown, failures: number, willRetry: boolean): void;
}

export interface BatchSenderOptions {
  store: SendStore;
  api: CloudApi;
  rate: RateGate;
  /** Absent when the number has no daily tier limit. */
  tier: TierGate | undefined;
  numbers: NumberGate;
  runs: RunCompletion;
  clock: Clock;
  policy: RetryPolicy;
  /** Messages claimed per step; a step's claims wait for rate tokens, so keep it near a second's worth. */
  claimSize: number;
  sendTimeoutMs: number;
  reconcileWindowMs: number;
  accountPauseMs: number;
  recipientRetryMs: number;
  /** True while the circuit breaker refuses calls. */
  breakerOpen: () => boolean;
  breakerResetMs: number;
  observer?: SendObserver;
  /** Moves messages Meta refused with 131049 back to PENDING on the marketing-limit schedule; absent: they stay FAILED. */
  marketingLimit?: RetryMarketingLimited;
  /** Waits between retries of a failed write (tests pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

const minimumRetryDelayMs = 100;
const recordRetryBaseMs = 50;
const recordRetryMaxMs = 5_000;
/** A write retry must end this long before the claim's lease does, as seen by reconciliation. */
const recordLeaseMarginMs = 1_000;
const countByReason = (skipped: ReadonlyArray<{ reason: SkipReason }>): SkipCounts =>
  skipped.reduce<SkipCounts>((counts, { reason }) => ({ ...counts, [reason]: (counts[reason] ?? 0) + 1 }), {});
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one queued batch step by step: takes rate tokens, claims that many due messages (PENDING →
 * SENDING in one statement), sends them at once, writes every result of the step in one statement,
 * and tells the queue whether the batch is finished or must come back (retries, a paused number, an
 * open breaker).
 *
 * A claim is a lease of SEND_TIMEOUT + RECONCILE_WINDOW, and its sends leave right after it (or go back
 * unsent if the rate slot has passed), so no lease can expire while its claim might still send and
 * reconciliation never races a live sender.
 */
export function createBatchSender(options: BatchSenderOptions) {
  const { store, api, rate, tier, numbers, clock } = options;
  const leaseMs = options.sendTimeoutMs + options.reconcileWindowMs;
  const sleep = options.sleep ?? wait;
  // An account-level answer stops this process's other batches at once, before the shared state is read again.
  let stoppedUntil = 0;
  const numberStopped = () => performance.now() < stoppedUntil;

  /**
   * A message whose send window closed while it waited (a retry, a paused number) goes back PENDING until
   * the window opens again, its attempt refunded: being early is not a failed attempt.
   */
  function holdOutsideWindow(claimed: ClaimedMessage[], updates: MessageUpdate[]): ClaimedMessage[] {
    const now = clock.now();
    return claimed.filter((message) => {
      const window = message.sendWindow;
      const opening = window && nextWindowOpening(window, recipientZone(message.timezone, window.timezone), now);
      if (!opening) return true;
      updates.push({
        id: message.id,
        attempt: message.attempt,
        to: 'PENDING',
        nextAttemptAt: opening,
        refund: true,
        waitingReason: 'outside_send_window',
      });
      return false;
    });
  }

  async function admitByTier(claimed: ClaimedMessage[], updates: MessageUpdate[]): Promise<ClaimedMessage[]> {
    if (!tier) return claimed;
    const { admitted, resumesAt } = await tier.admit([...new Set(claimed.map((message) => message.phone))]);
    if (!resumesAt) return claimed.filter((message) => admitted.has(message.phone));
    await numbers.tierExhausted(resumesAt);
    const sendable: ClaimedMessage[] = [];
    for (const message of claimed) {
      if (admitted.has(message.phone)) sendable.push(message);
      else
        updates.push({
          id: message.id,
          attempt: message.attempt,
          to: 'PENDING',
          nextAttemptAt: resumesAt,
          refund: true,
        });
    }
    return sendable;
  }

  /**
   * Once Meta accepted a send, its wamid lives only in this process until written. If the write fails,
   * the message stays SENDING and reconciliation would send it again when the lease runs out, so the
   * write is retried with backoff for as long as the lease leaves time. Repeating it is harmless: a
   * result is applied only to a message still SENDING under the same attempt.
   */
  async function writeWithinLease(write: () => Promise<void>, leaseEndsAt: number) {
    for (let failures = 1; ; failures += 1) {
      try {
        await write();
        return;
      } catch (error) {
        const delayMs = Math.min(recordRetryMaxMs, recordRetryBaseMs * 2 ** (failures - 1));
        const willRetry = performance.now() + delayMs < leaseEndsAt - recordLeaseMarginMs;
        options.observer?.recordFailed?.(error, failures, willRetry);
        if (!willRetry) throw error;
        await sleep(delayMs);
      }
    }
  }

  async function step(
    claimed: ClaimedMessage[],
    usableUntil: number,
    leaseEndsAt: number,
  ): Promise<{ stopped: boolean }> {
    const updates: MessageUpdate[] = [];
    const inWindow = holdOutsideWindow(claimed, updates);
    const sendable = await admitByTier(inWindow, updates);
    let stopped = false;
    let slowed = false;
    const results = await Promise.all(
      sendable.map(async (message): Promise<SendResult> => {
        if (stopped || numberStopped() || options.breakerOpen())
          return { kind: 'refused', reason: 'sending is stopped', probe: false };
        // The claim took longer than the rate slot allows: sending now could break the number's limit.
        if (performance.now() > usableUntil)
          return { kind: 'refused', reason: 'the rate slot passed before the claim', probe: false };
        const result = await api.send(message);
        if (result.kind === 'rejected' && decide(message, result, context()).blockNumber) {
          stopped = true;
          stoppedUntil = performance.now() + options.accountPauseMs;
        }
        return result;
      }),
    );
    const blocks: Array<{ code: number; message: string }> = [];
    const marketingLimited: string[] = [];
    results.forEach((result, index) => {
      const message = sendable[index]!;
      const decision = decide(message, result, context());
      options.observer?.decided(message, result, decision);
      updates.push(decision.update);
      if (decision.blockNumber) blocks.push(decision.blockNumber);
      if (decision.slowNumber) slowed = true;
      if (decision.marketingLimited) marketingLimited.push(message.id);
    });
    await writeWithinLease(async () => {
      // The number's state first: a crash between the two must not leave it unblocked with messages waiting on it.
      if (blocks[0]) await numbers.block(blocks[0].code, blocks[0].message);
      if (slowed) await numbers.slowDown();
      await store.record(updates);
    }, leaseEndsAt);
    // After the FAILED is written, so a crash between the two leaves Meta's verdict, never a lost message;
    // the batch itself comes back for the ones moved to PENDING (remaining below).
    if (marketingLimited.length > 0 && options.marketingLimit)
      await options.marketingLimit({ ids: marketingLimited }, false);
    // The tier refusing some stops the batch; a send window holding some does not hold up the others.
    return { stopped: stopped || blocks.length > 0 || sendable.length < inWindow.length };
  }

  function context() {
    return {
      policy: options.policy,
      now: clock.now(),
      reconcileWindowMs: options.reconcileWindowMs,
      accountPauseMs: options.accountPauseMs,
      recipientRetryMs: options.recipientRetryMs,
    };
  }

  return async function sendBatch(runId: string, messageIds: readonly string[]): Promise<BatchOutcome> {
    const hold = await numbers.hold();
    if (!hold) stoppedUntil = 0;
    if (hold)
      return {
        kind: 'later',
        delayMs: Math.max(minimumRetryDelayMs, hold.until.getTime() - clock.now().getTime()),
        reason: hold.reason,
      };
    if (options.breakerOpen())
      return { kind: 'later', delayMs: options.breakerResetMs, reason: 'the Cloud API circuit is open' };

    // Only what is due asks for rate tokens: a batch queued twice (recovery, reconciliation) or
    // holding messages that are not due yet must not spend the number's throughput on nothing.
    let candidates = await store.due(messageIds, clock.now());
    let touched = false;
    while (candidates.length > 0) {
      // Tokens first, then exactly that many claims: claimed messages never wait for the rate limit.
      const grant = await rate.take(Math.min(options.claimSize, candidates.length));
      const claimedAt = performance.now();
      const { claimed, skipped, abandoned } = await store.claim(candidates, grant.count, leaseMs, clock.now());
      if (claimed.length + skipped.length + abandoned.length === 0) break;
      touched = true;
      if (skipped.length > 0) options.observer?.skipped?.(countByReason(skipped));
      if (abandoned.length > 0) options.observer?.abandoned?.(abandoned.length);
      const taken = new Set([
        ...claimed.map((message) => message.id),
        ...skipped.map((message) => message.id),
        ...abandoned,
      ]);
      candidates = candidates.filter((id) => !taken.has(id));
      if (claimed.length === 0) continue;
      const { stopped } = await step(claimed, grant.usableUntil, claimedAt + leaseMs);
      if (stopped || options.breakerOpen()) break;
    }
    if (touched) await options.runs.settle([runId]);

    const { pending, nextAttemptAt } = await store.remaining(messageIds);
    if (pending === 0) return { kind: 'done' };
    const held = await numbers.hold();
    if (held)
      return {
        kind: 'later',
        delayMs: Math.max(minimumRetryDelayMs, held.until.getTime() - clock.now().getTime()),
        reason: held.reason,
      };
    if (options.breakerOpen())
      return { kind: 'later', delayMs: options.breakerResetMs, reason: 'the Cloud API circuit is open' };
    const delayMs = Math.max(minimumRetryDelayMs, (nextAttemptAt?.getTime() ?? 0) - clock.now().getTime());
    return { kind: 'later', delayMs, reason: `${pending} message(s) of the batch wait for a retry` };
  };
}
