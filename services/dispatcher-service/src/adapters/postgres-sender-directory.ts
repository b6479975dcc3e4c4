import type { Sql } from '@ektola/platform/postgres';
import type { SenderRecord, SenderState } from '../domain/ports.ts';

interface SenderRow {
  phone_number_id: string;
  portfolio_key: string;
  mps: number;
  messaging_limit: number | null;
  state: SenderState;
  reason: string | null;
  version: string;
}

/**
 * The sender.changed projection as the send path reads it: the whole (small) table, re-read at most every
 * `cacheMs`, so asking before every step costs no query. The rate limit does not rely on it: the lease
 * statement reads the number's mps itself.
 */
export function createPostgresSenderDirectory(options: { sql: Sql; cacheMs?: number }) {
  const cacheMs = options.cacheMs ?? 1_000;
  let cached: { at: number; senders: Promise<Map<string, SenderRecord>> } | undefined;

  async function read(): Promise<Map<string, SenderRecord>> {
    const rows = await options.sql<SenderRow[]>`
      select phone_number_id, portfolio_key, mps, messaging_limit, state, reason, version from dispatch.senders`;
    return new Map(
      rows.map((row) => [
        row.phone_number_id,
        {
          phoneNumberId: row.phone_number_id,
          portfolioKey: row.portfolio_key,
          mps: row.mps,
          messagingLimit: row.messaging_limit,
          state: row.state,
          reason: row.reason ?? undefined,
          version: Number(row.version),
        },
      ]),
    );
  }

  async function all(): Promise<Map<string, SenderRecord>> {
    if (!cached || performance.now() - cached.at >= cacheMs) {
      const senders = read();
      cached = { at: performance.now(), senders };
      // A failed read is not kept: the next call asks again.
      senders.catch(() => {
        if (cached?.senders === senders) cached = undefined;
      });
    }
    return cached.senders;
  }

  return {
    all,
    async of(phoneNumberId: string): Promise<SenderRecord | undefined> {
      return (await all()).get(phoneNumberId);
    },
  };
}

export type SenderDirectory = ReturnType<typeof createPostgresSenderDirectory>;
