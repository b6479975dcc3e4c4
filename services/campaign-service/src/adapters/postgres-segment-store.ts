import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '@ektola/platform/errors';
import type { Sql } from '@ektola/platform/postgres';
import type { Audience } from '../domain/audience.ts';
import { decodeCursor, pageOf } from '../domain/cursor.ts';
import type { Segment } from '../domain/model.ts';
import type { SegmentDirectory } from '../domain/ports.ts';
import { storedAudience, storedAudienceOf } from './postgres-campaign-store.ts';

interface SegmentRow {
  id: string;
  name: string;
  audience: Audience;
  created_at: Date;
  updated_at: Date;
}

const toSegment = (row: SegmentRow): Segment => ({
  id: row.id,
  name: row.name,
  audience: storedAudienceOf(row.audience),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Saved audiences; the campaigns and segments naming one are found by containment on their audience. */
export function createPostgresSegmentStore(sql: Sql): SegmentDirectory {
  const find = async (id: string) => {
    const [row] = await sql<SegmentRow[]>`select * from campaign.segments where id = ${id}`;
    return row && toSegment(row);
  };
  return {
    find,

    async get(id) {
      const segment = await find(id);
      if (!segment) throw notFound('segment', id);
      return segment;
    },

    async create(fields) {
      const [row] = await sql<SegmentRow[]>`
        insert into campaign.segments (id, name, audience)
        values (${randomUUID()}, ${fields.name}, ${storedAudience(sql, fields.audience)})
        returning *`;
      return toSegment(row!);
    },

    async list(query) {
      const position = decodeCursor(query.cursor, 2);
      const rows = await sql<SegmentRow[]>`
        select * from campaign.segments
        where true
          ${position ? sql`and (created_at, id) < (${position[0]!}::timestamptz, ${position[1]!}::uuid)` : sql``}
        order by created_at desc, id desc
        limit ${query.limit + 1}`;
      return pageOf(rows.map(toSegment), query.limit, (segment) => [segment.createdAt.toISOString(), segment.id]);
    },

    async update(id, fields) {
      const [row] = await sql<SegmentRow[]>`
        update campaign.segments set name = ${fields.name}, audience = ${storedAudience(sql, fields.audience)}, updated_at = now()
        where id = ${id}
        returning *`;
      if (!row) throw notFound('segment', id);
      return toSegment(row);
    },

    /**
     * One statement decides: the row goes only while no campaign or segment names it, so a campaign
     * saved at the same moment either sees the segment or blocks its deletion.
     */
    async delete(id) {
      const naming = sql.json({ segmentId: id });
      const [row] = await sql<Array<{ deleted: boolean }>>`
        with doomed as (
          delete from campaign.segments s where s.id = ${id}
            and not exists (select 1 from campaign.campaigns where audience @> ${naming})
            and not exists (select 1 from campaign.segments where audience @> ${naming})
          returning id
        )
        select exists (select 1 from doomed) as deleted`;
      if (row?.deleted) return;
      if (!(await find(id))) throw notFound('segment', id);
      throw conflict(`segment ${id} is used by a campaign or another segment`, 'segment_in_use');
    },
  };
}
