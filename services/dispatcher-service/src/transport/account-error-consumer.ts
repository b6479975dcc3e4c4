import type { JetStreamClient } from '@nats-io/jetstream';
import { accountError } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer } from '@ektola/platform/nats';
import { isAccountLevel } from '../domain/meta-errors.ts';
import type { GatesOf } from '../domain/ports.ts';

/**
 * Account problems Meta reports by webhook stop the number they name (the default number when they name
 * none) just like the same codes on a send.
 */
export function startAccountErrorConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  /** The default number. */
  phoneNumberId: string;
  gatesOf: GatesOf;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-account-error' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-account-error',
    events: [accountError],
    logger: options.logger,
    registry: options.registry,
    async handle({ payload }) {
      const phoneNumberId = payload.phoneNumberId ?? options.phoneNumberId;
      if (isAccountLevel(payload.error.code)) {
        await options
          .gatesOf(phoneNumberId)
          .numbers.block(payload.error.code, payload.error.message ?? payload.error.title ?? 'account error');
        log.error(
          { code: payload.error.code, phoneNumberId },
          'Meta reported an account-level error; the number is stopped',
        );
        return;
      }
      log.warn(
        { code: payload.error.code, phoneNumberId: payload.phoneNumberId },
        'Meta reported an account error that does not stop this number',
      );
    },
  });
}
