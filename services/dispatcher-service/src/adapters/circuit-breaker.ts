import CircuitBreaker from 'opossum';
import { meansMetaIsUnwell } from '../domain/meta-errors.ts';
import type { ClaimedMessage, CloudApi, SendResult } from '../domain/ports.ts';
import type { CloudApiClient, RawSendResult } from './cloud-api-client.ts';

export type BreakerState = 'closed' | 'half_open' | 'open';

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
}

/**
 * opossum around the Cloud API call. The client already bounds each call with SEND_TIMEOUT_MS (and
 * aborts it), so opossum's own timer, which cannot cancel the request, is off. A refused call is never
 * attempted; a call let through while half-open is marked as a probe.
 */
export function createBreakingCloudApi(client: CloudApiClient, options: BreakerOptions): CloudApi & { state(): BreakerState; shutdown(): void } {
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
      errorFilter: (error: unknown) => error instanceof CallFailed && !countsAgainstMeta(error.result),
    },
  );
  const state = (): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed');
  breaker.on('open', () => options.onStateChange?.('open'));
  breaker.on('halfOpen', () => options.onStateChange?.('half_open'));
  breaker.on('close', () => options.onStateChange?.('closed'));

  return {
    state,
    shutdown: () => breaker.shutdown(),
    async send(message): Promise<SendResult> {
      const probe = breaker.halfOpen;
      try {
        return { ...(await breaker.fire(message)), probe };
      } catch (error) {
        if (error instanceof CallFailed) return { ...error.result, probe };
        if ((error as { code?: string }).code === 'EOPENBREAKER') return { kind: 'refused', reason: 'the Cloud API circuit is open', probe: false };
        throw error;
      }
    },
  };
}
