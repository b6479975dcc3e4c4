import type { Sql } from '@ektola/platform/postgres';
import type { RateCard } from '../domain/estimated-cost.ts';
import type { RateCardSource } from '../domain/ports.ts';

/** The one rate card the settings API keeps in campaign.rate_cards. */
export function createPostgresRateCardSource(sql: Sql): RateCardSource {
  return {
    async current() {
      const [row] = await sql<Array<{ currency: string; prices: Partial<RateCard['prices']> }>>`
        select currency, prices from campaign.rate_cards where id = 1`;
      if (!row) return undefined;
      return {
        currency: row.currency,
        prices: { default: row.prices.default ?? {}, byCallingCode: row.prices.byCallingCode ?? {} },
      };
    },
  };
}
