import type { Clock } from '@ektola/platform/clock';
import type { whatsappNumberUpdate } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { acknowledge, type Outcome, type Received } from '@ektola/platform/nats';
import { maskPhone } from '@ektola/platform/phone';
import { applyNumberUpdate } from '../../domain/apply-number-update.ts';
import type { Transactions } from '../../domain/ports.ts';
import { effectiveState } from '../../domain/sender.ts';
import type { SenderMetrics } from '../sender-metrics.ts';

/**
 * Meta's number and account signals (whatsapp.number_update) applied to the senders they name, each
 * logged with the number masked and counted by field and event, whether or not it changed a sender.
 */
export function createNumberUpdateHandler(deps: {
  transactions: Transactions;
  clock: Clock;
  flaggedFactor: number;
  logger: Logger;
  metrics: Pick<SenderMetrics, 'signal'>;
}) {
  return async ({ payload }: Received<typeof whatsappNumberUpdate>): Promise<Outcome> => {
    const outcome = await applyNumberUpdate(deps, payload);
    // Counted once applied, so a delivery retried after a failure counts once.
    deps.metrics.signal(payload.field, payload.event);
    const signal = {
      field: payload.field,
      event: payload.event,
      businessAccountId: payload.businessAccountId,
      number: payload.displayPhoneNumber ? maskPhone(payload.displayPhoneNumber) : 'every number of the WABA',
      currentLimit: payload.currentLimit,
      matched: outcome.matched,
    };
    if (outcome.matched === 0) deps.logger.warn(signal, "Meta's signal names no registered sender");
    else if (outcome.changed.length === 0) deps.logger.info(signal, "Meta's signal changes no sender");
    for (const sender of outcome.changed)
      deps.logger.warn(
        {
          ...signal,
          senderId: sender.id,
          state: effectiveState(sender),
          reason: sender.stateReason,
          messagingLimit: sender.messagingLimit,
          version: sender.version,
        },
        "sender changed by Meta's signal",
      );
    return acknowledge;
  };
}
