import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '@ektola/platform/errors';
import { refreshStatistics, type ReservedSql, type Sql } from '@ektola/platform/postgres';
import { decodeCursor, pageOf } from '../domain/cursor.ts';
import type { ContactDraft } from '../domain/contact-row.ts';
import type { Contact } from '../domain/model.ts';
import type { ContactDirectory } from '../domain/ports.ts';

export interface ContactRow {
  id: string;
  phone: string;
  name: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  opted_out: boolean;
  opted_out_at: Date | null;
  opt_out_reason: string | null;
  preference_changed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const toContact = (row: ContactRow): Contact => ({
  id: row.id,
  phone: row.phone,
  name: row.name,
  tags: row.tags,
  attributes: row.attributes,
  optedOut: row.opted_out,
  optedOutAt: row.opted_out_at,
  optOutReason: row.opt_out_reason,
  preferenceChangedAt: row.preference_changed_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
const phoneTaken = (phone: string) => conflict(`a contact with phone ${phone} already exists`, 'contact_exists');

/** One batch of an import upserted by phone, in the import's transaction. */
async function upsertBatch(
  tx: ReservedSql,
  drafts: readonly ContactDraft[],
): Promise<{ imported: number; updated: number }> {
  const rows = drafts.map((draft) => ({
    phone: draft.phone,
    name: draft.name,
    tags: draft.tags,
    attributes: draft.attributes,
  }));
  // A file without a tags column leaves every contact's tags as they are.
  const keepTags = drafts.every((draft) => draft.tags === null);
  const [counts] = await tx<Array<{ imported: number; updated: number }>>`
    with upserted as (
      insert into campaign.contacts as c (id, phone, name, tags, attributes)
      select gen_random_uuid(), r.phone, r.name, coalesce(r.tags, '{}'), r.attributes
      from jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as r(phone text, name text, tags text[], attributes jsonb)
      on conflict (phone) do update set
        name = coalesce(excluded.name, c.name),
        tags = case when ${keepTags}::boolean then c.tags else excluded.tags end,
        attributes = c.attributes || excluded.attributes,
        updated_at = now()
      returning (xmax = 0) as inserted
    )
    select count(*) filter (where inserted)::int as imported, count(*) filter (where not inserted)::int as updated from upserted`;
  return counts ?? { imported: 0, updated: 0 };
}

/** Contacts in PostgreSQL: bulk upserts for imports, keyset pages for lists and audiences. */
export function createPostgresContactStore(sql: Sql): ContactDirectory {
  return {
    /**
     * The transaction runs on a connection reserved for it, begun with the first batch, so an import
     * whose every row was rejected never takes one. `xmax = 0` tells a fresh insert from an update, and
     * an import never touches the opt-out flag, so a customer who said STOP stays opted out when an old
     * list is imported again.
     */
    beginImport() {
      let reserved: Promise<ReservedSql> | undefined;
      const totals = { imported: 0, updated: 0 };
      const transaction = () =>
        (reserved ??= sql.reserve().then(async (connection) => {
          try {
            await connection`begin`;
            // Imports take turns. Two that share phones lock them batch by batch, each in its file's order,
            // so the one whose later batch reached a phone the other already held failed as a deadlock and
            // imported nothing. Single-contact writes lock one row and still go alongside.
            await connection`select pg_advisory_xact_lock(hashtext('campaign.contacts.import'))`;
            return connection;
          } catch (error) {
            connection.release();
            throw error;
          }
        }));
      let ended = false;
      const end = async (statement: 'commit' | 'rollback') => {
        // Once: a rollback after a failed commit must not reach the connection, back in the pool by then.
        if (!reserved || ended) return;
        ended = true;
        const connection = await reserved;
        try {
          await connection.unsafe(statement);
        } finally {
          connection.release();
        }
      };
      return {
        async write(drafts) {
          const counts = await upsertBatch(await transaction(), drafts);
          totals.imported += counts.imported;
          totals.updated += counts.updated;
        },
        async commit() {
          await end('commit');
          return totals;
        },
        rollback: () => end('rollback'),
      };
    },

    /**
     * Planned on statistics from before a large import, an audience page read every remaining match
     * through the tags index and sorted them (30–40 ms a page at 100,000 contacts, so a whole audience
     * cost the square of its size); planned on the table as it is, a page walks the eligible index in id
     * order (2–3 ms). Every column: an audience may filter on any of them.
     */
    async importApplied(changed) {
      await refreshStatistics(sql, { table: 'campaign.contacts', changed });
    },

    async create(draft) {
      try {
        const [row] = await sql<ContactRow[]>`
          insert into campaign.contacts (id, phone, name, tags, attributes)
          values (${randomUUID()}, ${draft.phone}, ${draft.name}, ${draft.tags ?? []}::text[], ${sql.json(draft.attributes)})
          returning *`;
        return toContact(row!);
      } catch (error) {
        if (isUniqueViolation(error)) throw phoneTaken(draft.phone);
        throw error;
      }
    },

    async get(id) {
      const [row] = await sql<ContactRow[]>`select * from campaign.contacts where id = ${id}`;
      if (!row) throw notFound('contact', id);
      return toContact(row);
    },

    async list(query) {
      const [after] = decodeCursor(query.cursor, 1) ?? [];
      const pattern = query.search ? `%${query.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%` : undefined;
      const rows = await sql<ContactRow[]>`
        select * from campaign.contacts
        where true
          ${after ? sql`and id > ${after}` : sql``}
          ${query.tag ? sql`and tags @> array[${query.tag}]::text[]` : sql``}
          ${pattern ? sql`and (name ilike ${pattern} or phone like ${pattern})` : sql``}
        order by id
        limit ${query.limit + 1}`;
      return pageOf(rows.map(toContact), query.limit, (contact) => [contact.id]);
    },

    async update(id, patch) {
      try {
        const [row] = await sql<ContactRow[]>`
          update campaign.contacts set
            phone = coalesce(${patch.phone ?? null}, phone),
            name = ${patch.name === undefined ? sql`name` : sql`${patch.name}`},
            tags = coalesce(${patch.tags ?? null}::text[], tags),
            attributes = ${patch.attributes === undefined ? sql`attributes` : sql`${sql.json(patch.attributes as never)}`},
            updated_at = now()
          where id = ${id}
          returning *`;
        if (!row) throw notFound('contact', id);
        return toContact(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw phoneTaken(patch.phone ?? '');
        throw error;
      }
    },
  };
}
