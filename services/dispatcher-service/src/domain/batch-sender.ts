import type { Clock } from '@ektola/platform/clock';
import { nextWindowOpening, recipientZone } from '@ektola/platform/schedule';
import type { SkipReason } from '@ektola/platform/events';
import type {
  ClaimedMessage,
  CloudApi,
  GatesOf,
  MessageUpdate,
  NumberGates,
  NumberRemaining,
  RateGate,
  RateGrant,
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
  /** Each number's rate bucket, daily limit and shared state. */
  gates: GatesOf;
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
 * A batch may hold messages of several numbers: its due messages are grouped by number and each group
 * is sent under its own number's gates, all groups at once, so a number that waits (its rate, a block,
 * its portfolio's daily limit) never holds up the others.
 *
 * A claim is a lease of SEND_TIMEOUT + RECONCILE_WINDOW, and its sends leave within half the reconcile
 * window of it (right after it, or in fresh rate slots when the claim outlasted its own; what cannot
 * goes back unsent), so no lease can expire while its claim might still send and reconciliation never
 * races a live sender.
 */
export function createBatchSender(options: BatchSenderOptions) {
  const { store, api, clock } = options;
  const leaseMs = options.sendTimeoutMs + options.reconcileWindowMs;
  const sleep = options.sleep ?? wait;
  // An account-level answer stops this process's other batches of the number at once, before the shared state is read again.
  const stoppedUntil = new Map<string, number>();
  const numberStopped = (phoneNumberId: string) => performance.now() < (stoppedUntil.get(phoneNumberId) ?? 0);

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

  /**
   * A message moved to another number between the due query and its claim (its number stopped) is not
   * sent with this number's tokens: it goes back PENDING, due now, and its batch comes back for it.
   */
  function ofNumber(phoneNumberId: string, claimed: ClaimedMessage[], updates: MessageUpdate[]) {
    return claimed.filter((message) => {
      if (message.phoneNumberId === phoneNumberId) return true;
      updates.push({
        id: message.id,
        attempt: message.attempt,
        to: 'PENDING',
        nextAttemptAt: clock.now(),
        refund: true,
      });
      return false;
    });
  }

  async function admitByTier(
    { numbers }: NumberGates,
    tier: TierGate | undefined,
    claimed: ClaimedMessage[],
    updates: MessageUpdate[],
  ): Promise<ClaimedMessage[]> {
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

  /**
   * Sends the claimed messages inside rate slots: those of the grant the claim was sized by, or, when
   * the claim outlasted that grant's slot (a slow database), of fresh grants taken for them, until
   * `leaveBy`; a send never leaves outside the slot of the tokens that pay for it. Before a fresh slot
   * is used, its messages are asked again whether they may still be sent: a STOP or a cancellation
   * that lands while they wait keeps them unsent, as the claim would have. Whatever is left when
   * sending stops (an account-level answer, the breaker) or `leaveBy` passes goes back unsent.
   */
  async function sendAsGranted(
    phoneNumberId: string,
    rate: RateGate,
    messages: readonly ClaimedMessage[],
    firstGrant: RateGrant,
    leaveBy: number,
  ): Promise<SendResult[]> {
    let stopped = false;
    const halted = () => stopped || numberStopped(phoneNumberId) || options.breakerOpen();
    const send = async (message: ClaimedMessage, usableUntil: number): Promise<SendResult> => {
      if (halted()) return { kind: 'refused', reason: 'sending is stopped', probe: false };
      const result = await api.send(message, usableUntil);
      if (result.kind === 'rejected' && decide(message, result, context()).blockNumber) {
        stopped = true;
        stoppedUntil.set(phoneNumberId, performance.now() + options.accountPauseMs);
      }
      return result;
    };
    const sends: Array<Promise<SendResult>> = [];
    let grant: RateGrant | undefined = firstGrant;
    let fresh = false;
    let unsentReason = 'sending is stopped';
    while (sends.length < messages.length && !halted()) {
      if (!grant || performance.now() > grant.usableUntil) {
        if (performance.now() > leaveBy) {
          unsentReason = 'the rate limit granted no slot before the claim had to send';
          break;
        }
        grant = await rate.take(messages.length - sends.length);
        fresh = true;
        continue;
      }
      const { usableUntil } = grant;
      const granted = messages.slice(sends.length, sends.length + grant.count);
      const sendable = fresh ? await store.stillSendable(granted.map((message) => message.id)) : undefined;
      for (const message of granted)
        sends.push(
          !sendable || sendable.has(message.id)
            ? send(message, usableUntil)
            : Promise.resolve({ kind: 'refused', reason: 'stopped while it waited for a rate slot', probe: false }),
        );
      grant = undefined;
    }
    const unsent = messages
      .slice(sends.length)
      .map(() => ({ kind: 'refused', reason: unsentReason, probe: false }) as const);
    return [...(await Promise.all(sends)), ...unsent];
  }

  async function step(
    number: { phoneNumberId: string; gates: NumberGates; tier: TierGate | undefined },
    claimed: ClaimedMessage[],
    grant: RateGrant,
    claimedAt: number,
    settled: Set<string>,
  ): Promise<{ stopped: boolean }> {
    const { phoneNumberId, gates } = number;
    const { numbers } = gates;
    const updates: MessageUpdate[] = [];
    const inWindow = holdOutsideWindow(ofNumber(phoneNumberId, claimed, updates), updates);
    const sendable = await admitByTier(gates, number.tier, inWindow, updates);
    let slowed = false;
    // Half the reconcile window: every send leaves, is answered and is written well before the lease ends.
    const leaveBy = claimedAt + options.reconcileWindowMs / 2;
    const results = await sendAsGranted(phoneNumberId, gates.rate, sendable, grant, leaveBy);
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
      await store.record(updates, phoneNumberId);
    }, claimedAt + leaseMs);
    // After the FAILED is written, so a crash between the two leaves Meta's verdict, never a lost message;
    // the batch itself comes back for the ones moved to PENDING (remaining below).
    if (marketingLimited.length > 0 && options.marketingLimit)
      await options.marketingLimit({ ids: marketingLimited }, false);
    const waitsAgain = new Set(options.marketingLimit ? marketingLimited : []);
    for (const update of updates) if (update.to !== 'PENDING' && !waitsAgain.has(update.id)) settled.add(update.id);
    // The tier refusing some stops the batch, and so does the number stopping (this step's answer or
    // another batch's); a send window holding some does not hold up the others.
    return { stopped: blocks.length > 0 || numberStopped(phoneNumberId) || sendable.length < inWindow.length };
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

  /**
   * Sends one number's due messages of the batch under that number's gates; true when a claim took any.
   * Adds to `settled` each message this pass left with nothing more for the batch to do.
   */
  async function sendFrom(phoneNumberId: string, ids: string[], settled: Set<string>): Promise<boolean> {
    const gates = options.gates(phoneNumberId);
    if (await gates.numbers.hold()) return false;
    stoppedUntil.delete(phoneNumberId);
    if (options.breakerOpen()) return false;
    const tier = await gates.tier();
    let candidates = ids;
    let touched = false;
    while (candidates.length > 0) {
      // Tokens first, then at most that many claims: claimed messages wait for the rate limit only when
      // the claim itself outlasted the slot.
      const grant = await gates.rate.take(Math.min(options.claimSize, candidates.length));
      const claimedAt = performance.now();
      const { claimed, skipped, abandoned } = await store.claim(candidates, grant.count, leaseMs, clock.now());
      if (claimed.length + skipped.length + abandoned.length === 0) break;
      touched = true;
      if (skipped.length > 0) options.observer?.skipped?.(countByReason(skipped));
      if (abandoned.length > 0) options.observer?.abandoned?.(abandoned.length);
      for (const { id } of skipped) settled.add(id);
      for (const id of abandoned) settled.add(id);
      const taken = new Set([
        ...claimed.map((message) => message.id),
        ...skipped.map((message) => message.id),
        ...abandoned,
      ]);
      candidates = candidates.filter((id) => !taken.has(id));
      if (claimed.length === 0) continue;
      const { stopped } = await step({ phoneNumberId, gates, tier }, claimed, grant, claimedAt, settled);
      if (stopped || options.breakerOpen()) break;
    }
    return touched;
  }

  /** When the batch should come back for what one number still has PENDING, and why. */
  async function nextChance(remaining: NumberRemaining): Promise<{ at: number; reason: string }> {
    const hold = await options.gates(remaining.phoneNumberId).numbers.hold();
    if (hold) return { at: hold.until.getTime(), reason: hold.reason };
    if (options.breakerOpen())
      return { at: clock.now().getTime() + options.breakerResetMs, reason: 'the Cloud API circuit is open' };
    return {
      at: remaining.nextAttemptAt?.getTime() ?? 0,
      reason: `${remaining.pending} message(s) of the batch wait for a retry`,
    };
  }

  return async function sendBatch(runId: string, messageIds: readonly string[]): Promise<BatchOutcome> {
    // Only what is due asks for rate tokens: a batch queued twice (recovery, reconciliation) or
    // holding messages that are not due yet must not spend a number's throughput on nothing.
    const due = await store.due(messageIds, clock.now());
    const byNumber = Map.groupBy(due, (message) => message.phoneNumberId);
    const settled = new Set<string>();
    const touched = await Promise.all(
      [...byNumber].map(([phoneNumberId, messages]) =>
        sendFrom(
          phoneNumberId,
          messages.map((message) => message.id),
          settled,
        ),
      ),
    );
    if (touched.some(Boolean)) await options.runs.settle([runId]);

    // The common batch: every message was claimed and written SENT, FAILED or still SENDING (unknown,
    // reconciliation's), or SKIPPED by the claim, so none is left PENDING for the batch to come back
    // for, and the database need not be asked. A retry, a wait, a message not due or not claimed, or a
    // 131049 moved back to PENDING leaves the question to it.
    if (messageIds.every((id) => settled.has(id))) return { kind: 'done' };
    const remaining = await store.remaining(messageIds);
    if (remaining.length === 0) return { kind: 'done' };
    const chances = await Promise.all(remaining.map(nextChance));
    const first = chances.reduce((soonest, chance) => (chance.at < soonest.at ? chance : soonest));
    return {
      kind: 'later',
      delayMs: Math.max(minimumRetryDelayMs, first.at - clock.now().getTime()),
      reason: first.reason,
    };
  };
}
