import type { Clock } from '@ektola/platform/clock';
import { runCompleted } from '@ektola/platform/events';
import type { EventPublisher } from '@ektola/platform/nats';
import type { RunCompletionRepair, RunRecord, RunStore } from '../domain/ports.ts';

/**
 * Completion is written first and published after; `completion_published` records the publish, and
 * the sweeper publishes whatever a crash left in between. The msgId makes the event appear once.
 */
export function createRunCompletion(options: {
  runs: RunStore;
  publisher: EventPublisher;
  clock: Clock;
  onCompleted?: (run: RunRecord) => void;
}): RunCompletionRepair {
  const { runs, publisher } = options;

  async function publish(completed: RunRecord[]) {
    if (completed.length === 0) return;
    await publisher.publishAll(
      runCompleted,
      completed.map((run) => ({
        payload: {
          runId: run.id,
          campaignId: run.campaignId,
          completedAt: (run.completedAt ?? options.clock.now()).toISOString(),
          counts: run.counts,
        },
        msgId: `run.completed:${run.id}`,
      })),
    );
    await runs.markCompletionPublished(completed.map((run) => run.id));
    completed.forEach((run) => options.onCompleted?.(run));
  }

  return {
    async settle(runIds) {
      if (runIds.length === 0) return;
      await publish(await runs.completeFinished(runIds));
    },
    async publishLeftovers() {
      await publish(await runs.completeFinished());
      await publish(await runs.unpublishedCompletions());
    },
  };
}
