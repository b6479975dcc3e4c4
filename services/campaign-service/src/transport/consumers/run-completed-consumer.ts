import { runCompleted } from '@ektola/platform/events';
import { isDomainError } from '@ektola/platform/errors';
import type { Logger } from '@ektola/platform/logger';
import { acknowledge, reject, type Outcome, type Received } from '@ektola/platform/nats';
import type { RunLedger } from '../../domain/ports.ts';

/** `run.completed` from the dispatcher marks the run COMPLETED with its final counts; redeliveries change nothing. */
export function createRunCompletedHandler(deps: { runs: RunLedger; logger: Logger }) {
  return async ({ payload }: Received<typeof runCompleted>): Promise<Outcome> => {
    try {
      const result = await deps.runs.markCompleted({
        runId: payload.runId,
        completedAt: new Date(payload.completedAt),
        counts: payload.counts,
      });
      if (result === 'completed') deps.logger.info({ runId: payload.runId, counts: payload.counts }, 'run completed');
      return acknowledge;
    } catch (error) {
      if (isDomainError(error) && error.kind === 'not_found') return reject(error.message);
      throw error;
    }
  };
}
