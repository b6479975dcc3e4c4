import { Counter, Gauge, type Registry } from '@ektola/platform/metrics';
import type { OutboxRelayMetrics } from '../domain/ports.ts';

export type ApiKeyLookup = 'valid' | 'unknown';

export interface CampaignMetrics {
  runCreated(): void;
  audienceSkipped(contacts: number): void;
  contactsImported(counts: { imported: number; updated: number; rejectedCount: number }): void;
  apiKeyLookup(result: ApiKeyLookup): void;
  /** One of Meta's template signals, by webhook field and event (status, quality or category). */
  templateSignal(field: string, event: string): void;
  outbox: OutboxRelayMetrics;
}

/** Counts kept in PostgreSQL, read at scrape time so every replica reports the same value. */
export interface OutboxBacklog {
  pending(): Promise<number>;
  setAside(): Promise<number>;
}

export interface CampaignReadings {
  outbox: OutboxBacklog;
  /** When the scheduler last finished a pass without errors; null before the first. */
  lastSchedulerSuccess(): Promise<Date | null>;
}

/** The outbox's gauges (read from PostgreSQL) and the count of events this process set aside. */
export function createOutboxMetrics(registry: Registry, backlog: OutboxBacklog): OutboxRelayMetrics {
  new Gauge({
    name: 'ektola_outbox_pending',
    help: 'Outbox events written but not yet published to JetStream',
    registers: [registry],
    async collect() {
      this.set(await backlog.pending());
    },
  });
  new Gauge({
    name: 'ektola_outbox_set_aside',
    help: 'Outbox events set aside because they cannot be published; each needs an operator',
    registers: [registry],
    async collect() {
      this.set(await backlog.setAside());
    },
  });
  const setAsideTotal = new Counter({
    name: 'ektola_outbox_set_aside_total',
    help: 'Outbox events set aside by this process',
    registers: [registry],
  });
  return { setAside: () => setAsideTotal.inc() };
}

/** Every metric the campaign-service declares besides the platform's. */
export function createCampaignMetrics(registry: Registry, readings: CampaignReadings): CampaignMetrics {
  const runsCreated = new Counter({
    name: 'ektola_runs_created_total',
    help: 'Campaign runs created (a repeated CreateRun for a period does not count)',
    registers: [registry],
  });
  const audienceSkipped = new Counter({
    name: 'ektola_audience_skipped_total',
    help: 'Contacts left out of a run because a template placeholder had no value and no default',
    registers: [registry],
  });
  const imported = new Counter({
    name: 'ektola_contacts_imported_total',
    help: 'Contact rows taken from CSV uploads, by result (imported, updated, rejected)',
    labelNames: ['result'],
    registers: [registry],
  });
  const lookups = new Counter({
    name: 'ektola_api_key_lookups_total',
    help: 'API keys looked up in PostgreSQL to authenticate a request, by result (valid, unknown); many unknown ones mean someone is guessing keys',
    labelNames: ['result'],
    registers: [registry],
  });
  const templateSignals = new Counter({
    name: 'ektola_template_signals_total',
    help: "Meta's template signals applied, by webhook field and event: a status (PAUSED pauses the campaigns using the template), a quality rating or a new category",
    labelNames: ['field', 'event'],
    registers: [registry],
  });
  new Gauge({
    name: 'ektola_scheduler_last_success_timestamp_seconds',
    help: 'When the scheduler last finished a pass without errors (Unix seconds; 0 before the first)',
    registers: [registry],
    async collect() {
      const lastSuccess = await readings.lastSchedulerSuccess();
      this.set(lastSuccess ? lastSuccess.getTime() / 1000 : 0);
    },
  });
  return {
    runCreated: () => runsCreated.inc(),
    audienceSkipped: (contacts) => audienceSkipped.inc(contacts),
    contactsImported(counts) {
      imported.inc({ result: 'imported' }, counts.imported);
      imported.inc({ result: 'updated' }, counts.updated);
      imported.inc({ result: 'rejected' }, counts.rejectedCount);
    },
    apiKeyLookup: (result) => lookups.inc({ result }),
    templateSignal: (field, event) => templateSignals.inc({ field, event }),
    outbox: createOutboxMetrics(registry, readings.outbox),
  };
}
