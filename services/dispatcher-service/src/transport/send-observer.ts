import type { Logger } from '@ektola/platform/logger';
import type { SendObserver } from '../domain/batch-sender.ts';
import type { DispatcherMetrics } from './dispatcher-metrics.ts';

/** What the batch sender decides, told to the dashboards and the log. */
export function createSendObserver(options: { metrics: DispatcherMetrics; logger: Logger }): SendObserver {
  const { metrics, logger } = options;
  return {
    decided(message, result, decision) {
      if (decision.errorCode) metrics.sendError(decision.errorCode, message.phoneNumberId);
      if (result.kind !== 'refused') metrics.transitioned(decision.update.to);
      if (decision.blockNumber)
        logger.error(
          { code: decision.blockNumber.code, phoneNumberId: message.phoneNumberId },
          'account-level error from Meta; the number is stopped',
        );
    },
    skipped: metrics.skipped,
    abandoned(count) {
      metrics.transitioned('FAILED', count);
      logger.warn(
        { messages: count },
        'messages of unknown outcome are not sent again: their contact is suppressed or their run cancelled',
      );
    },
    recordFailed(error, failures, willRetry) {
      metrics.recordFailed(willRetry);
      if (willRetry) logger.warn({ err: error, failures }, 'writing send results failed; retrying within the lease');
      else
        logger.error(
          { err: error, failures },
          'writing send results failed and the lease leaves no time; reconciliation takes over',
        );
    },
  };
}
