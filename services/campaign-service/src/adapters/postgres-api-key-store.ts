import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '@ektola/platform/errors';
import type { Sql } from '@ektola/platform/postgres';
import { displayPrefix, generateApiKey, hashApiKey, type ApiKeyRecord, type Role } from '../domain/api-key.ts';
import { decodeCursor, pageOf } from '../domain/cursor.ts';
import type { ApiKeyRegistry } from '../domain/ports.ts';

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  prefix: row.key_prefix,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

export function createPostgresApiKeyStore(sql: Sql): ApiKeyRegistry {
  return {
    /** The key itself is returned only here; the table keeps its hash. */
    async mint(input) {
      const key = generateApiKey();
      const [row] = await sql<ApiKeyRow[]>`
        insert into campaign.api_keys (id, name, role, key_hash, key_prefix)
        values (${randomUUID()}, ${input.name}, ${input.role}, ${hashApiKey(key)}, ${displayPrefix(key)})
        returning *`;
      return { record: toRecord(row!), key };
    },

    /**
     * Makes the configured bootstrap key a valid admin key. Idempotent across restarts and replicas;
     * a bootstrap key an admin revoked stays revoked.
     */
    async ensureBootstrapKey(key) {
      const rows = await sql`
        insert into campaign.api_keys (id, name, role, key_hash, key_prefix)
        values (${randomUUID()}, 'bootstrap admin (EKTOLA_ADMIN_API_KEY)', 'admin', ${hashApiKey(key)}, ${displayPrefix(key)})
        on conflict (key_hash) do nothing
        returning id`;
      return rows.length > 0 ? 'created' : 'present';
    },

    async authenticate(key) {
      const [row] = await sql<ApiKeyRow[]>`
        select * from campaign.api_keys where key_hash = ${hashApiKey(key)} and revoked_at is null`;
      return row ? { id: row.id, name: row.name, role: row.role } : undefined;
    },

    async list(query) {
      const position = decodeCursor(query.cursor, 2);
      const rows = await sql<ApiKeyRow[]>`
        select * from campaign.api_keys
        ${position ? sql`where (created_at, id) < (${position[0]!}::timestamptz, ${position[1]!}::uuid)` : sql``}
        order by created_at desc, id desc
        limit ${query.limit + 1}`;
      return pageOf(rows.map(toRecord), query.limit, (record) => [record.createdAt.toISOString(), record.id]);
    },

    /**
     * Revoking twice is harmless; the first revocation time is kept. The last working admin key cannot
     * be revoked, since nothing could mint a new one (the bootstrap key stays revoked once revoked).
     */
    async revoke(id) {
      return sql.begin(async (tx) => {
        // One revocation at a time, so two admins revoking each other's keys cannot both succeed.
        await tx`select pg_advisory_xact_lock(hashtext('campaign.api_keys.revoke'))`;
        const [target] = await tx<ApiKeyRow[]>`select * from campaign.api_keys where id = ${id}`;
        if (!target) throw notFound('api key', id);
        if (target.role === 'admin' && !target.revoked_at) {
          const [others] = await tx<Array<{ count: number }>>`
            select count(*)::int as count from campaign.api_keys where role = 'admin' and revoked_at is null and id <> ${id}`;
          if (!others?.count)
            throw conflict('this is the last admin key; mint another admin key before revoking it', 'last_admin_key');
        }
        const [row] = await tx<ApiKeyRow[]>`
          update campaign.api_keys set revoked_at = coalesce(revoked_at, now()) where id = ${id} returning *`;
        return toRecord(row!);
      });
    },
  };
}
