import { skipReason } from '@ektola/platform/events';
import { Counter, Gauge, Histogram, type Registry } from '@ektola/platform/metrics';
import { createPruneMetrics } from '@ektola/platform/postgres';
import {
  heldReasons,
  type BreakerState,
  type RunStore,
  type SenderActivityQuery,
  type SendResult,
  type SkipCounts,
  type StoredDrafts,
} from '../domain/ports.ts';

const circuitValue: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** The dispatcher's metrics under the names dashboards and alerts use (team contract). */
export function createDispatcherMetrics(
  registry: Registry,
  options: {
    runs: Pick<RunStore, 'openRunCounts'>;
    held: Pick<SenderActivityQuery, 'heldCounts'>;
    phoneNumberId: string;
  },
) {
  const registers = [registry];
  const number = options.phoneNumberId;
  const messages = new Counter({
    name: 'ektola_messages_total',
    help: 'Message status transitions, by the status entered',
    labelNames: ['status'],
    registers,
  });
  const skippedMessages = new Counter({
    name: 'ektola_messages_skipped_total',
    help: 'Messages that ended SKIPPED and were never sent, by reason (opted_out, contact_deleted, run_cancelled, frequency_capped, region_blocked)',
    labelNames: ['reason'],
    registers,
  });
  const recordFailures = new Counter({
    name: 'ektola_send_record_failures_total',
    help: 'Failed writes of send results, by what followed: retried (within the lease) or gave_up',
    labelNames: ['result'],
    registers,
  });
  const sendDuration = new Histogram({
    name: 'ektola_send_duration_seconds',
    help: 'Cloud API send calls, by outcome (accepted, rejected, unreachable, unknown) and sender number',
    labelNames: ['outcome', 'phone_number_id'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const sendErrors = new Counter({
    name: 'ektola_send_errors_total',
    help: 'Failed sends by Meta error code (or unreachable / timeout) and sender number',
    labelNames: ['code', 'phone_number_id'],
    registers,
  });
  const circuitState = new Gauge({
    name: 'ektola_circuit_state',
    help: 'Cloud API circuit breaker per sender number: 0 closed, 1 half-open, 2 open',
    labelNames: ['number'],
    registers,
  });
  const circuitTransitions = new Counter({
    name: 'ektola_circuit_transitions_total',
    help: 'Circuit breaker state changes per sender number',
    labelNames: ['number', 'to'],
    registers,
  });
  const rateLimitWait = new Histogram({
    name: 'ektola_rate_limit_wait_seconds',
    help: 'Time a send waited for a token of its number rate limit, by sender number',
    labelNames: ['phone_number_id'],
    buckets: [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const accountBlocked = new Gauge({
    name: 'ektola_account_blocked',
    help: '1 while an account-level Meta error (190, 368, 131031, 131042, 131048) has the number stopped',
    labelNames: ['number'],
    registers,
  });
  const deadLetters = new Counter({
    name: 'ektola_dead_letters_total',
    help: 'Messages that exhausted their retries',
    registers,
  });
  const unmatchedStatuses = new Counter({
    name: 'ektola_status_unmatched_total',
    help: 'Status notifications dropped after retries because no message of ours carries their wamid',
    registers,
  });
  const runsCompleted = new Counter({
    name: 'ektola_runs_completed_total',
    help: 'Runs completed by the dispatcher',
    registers,
  });
  new Gauge({
    name: 'ektola_run_messages',
    help: 'Messages of runs not yet completed, by status (read from the run counters at scrape time)',
    labelNames: ['run_status'],
    registers,
    async collect() {
      const counts = await options.runs.openRunCounts();
      for (const [status, value] of Object.entries(counts)) this.set({ run_status: status.toUpperCase() }, value);
    },
  });
  new Gauge({
    name: 'ektola_dispatch_held_messages',
    help: 'PENDING messages of open runs held back, by reason: sender_unavailable (their number does not send, no other sender) or template_paused (Meta paused or disabled the template)',
    labelNames: ['reason'],
    registers,
    async collect() {
      const counts = await options.held.heldCounts();
      for (const reason of heldReasons) this.set({ reason }, counts[reason] ?? 0);
    },
  });
  const fanOuts = new Gauge({
    name: 'ektola_dispatch_fan_outs',
    help: 'Runs this replica is fanning out now; while any is, it sends at most FANOUT_SEND_CONCURRENCY batches at once',
    registers,
  });
  for (const reason of skipReason.options) skippedMessages.inc({ reason }, 0);
  for (const result of ['retried', 'gave_up']) recordFailures.inc({ result }, 0);
  circuitState.set({ number }, 0);
  accountBlocked.set({ number }, 0);

  const transitioned = (status: string, count = 1) => count > 0 && messages.inc({ status }, count);
  const skipped = (counts: SkipCounts) => {
    for (const [reason, count] of Object.entries(counts)) {
      if (count <= 0) continue;
      skippedMessages.inc({ reason }, count);
      messages.inc({ status: 'SKIPPED' }, count);
    }
  };

  return {
    transitioned,
    skipped,
    /** A fan-out's newly stored messages, by the status they start in. */
    stored(drafts: StoredDrafts) {
      transitioned('PENDING', drafts.pending);
      transitioned('FAILED', drafts.failed);
      skipped(drafts.skipped);
    },
    recordFailed: (willRetry: boolean) => recordFailures.inc({ result: willRetry ? 'retried' : 'gave_up' }),
    sendTimed: (outcome: Exclude<SendResult['kind'], 'refused'>, seconds: number, phoneNumberId: string) =>
      sendDuration.observe({ outcome, phone_number_id: phoneNumberId }, seconds),
    sendError: (code: string, phoneNumberId: string) => sendErrors.inc({ code, phone_number_id: phoneNumberId }),
    circuit(state: BreakerState) {
      circuitState.set({ number }, circuitValue[state]);
      circuitTransitions.inc({ number, to: state });
    },
    rateLimitWait: (phoneNumberId: string, seconds: number) =>
      rateLimitWait.observe({ phone_number_id: phoneNumberId }, seconds),
    accountBlocked: (phoneNumberId: string, blocked: boolean) =>
      accountBlocked.set({ number: phoneNumberId }, blocked ? 1 : 0),
    fanOuts: (count: number) => fanOuts.set(count),
    deadLettered: (count: number) => deadLetters.inc(count),
    unmatchedStatus: () => unmatchedStatuses.inc(),
    runCompleted: () => runsCompleted.inc(),
    /** Retention's deletions (`ektola_rows_pruned_total`, declared by the platform's pruning helper). */
    prune: createPruneMetrics(registry),
  };
}

export type DispatcherMetrics = ReturnType<typeof createDispatcherMetrics>;
