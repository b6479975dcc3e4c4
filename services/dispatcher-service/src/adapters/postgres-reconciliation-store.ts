import type { Sql } from '@ektola/platform/postgres';
import { heldReasonOfMessage } from './held-messages-sql.ts';
import type { DeadLetter, ExpiredMessage, ReconciliationStore } from '../domain/ports.ts';

/** The sweeper's queries: unknown outcomes, dead letters waiting to be announced, old rate slots and leases. */
export function createPostgresReconciliationStore(sql: Sql): ReconciliationStore {
  /** The messages of every lease that ran out before `before`, as recorded in dispatch.leases (migration 0016). */
  const leasedBefore = (before: Date) =>
    sql`select x.id from dispatch.leases l, unnest(l.message_ids) as x(id) where l.lease_until < ${before}`;
  return {
    /**
     * SENDING messages whose lease ran out before `before` and that still have attempts left; none whose
     * number or template is held (the claim would not take them; they are found again once released).
     */
    async expiredUnknown(options: { before: Date; maxAttempts: number; limit: number }): Promise<ExpiredMessage[]> {
      const rows = await sql<Array<{ id: string; run_id: string; attempts: number }>>`
        select id, run_id, attempts from dispatch.messages m
         where id in (${leasedBefore(options.before)})
           and status = 'SENDING' and lease_until < ${options.before} and attempts < ${options.maxAttempts}
           and ${heldReasonOfMessage(sql)} is null
         order by lease_until limit ${options.limit}`;
      return rows.map((row) => ({ id: row.id, runId: row.run_id, attempts: row.attempts }));
    },

    /** True for the one caller, across replicas, that may start a `reason` pass now: none started within `gapMs`. */
    async claimRecoveryPass(reason: string, gapMs: number): Promise<boolean> {
      const rows = await sql`
        insert into dispatch.recovery_passes (reason, started_at) values (${reason}, now())
        on conflict (reason) do update set started_at = now()
         where dispatch.recovery_passes.started_at < now() - make_interval(secs => ${gapMs / 1000})
        returning reason`;
      return rows.length === 1;
    },

    /** PENDING messages of fanned-out open runs, in id order, a page at a time. */
    async openedWindows(options: { now: Date; limit: number }) {
      const rows = await sql<Array<{ id: string; run_id: string; next_attempt_at: Date }>>`
        select m.id, m.run_id, m.next_attempt_at from dispatch.messages m join dispatch.runs r on r.id = m.run_id
         where m.waiting_reason is not null and m.status = 'PENDING' and m.next_attempt_at <= ${options.now}
           and m.waiting_reason not in ('sender_unavailable', 'template_paused') and r.completed_at is null
         order by m.next_attempt_at, m.id limit ${options.limit}`;
      return rows.map((row) => ({ id: row.id, runId: row.run_id, dueAt: row.next_attempt_at }));
    },

    async pendingOfOpenRuns(options: {
      afterId: string | undefined;
      limit: number;
    }): Promise<Array<{ id: string; runId: string }>> {
      const rows = await sql<Array<{ id: string; run_id: string }>>`
        select m.id, m.run_id from dispatch.messages m join dispatch.runs r on r.id = m.run_id
         where r.completed_at is null and r.fanout_done_at is not null and m.status = 'PENDING'
           ${options.afterId ? sql`and m.id > ${options.afterId}` : sql``}
         order by m.id limit ${options.limit}`;
      return rows.map((row) => ({ id: row.id, runId: row.run_id }));
    },

    /** Unknown outcomes that used their last attempt: FAILED, dead-lettered, never resent. */
    async failExhaustedUnknown(options: { before: Date; maxAttempts: number }): Promise<string[]> {
      const rows = await sql<Array<{ run_id: string }>>`
        update dispatch.messages
           set status = 'FAILED', failed_at = now(), updated_at = now(), lease_until = null, dead_letter_pending = true,
               error_code = coalesce(error_code, 0),
               error_message = coalesce(error_message, 'no answer and no status webhook after the last attempt')
         where id in (${leasedBefore(options.before)})
           and status = 'SENDING' and lease_until < ${options.before} and attempts >= ${options.maxAttempts}
        returning run_id`;
      return [...new Set(rows.map((row) => row.run_id))];
    },

    /** In id order: that is the order of the partial index on dead_letter_pending, so no plan scans the table. */
    async pendingDeadLetters(limit: number): Promise<DeadLetter[]> {
      const rows = await sql<
        Array<{
          id: string;
          run_id: string;
          attempts: number;
          error_code: number | null;
          error_message: string | null;
          failed_at: Date | null;
        }>
      >`select id, run_id, attempts, error_code, error_message, failed_at from dispatch.messages
         where dead_letter_pending order by id limit ${limit}`;
      return rows.map((row) => ({
        messageId: row.id,
        runId: row.run_id,
        attempts: row.attempts,
        code: row.error_code ?? 0,
        message: row.error_message ?? '',
        failedAt: row.failed_at ?? new Date(),
      }));
    },

    async clearDeadLetters(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await sql`update dispatch.messages set dead_letter_pending = false where id = any(${ids as string[]}::uuid[])`;
    },

    async pruneLeases(): Promise<void> {
      // A lease stays recorded while any of its messages is SENDING under it (or under an older one):
      // until then reconciliation may still have to find it. A newer lease has a row of its own.
      await sql`delete from dispatch.leases l
                 where l.lease_until < now()
                   and not exists (select 1 from dispatch.messages m
                                    where m.id = any(l.message_ids) and m.status = 'SENDING' and m.lease_until <= l.lease_until)`;
    },

    async pruneRateSlots(options: { slotMs: number; olderThanMs: number }): Promise<void> {
      await sql`delete from dispatch.rate_slots
                 where slot < ((floor(extract(epoch from clock_timestamp()) * 1000) - ${options.olderThanMs}) / ${options.slotMs})::bigint`;
    },
  };
}
