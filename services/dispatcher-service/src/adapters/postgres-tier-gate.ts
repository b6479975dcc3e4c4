import type { Sql } from '@ektola/platform/postgres';
import type { TierGate } from '../domain/ports.ts';

/**
 * Unique recipients per moving 24 hours, counted for a portfolio across all its numbers
 * (dispatch.reserve_recipients keyed by the portfolio; a number no portfolio is known for counts alone).
 */
export function createPostgresTierGate(options: { sql: Sql; portfolioKey: string; limit: number }): TierGate {
  const { sql } = options;
  return {
    async admit(phones) {
      const [row] = await sql<Array<{ admitted: string[]; resumes_at: Date | null }>>`
        select admitted, resumes_at from dispatch.reserve_recipients(${options.portfolioKey}, ${phones as string[]}::text[], ${options.limit})`;
      return { admitted: new Set(row?.admitted ?? []), resumesAt: row?.resumes_at ?? undefined };
    },
  };
}
