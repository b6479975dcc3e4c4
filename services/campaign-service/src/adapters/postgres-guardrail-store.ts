import type { Sql } from '@ektola/platform/postgres';
import { defaultGuardrails, type GuardrailSettings } from '../domain/guardrails.ts';
import type { GuardrailStore } from '../domain/ports.ts';

interface GuardrailRow {
  frequency_cap_max: number | null;
  frequency_cap_window_hours: number | null;
  blocked_calling_codes: string[];
  updated_at: Date;
}

const settingsOf = (row: GuardrailRow | undefined): GuardrailSettings =>
  row
    ? {
        frequencyCap:
          row.frequency_cap_max && row.frequency_cap_window_hours
            ? { maxMessages: row.frequency_cap_max, windowHours: row.frequency_cap_window_hours }
            : null,
        blockedCallingCodes: row.blocked_calling_codes,
        updatedAt: row.updated_at,
      }
    : defaultGuardrails;

const columns = (sql: Sql) => sql`frequency_cap_max, frequency_cap_window_hours, blocked_calling_codes, updated_at`;

export function createPostgresGuardrailStore(sql: Sql): GuardrailStore {
  return {
    async current() {
      const [row] = await sql<GuardrailRow[]>`select ${columns(sql)} from campaign.guardrail_settings`;
      return settingsOf(row);
    },

    async setFrequencyCap(cap) {
      const [row] = await sql<GuardrailRow[]>`
        insert into campaign.guardrail_settings (frequency_cap_max, frequency_cap_window_hours)
        values (${cap?.maxMessages ?? null}, ${cap?.windowHours ?? null})
        on conflict (singleton) do update
          set frequency_cap_max = excluded.frequency_cap_max,
              frequency_cap_window_hours = excluded.frequency_cap_window_hours, updated_at = now()
        returning ${columns(sql)}`;
      return settingsOf(row);
    },

    async setBlockedCallingCodes(codes) {
      const [row] = await sql<GuardrailRow[]>`
        insert into campaign.guardrail_settings (blocked_calling_codes) values (${[...codes]}::text[])
        on conflict (singleton) do update set blocked_calling_codes = excluded.blocked_calling_codes, updated_at = now()
        returning ${columns(sql)}`;
      return settingsOf(row);
    },
  };
}
