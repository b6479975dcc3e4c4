import type { Sql } from '@ektola/platform/postgres';
import type { Endpoint, EndpointStore } from '../domain/ports.ts';

interface EndpointRow {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
  previous_secret_expires_at: Date | null;
}

const endpointOf = (row: EndpointRow): Endpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  // A rotation's overlap that has ended is no longer worth showing.
  previousSecretExpiresAt:
    row.previous_secret_expires_at && row.previous_secret_expires_at > new Date()
      ? row.previous_secret_expires_at
      : null,
});

export function createPostgresEndpointStore(sql: Sql): EndpointStore {
  const columns = sql`id, url, description, events, enabled, disabled_reason, created_at, updated_at, previous_secret_expires_at`;
  return {
    async create(endpoint) {
      const [row] = await sql<EndpointRow[]>`
        insert into callbacks.endpoints (id, url, description, events, secret)
        values (${endpoint.id}, ${endpoint.url}, ${endpoint.description}, ${endpoint.events}::text[], ${endpoint.secret})
        returning ${columns}`;
      return endpointOf(row as EndpointRow);
    },

    async list({ limit, afterId }) {
      const rows = await sql<EndpointRow[]>`
        select ${columns} from callbacks.endpoints
         where ${afterId ? sql`id > ${afterId}` : sql`true`}
         order by id limit ${limit}`;
      return rows.map(endpointOf);
    },

    async get(id) {
      const [row] = await sql<EndpointRow[]>`select ${columns} from callbacks.endpoints where id = ${id}`;
      return row ? endpointOf(row) : null;
    },

    async update(id, changes) {
      const [row] = await sql<EndpointRow[]>`
        update callbacks.endpoints set
               url = coalesce(${changes.url ?? null}, url),
               events = coalesce(${changes.events ?? null}::text[], events),
               description = coalesce(${changes.description ?? null}, description),
               enabled = coalesce(${changes.enabled ?? null}::boolean, enabled),
               disabled_reason = case when ${changes.enabled ?? null}::boolean is not null then null else disabled_reason end,
               failing_since = case when ${changes.enabled ?? null}::boolean then null else failing_since end,
               updated_at = now()
         where id = ${id}
        returning ${columns}`;
      return row ? endpointOf(row) : null;
    },

    async remove(id) {
      const rows = await sql`delete from callbacks.endpoints where id = ${id} returning id`;
      return rows.length > 0;
    },

    async rotateSecret(id, secret, previousExpiresAt) {
      const [row] = await sql<EndpointRow[]>`
        update callbacks.endpoints
           set previous_secret = secret, secret = ${secret},
               previous_secret_expires_at = ${previousExpiresAt}, updated_at = now()
         where id = ${id}
        returning ${columns}`;
      return row ? endpointOf(row) : null;
    },
  };
}
