import type { Sql } from '@ektola/platform/postgres';
import type { ContactNames } from '../domain/ports.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createPostgresContactNames(sql: Sql): ContactNames {
  return {
    async namesOf(contactIds) {
      const ids = contactIds.filter((id) => uuid.test(id));
      if (ids.length === 0) return new Map();
      const rows = await sql<Array<{ id: string; name: string | null }>>`
        select id, name from campaign.contacts where id = any(${ids}::uuid[])`;
      return new Map(rows.map((row) => [row.id, row.name ?? '']));
    },
  };
}
