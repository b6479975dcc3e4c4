import { randomUUID } from 'node:crypto';
import { notFound } from '@ektola/platform/errors';
import type { Sql, TransactionSql } from '@ektola/platform/postgres';
import { decodeCursor, pageOf } from '../domain/cursor.ts';
import type { SenderBook, SenderChange, SenderDirectory } from '../domain/ports.ts';
import type { MetaSenderState, Sender, ThroughputLevel } from '../domain/sender.ts';

export interface SenderRow {
  id: string;
  phone_number_id: string;
  waba_id: string | null;
  portfolio_id: string | null;
  label: string | null;
  display_phone_number: string | null;
  verified_name: string | null;
  quality_rating: string | null;
  throughput_level: ThroughputLevel;
  meta_mps: number;
  messaging_limit_tier: string | null;
  messaging_limit: number | null;
  name_status: string | null;
  meta_status: string | null;
  enabled: boolean;
  mps_cap: number | null;
  state: MetaSenderState;
  state_reason: string | null;
  state_changed_at: Date | null;
  is_default: boolean;
  version: string;
  refreshed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const toSender = (row: SenderRow): Sender => ({
  id: row.id,
  phoneNumberId: row.phone_number_id,
  wabaId: row.waba_id,
  portfolioId: row.portfolio_id,
  label: row.label,
  displayPhoneNumber: row.display_phone_number,
  verifiedName: row.verified_name,
  qualityRating: row.quality_rating,
  throughputLevel: row.throughput_level,
  metaMps: row.meta_mps,
  messagingLimitTier: row.messaging_limit_tier,
  messagingLimit: row.messaging_limit,
  nameStatus: row.name_status,
  metaStatus: row.meta_status,
  enabled: row.enabled,
  mpsCap: row.mps_cap,
  state: row.state,
  stateReason: row.state_reason,
  stateChangedAt: row.state_changed_at,
  isDefault: row.is_default,
  version: Number(row.version),
  refreshedAt: row.refreshed_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Sender fields by their column, for the changes a use case makes. */
const columnOf: Record<keyof SenderChange, string> = {
  wabaId: 'waba_id',
  portfolioId: 'portfolio_id',
  label: 'label',
  displayPhoneNumber: 'display_phone_number',
  verifiedName: 'verified_name',
  qualityRating: 'quality_rating',
  throughputLevel: 'throughput_level',
  metaMps: 'meta_mps',
  messagingLimitTier: 'messaging_limit_tier',
  messagingLimit: 'messaging_limit',
  nameStatus: 'name_status',
  metaStatus: 'meta_status',
  enabled: 'enabled',
  mpsCap: 'mps_cap',
  state: 'state',
  stateReason: 'state_reason',
  stateChangedAt: 'state_changed_at',
  refreshedAt: 'refreshed_at',
};

const columnsOf = (change: SenderChange) =>
  Object.fromEntries(
    Object.entries(change)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [columnOf[key as keyof SenderChange], value]),
  );

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Senders inside a use case's transaction, rows locked as they are read. */
export function senderBook(tx: TransactionSql): SenderBook {
  return {
    async lock(id) {
      const [row] = await tx<SenderRow[]>`select * from campaign.senders where id = ${id} for update`;
      return row && toSender(row);
    },
    async lockByPhoneNumberId(phoneNumberId) {
      const [row] = await tx<
        SenderRow[]
      >`select * from campaign.senders where phone_number_id = ${phoneNumberId} for update`;
      return row && toSender(row);
    },
    async lockMatching(wabaId, displayPhoneNumber) {
      const rows = await tx<SenderRow[]>`
        select * from campaign.senders
        where (waba_id = ${wabaId} or waba_id is null)
          ${displayPhoneNumber === undefined ? tx`` : tx`and display_phone_number = ${displayPhoneNumber}`}
        order by id
        for update`;
      return rows.map(toSender);
    },
    async add(draft) {
      // A savepoint, so a duplicate leaves the rest of the transaction usable.
      try {
        const [row] = await tx.savepoint(
          (sp) => sp<SenderRow[]>`
            insert into campaign.senders (id, phone_number_id, waba_id, portfolio_id, label, display_phone_number,
              verified_name, quality_rating, throughput_level, meta_mps, messaging_limit_tier, messaging_limit,
              name_status, meta_status, is_default, version, refreshed_at)
            values (${randomUUID()}, ${draft.phoneNumberId}, ${draft.wabaId}, ${draft.portfolioId}, ${draft.label},
              ${draft.displayPhoneNumber}, ${draft.verifiedName}, ${draft.qualityRating}, ${draft.throughputLevel},
              ${draft.metaMps}, ${draft.messagingLimitTier}, ${draft.messagingLimit}, ${draft.nameStatus},
              ${draft.metaStatus}, ${draft.isDefault}, 1, ${draft.refreshedAt})
            returning *`,
        );
        return row && toSender(row);
      } catch (error) {
        if (isUniqueViolation(error)) return undefined;
        throw error;
      }
    },
    async change(id, change) {
      // postgres.js writes an object as `column = value` pairs only right after `set`.
      const rows = await tx<SenderRow[]>`
        update campaign.senders set ${tx({ ...columnsOf(change), updated_at: new Date() })}, version = version + 1
        where id = ${id}
        returning *`;
      const [row] = rows;
      if (!row) throw new Error(`sender ${id} vanished inside its own transaction`);
      return toSender(row);
    },
    async markRefreshed(id, at) {
      const [row] = await tx<
        SenderRow[]
      >`update campaign.senders set refreshed_at = ${at} where id = ${id} returning *`;
      if (!row) throw new Error(`sender ${id} vanished inside its own transaction`);
      return toSender(row);
    },
    async makeDefault(id) {
      await tx`update campaign.senders set is_default = false where is_default and id <> ${id}`;
      const [row] = await tx<
        SenderRow[]
      >`update campaign.senders set is_default = true, updated_at = now() where id = ${id} returning *`;
      if (!row) throw new Error(`sender ${id} vanished inside its own transaction`);
      return toSender(row);
    },
    async clearDefault() {
      await tx`update campaign.senders set is_default = false, updated_at = now() where is_default`;
    },
    async remove(id) {
      await tx`delete from campaign.senders where id = ${id}`;
    },
    async ofIds(ids) {
      if (ids.length === 0) return [];
      const rows = await tx<SenderRow[]>`select * from campaign.senders where id in ${tx([...ids])}`;
      const byId = new Map(rows.map((row) => [row.id, toSender(row)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async findDefault() {
      const [row] = await tx<SenderRow[]>`select * from campaign.senders where is_default`;
      return row && toSender(row);
    },
    async openCampaignsUsing(id) {
      const rows = await tx<Array<{ name: string }>>`
        select name from campaign.campaigns
        where ${id}::uuid = any(sender_ids) and status in ('DRAFT', 'ACTIVE', 'PAUSED')
        order by name
        limit 20`;
      return rows.map((row) => row.name);
    },
  };
}

/** Senders outside a use case's transaction. */
export function createPostgresSenderStore(sql: Sql): SenderDirectory {
  return {
    async get(id) {
      const [row] = await sql<SenderRow[]>`select * from campaign.senders where id = ${id}`;
      if (!row) throw notFound('sender', id);
      return toSender(row);
    },
    async list(query) {
      const position = decodeCursor(query.cursor, 2);
      const rows = await sql<SenderRow[]>`
        select * from campaign.senders
        where true
          ${position ? sql`and (created_at, id) < (${position[0]!}::timestamptz, ${position[1]!}::uuid)` : sql``}
        order by created_at desc, id desc
        limit ${query.limit + 1}`;
      return pageOf(rows.map(toSender), query.limit, (sender) => [sender.createdAt.toISOString(), sender.id]);
    },
    async all() {
      const rows = await sql<SenderRow[]>`select * from campaign.senders order by created_at, id`;
      return rows.map(toSender);
    },
    async find(ids) {
      if (ids.length === 0) return [];
      const rows = await sql<SenderRow[]>`select * from campaign.senders where id in ${sql([...ids])}`;
      return rows.map(toSender);
    },
  };
}
