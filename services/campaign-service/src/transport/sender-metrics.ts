import { Counter, Gauge, type Registry } from '@ektola/platform/metrics';
import type { SenderDirectory } from '../domain/ports.ts';
import { effectiveState, mpsInForce, sends, senderStates } from '../domain/sender.ts';

export interface SenderMetrics {
  /** One of Meta's number or account signals arrived. */
  signal(field: string, event: string): void;
}

/**
 * Each sender's state and rate in force, read from PostgreSQL at scrape time so every replica reports
 * the same, and the count of Meta's signals by field and event.
 */
export function createSenderMetrics(
  registry: Registry,
  readings: { senders: Pick<SenderDirectory, 'all'>; flaggedFactor: number },
): SenderMetrics {
  new Gauge({
    name: 'ektola_sender_state',
    help: 'Each sender number by state (1 for the state it is in, 0 for the others): ACTIVE, FLAGGED, RESTRICTED, DISABLED',
    labelNames: ['phone_number_id', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const sender of await readings.senders.all())
        for (const state of senderStates)
          this.set({ phone_number_id: sender.phoneNumberId, state }, effectiveState(sender) === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ektola_sender_mps',
    help: "Messages per second each sender number may send now: Meta's throughput, the operator's cap, slowed while flagged; 0 while it does not send",
    labelNames: ['phone_number_id'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const sender of await readings.senders.all())
        this.set(
          { phone_number_id: sender.phoneNumberId },
          sends(sender) ? mpsInForce(sender, readings.flaggedFactor) : 0,
        );
    },
  });
  const signals = new Counter({
    name: 'ektola_sender_signals_total',
    help: "Meta's number and account signals received (phone_number_quality_update, account_update), by field and event",
    labelNames: ['field', 'event'],
    registers: [registry],
  });
  return { signal: (field, event) => signals.inc({ field, event }) };
}
