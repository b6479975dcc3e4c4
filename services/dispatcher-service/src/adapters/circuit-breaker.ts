import CircuitBreaker from 'opossum';
import { meansMetaIsUnwell } from '../domain/meta-errors.ts';
import type {
  BreakerState,
  ClaimedMessage,
  CloudApi,
  CloudApiCircuit,
  SendingBlocker,
  SendResult,
} from '../domain/ports.ts';
import type { CloudApiClient, RawSendResult } from './cloud-api-client.ts';

const breakerOpen = 'the WhatsApp Cloud API is failing; sending waits for the circuit breaker to close';

class CallFailed extends Error {
  readonly result: RawSendResult;
  constructor(result: RawSendResult) {
    super(result.kind === 'rejected' ? `Meta error ${result.code}` : result.kind);
    this.result = result;
  }
}

/** Only "Meta is unwell" counts against the breaker: a bad number or template is no reason to stop. */
function countsAgainstMeta(result: RawSendResult): boolean {
  if (result.kind === 'unreachable' || result.kind === 'unknown') return true;
  if (result.kind === 'rejected') return meansMetaIsUnwell(result.code, result.httpStatus);
  return false;
}

export interface BreakerOptions {
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
  rollingWindowMs: number;
  onStateChange?: (state: BreakerState) => void;
  /** Each call that went out to Meta, with how it ended and how long it took (refused calls never left). */
  onSendTimed?: (outcome: Exclude<SendResult['kind'], 'refused'>, seconds: number, phoneNumberId: string) => void;
}

/**
 * opossum around the Cloud API call. The client already bounds each call with SEND_TIMEOUT_MS (and
 * aborts it), so opossum's own timer, which cannot cancel the request, is off. A refused call is never
 * attempted; a call let through while half-open is marked as a probe. While it is open, `untilSendable`
 * holds senders back before they claim anything.
 */
export function createBreakingCloudApi(
  client: CloudApiClient,
  options: BreakerOptions,
): CloudApi & CloudApiCircuit & SendingBlocker & { shutdown(): void } {
  const breaker = new CircuitBreaker(
    async (message: ClaimedMessage) => {
      const result = await client.send(message);
      if (result.kind !== 'accepted') throw new CallFailed(result);
      return result;
    },
    {
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      resetTimeout: options.resetTimeoutMs,
      rollingCountTimeout: options.rollingWindowMs,
      rollingCountBuckets: 10,
      // By default opossum keeps every call's latency in its window and, to give percentiles, sorts them
      // all each time it reads its stats: every second, and on every failure, to judge the error rate.
      // At 4,000 sends a second that is 40,000 latencies sorted per failure, so the 1,200 calls in
      // flight when Meta starts failing took about 5 s of the event loop to judge (25 ms without).
      // The counts decide the breaker, and each send's time is in the send-duration histogram already.
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      errorFilter: (error: unknown) => error instanceof CallFailed && !countsAgainstMeta(error.result),
    },
  );
  const state = (): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed');
  // Settles when the breaker leaves the open state; present only while it is open.
  let shut: PromiseWithResolvers<void> | undefined;
  const changed = (to: BreakerState) => {
    if (to === 'open') shut ??= Promise.withResolvers<void>();
    else {
      shut?.resolve();
      shut = undefined;
    }
    options.onStateChange?.(to);
  };
  breaker.on('open', () => changed('open'));
  breaker.on('halfOpen', () => changed('half_open'));
  breaker.on('close', () => changed('closed'));

  async function send(message: ClaimedMessage): Promise<SendResult> {
    const probe = breaker.halfOpen;
    try {
      return { ...(await breaker.fire(message)), probe };
    } catch (error) {
      if (error instanceof CallFailed) return { ...error.result, probe };
      if ((error as { code?: string }).code === 'EOPENBREAKER')
        return { kind: 'refused', reason: 'the Cloud API circuit is open', probe: false };
      throw error;
    }
  }

  return {
    state,
    shutdown: () => breaker.shutdown(),
    async send(message) {
      const started = performance.now();
      const result = await send(message);
      if (result.kind !== 'refused')
        options.onSendTimed?.(result.kind, (performance.now() - started) / 1000, message.phoneNumberId);
      return result;
    },
    async untilSendable(signal) {
      while (shut && !signal.aborted) {
        const stopped = Promise.withResolvers<void>();
        const onAbort = () => stopped.resolve();
        signal.addEventListener('abort', onAbort, { once: true });
        await Promise.race([shut.promise, stopped.promise]);
        signal.removeEventListener('abort', onAbort);
      }
    },
    async waitingReason() {
      return state() === 'closed' ? undefined : breakerOpen;
    },
    async alerts() {
      return state() === 'closed' ? [] : [{ kind: 'breaker_open' as const, message: breakerOpen }];
    },
  };
}
