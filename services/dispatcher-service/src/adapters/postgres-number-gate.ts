import type { Clock } from '@ektola/platform/clock';
import type { Sql } from '@ektola/platform/postgres';
import type { NumberGate, NumberHold, SendingAlert, SendingBlocker } from '../domain/ports.ts';

interface NumberRow {
  blocked_until: Date | null;
  blocked_code: number | null;
  blocked_message: string | null;
  tier_resumes_at: Date | null;
}

/**
 * The sender number's shared state in PostgreSQL, so a block one replica hits stops them all. Reads
 * are cached briefly: the send path asks before every batch.
 */
export function createPostgresNumberGate(options: {
  sql: Sql;
  phoneNumberId: string;
  clock: Clock;
  accountPauseMs: number;
  throttlePauseMs: number;
  tierLimit: number | undefined;
  cacheMs?: number;
  onBlockedChange?: (blocked: boolean) => void;
}): NumberGate & SendingBlocker {
  const { sql, phoneNumberId, clock } = options;
  const cacheMs = options.cacheMs ?? 500;
  let cached: { at: number; row: NumberRow | undefined } | undefined;

  /** Only an account block holds all sending; tier exhaustion holds back new recipients, per message. */
  function holdOf(row: NumberRow | undefined): NumberHold | undefined {
    const blocked = row?.blocked_until && row.blocked_until.getTime() > clock.now().getTime();
    options.onBlockedChange?.(Boolean(blocked));
    if (!row?.blocked_until || !blocked) return undefined;
    return {
      reason: `the number is stopped after Meta error ${row.blocked_code ?? '?'} (${row.blocked_message ?? 'no message'}); sending is tried again at ${row.blocked_until.toISOString()}`,
      until: row.blocked_until,
    };
  }

  async function refresh(): Promise<NumberRow | undefined> {
    const [row] = await sql<NumberRow[]>`
      select blocked_until, blocked_code, blocked_message, tier_resumes_at from dispatch.numbers where phone_number_id = ${phoneNumberId}`;
    cached = { at: performance.now(), row };
    return row;
  }

  /** The account block first, then the exhausted tier: what holds sending back now. */
  async function current(): Promise<SendingAlert[]> {
    const row = await refresh();
    const alerts: SendingAlert[] = [];
    const hold = holdOf(row);
    if (hold) alerts.push({ kind: 'account_error', message: hold.reason });
    if (row?.tier_resumes_at && row.tier_resumes_at.getTime() > clock.now().getTime()) {
      alerts.push({
        kind: 'tier_limit',
        message: `the daily messaging tier (${options.tierLimit ?? '?'} unique recipients per 24 hours) is exhausted; new recipients wait until ${row.tier_resumes_at.toISOString()}`,
      });
    }
    return alerts;
  }

  return {
    async waitingReason() {
      return (await current())[0]?.message;
    },
    alerts: current,
    async hold() {
      if (cached && performance.now() - cached.at < cacheMs) return holdOf(cached.row);
      return holdOf(await refresh());
    },
    async block(code, message) {
      await sql`
        insert into dispatch.numbers (phone_number_id, blocked_until, blocked_code, blocked_message)
        values (${phoneNumberId}, now() + make_interval(secs => ${options.accountPauseMs / 1000}), ${code}, ${message})
        on conflict (phone_number_id) do update
          set blocked_until = excluded.blocked_until, blocked_code = excluded.blocked_code, blocked_message = excluded.blocked_message`;
      await refresh();
    },
    async slowDown() {
      await sql`
        insert into dispatch.numbers (phone_number_id, paused_until)
        values (${phoneNumberId}, now() + make_interval(secs => ${options.throttlePauseMs / 1000}))
        on conflict (phone_number_id) do update set paused_until = greatest(dispatch.numbers.paused_until, excluded.paused_until)`;
    },
    async tierExhausted(resumesAt) {
      await sql`
        insert into dispatch.numbers (phone_number_id, tier_resumes_at) values (${phoneNumberId}, ${resumesAt})
        on conflict (phone_number_id) do update set tier_resumes_at = excluded.tier_resumes_at`;
      await refresh();
    },
  };
}
