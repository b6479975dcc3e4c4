import type {
  RunCancellationStore,
  RunCompletion,
  SkipCounts,
  Skipped,
  SuppressionChange,
  SuppressionStore,
} from './ports.ts';

/**
 * Messages that must not be sent any more: a contact the campaign-service suppressed (opted out or
 * deleted) or a run an operator cancelled. The skipping commits first; then the runs it touched are
 * settled, so a run whose last PENDING message was skipped completes and publishes run.completed.
 */
export function createMessageSkipping(options: {
  suppressions: SuppressionStore;
  cancellations: RunCancellationStore;
  runs: RunCompletion;
  onSkipped?: (counts: SkipCounts) => void;
}) {
  async function settle(result: Skipped): Promise<Skipped> {
    options.onSkipped?.(result.skipped);
    await options.runs.settle(result.runIds);
    return result;
  }
  return {
    suppressionChanged: async (change: SuppressionChange) => settle(await options.suppressions.record(change)),
    runCancelled: async (cancellation: { runId: string; campaignId: string; cancelledAt: Date }) =>
      settle(await options.cancellations.cancel(cancellation)),
  };
}

export type MessageSkipping = ReturnType<typeof createMessageSkipping>;
