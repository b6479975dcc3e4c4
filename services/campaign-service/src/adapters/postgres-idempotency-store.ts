import type { Sql } from '@ektola/platform/postgres';
import type { IdempotencyKeys } from '../domain/ports.ts';

/** Idempotency keys live per API key: two clients may pick the same key without colliding. */
export function createPostgresIdempotencyStore(sql: Sql): IdempotencyKeys {
  return {
    /** Claims the key for this request; resolves undefined when it was free, else with what holds it. */
    async claim(apiKeyId, key, fingerprint) {
      const claimed = await sql`
        insert into campaign.idempotency_keys (api_key_id, key, fingerprint)
        values (${apiKeyId}, ${key}, ${fingerprint})
        on conflict do nothing
        returning key`;
      if (claimed.length > 0) return undefined;
      const [row] = await sql<
        Array<{ fingerprint: string | null; status_code: number | null; response_body: string | null }>
      >`
        select fingerprint, status_code, response_body from campaign.idempotency_keys where api_key_id = ${apiKeyId} and key = ${key}`;
      // Released between our insert and this read: the caller may simply try again.
      if (!row) return { fingerprint: null, response: null };
      return {
        fingerprint: row.fingerprint,
        response: row.status_code === null ? null : { statusCode: row.status_code, body: row.response_body ?? '' },
      };
    },

    async complete(apiKeyId, key, fingerprint, response) {
      await sql`
        update campaign.idempotency_keys
        set fingerprint = ${fingerprint}, status_code = ${response.statusCode}, response_body = ${response.body}
        where api_key_id = ${apiKeyId} and key = ${key}`;
    },

    /** A request that failed on our side frees its key, so the client's retry runs it again. */
    async release(apiKeyId, key) {
      await sql`delete from campaign.idempotency_keys where api_key_id = ${apiKeyId} and key = ${key} and status_code is null`;
    },

    /** At most `limit` keys in one statement, so forgetting a busy day's keys never locks many rows at once. */
    async deleteOlderThan(cutoff, limit) {
      const deleted = await sql`
        delete from campaign.idempotency_keys
        where (api_key_id, key) in (select api_key_id, key from campaign.idempotency_keys where created_at < ${cutoff} limit ${limit})`;
      return deleted.count;
    },
  };
}
