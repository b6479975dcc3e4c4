import type { Sql } from '@ektola/platform/postgres';
import type { RateCardStore } from '../domain/ports.ts';
import type { RateCard } from '../domain/rate-card.ts';

interface RateCardRow {
  currency: string;
  default_prices: RateCard['default'];
  prices_by_calling_code: RateCard['byCallingCode'];
  updated_at: Date;
}

const rateCardOf = (row: RateCardRow): RateCard => ({
  currency: row.currency,
  default: row.default_prices,
  byCallingCode: row.prices_by_calling_code,
  updatedAt: row.updated_at,
});

export function createPostgresRateCardStore(sql: Sql): RateCardStore {
  return {
    async current() {
      const [row] = await sql<RateCardRow[]>`
        select currency, default_prices, prices_by_calling_code, updated_at from campaign.rate_card`;
      return row ? rateCardOf(row) : undefined;
    },

    async replace(card) {
      const [row] = await sql<RateCardRow[]>`
        insert into campaign.rate_card (currency, default_prices, prices_by_calling_code)
        values (${card.currency}, ${sql.json(card.default)}, ${sql.json(card.byCallingCode)})
        on conflict (singleton) do update
          set currency = excluded.currency, default_prices = excluded.default_prices,
              prices_by_calling_code = excluded.prices_by_calling_code, updated_at = now()
        returning currency, default_prices, prices_by_calling_code, updated_at`;
      return rateCardOf(row!);
    },
  };
}
