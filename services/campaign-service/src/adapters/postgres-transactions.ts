import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from '@ektola/platform/postgres';
import type {
  CampaignBook,
  ContactBook,
  EventOutbox,
  RunBook,
  TransactionScope,
  Transactions,
} from '../domain/ports.ts';
import { storedAudience, toCampaign, type CampaignRow } from './postgres-campaign-store.ts';
import { toContact, type ContactRow } from './postgres-contact-store.ts';
import { outboxEventName } from './postgres-outbox-relay.ts';
import { toRun, type RunRow } from './postgres-run-store.ts';
import { senderBook } from './postgres-sender-store.ts';

const firstOrFail = <T>(rows: T[], what: string): T => {
  const [row] = rows;
  if (!row) throw new Error(`${what} vanished inside its own transaction`);
  return row;
};

function contactBook(tx: TransactionSql): ContactBook {
  return {
    async lock(id) {
      const [row] = await tx<ContactRow[]>`select * from campaign.contacts where id = ${id} for update`;
      return row && toContact(row);
    },
    async lockByPhones(phones) {
      const rows = await tx<
        ContactRow[]
      >`select * from campaign.contacts where phone in ${tx([...phones])} order by id for update`;
      return rows.map(toContact);
    },
    async recordPreference(id, { optedOut, reason, at }) {
      const rows = await tx<ContactRow[]>`
        update campaign.contacts set
          opted_out = ${optedOut},
          opted_out_at = ${optedOut ? at : null},
          opt_out_reason = ${optedOut ? reason : null},
          preference_changed_at = ${at},
          updated_at = now()
        where id = ${id}
        returning *`;
      return toContact(firstOrFail(rows, `contact ${id}`));
    },
    async addOptedOut(phone, reason, at) {
      const [row] = await tx<ContactRow[]>`
        insert into campaign.contacts (id, phone, opted_out, opted_out_at, opt_out_reason, preference_changed_at)
        values (${randomUUID()}, ${phone}, true, ${at}, ${reason}, ${at})
        on conflict (phone) do nothing
        returning *`;
      return row && toContact(row);
    },
    async remove(id) {
      await tx`delete from campaign.contacts where id = ${id}`;
    },
  };
}

function runBook(tx: TransactionSql): RunBook {
  return {
    async lock(id) {
      const [row] = await tx<RunRow[]>`select * from campaign.runs where id = ${id} for update`;
      return row && toRun(row);
    },
    async findForPeriod(campaignId, periodKey) {
      const [row] = await tx<
        RunRow[]
      >`select * from campaign.runs where campaign_id = ${campaignId} and period_key = ${periodKey}`;
      return row && toRun(row);
    },
    async add(run) {
      const rows = await tx<RunRow[]>`
        insert into campaign.runs (id, campaign_id, template_id, period_key, scheduled_for, status)
        values (${randomUUID()}, ${run.campaignId}, ${run.templateId}, ${run.periodKey}, ${run.scheduledFor}, 'REQUESTED')
        returning *`;
      return toRun(firstOrFail(rows, `run of campaign ${run.campaignId}`));
    },
    async lockOpenRuns(campaignId) {
      const rows = await tx<
        RunRow[]
      >`select * from campaign.runs where campaign_id = ${campaignId} and status = 'REQUESTED' order by id for update`;
      return rows.map(toRun);
    },
    async markCancelled(id, at) {
      const rows = await tx<
        RunRow[]
      >`update campaign.runs set status = 'CANCELLED', cancelled_at = ${at} where id = ${id} returning *`;
      return toRun(firstOrFail(rows, `run ${id}`));
    },
  };
}

function campaignBook(tx: TransactionSql): CampaignBook {
  return {
    async lock(id) {
      const [row] = await tx<CampaignRow[]>`select * from campaign.campaigns where id = ${id} for update`;
      return row && toCampaign(row);
    },
    async setStatus(id, status) {
      const rows = await tx<CampaignRow[]>`
        update campaign.campaigns set
          status = ${status}, updated_at = now(),
          paused_by = case when ${status} = 'PAUSED' then paused_by end,
          paused_reason = case when ${status} = 'PAUSED' then paused_reason end
        where id = ${id} returning *`;
      return toCampaign(firstOrFail(rows, `campaign ${id}`));
    },
    async pause(id, pause) {
      const rows = await tx<CampaignRow[]>`
        update campaign.campaigns set status = 'PAUSED', paused_by = ${pause.by}, paused_reason = ${pause.reason}, updated_at = now()
        where id = ${id} returning *`;
      return toCampaign(firstOrFail(rows, `campaign ${id}`));
    },
    async lockUsingTemplate(templateId, statuses) {
      const rows = await tx<CampaignRow[]>`
        select * from campaign.campaigns where template_id = ${templateId} and status in ${tx(statuses)} order by id for update`;
      return rows.map(toCampaign);
    },
    async edit(id, fields) {
      const rows = await tx<CampaignRow[]>`
        update campaign.campaigns set
          name = ${fields.name}, template_id = ${fields.templateId}, recurrence = ${fields.recurrence}, timezone = ${fields.timezone},
          start_at = ${fields.startAt}, end_at = ${fields.endAt}, audience = ${storedAudience(tx, fields.audience)},
          send_window = ${fields.sendWindow ? tx.json(fields.sendWindow) : null}, sender_ids = ${fields.senders}::uuid[],
          updated_at = now()
        where id = ${id}
        returning *`;
      return toCampaign(firstOrFail(rows, `campaign ${id}`));
    },
    async recordAudienceEstimate(id, estimate) {
      await tx`
        update campaign.campaigns set
          audience_count = ${estimate.audienceCount},
          estimated_cost = ${estimate.estimatedCost ? tx.json(estimate.estimatedCost as never) : null}
        where id = ${id}`;
    },
    async lastRun(id) {
      const [row] = await tx<Array<{ period_key: string; scheduled_for: Date }>>`
        select period_key, scheduled_for from campaign.runs where campaign_id = ${id} order by scheduled_for desc, created_at desc limit 1`;
      return row ? { periodKey: row.period_key, scheduledFor: row.scheduled_for } : null;
    },
  };
}

/**
 * The use cases' transactions in PostgreSQL. `onEventsWritten` runs after a commit that wrote outbox
 * rows, so the relay publishes them at once instead of at its next poll.
 */
export function createPostgresTransactions(sql: Sql, onEventsWritten: () => void = () => undefined): Transactions {
  return {
    async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
      let eventsWritten = 0;
      const result = await sql.begin(async (tx) => {
        const outbox: EventOutbox = {
          async add(event, payload) {
            await tx`insert into campaign.outbox (id, event, payload) values (${randomUUID()}, ${outboxEventName(event)}, ${tx.json(payload as never)})`;
            eventsWritten += 1;
          },
        };
        const scope: TransactionScope = {
          contacts: contactBook(tx),
          runs: runBook(tx),
          campaigns: campaignBook(tx),
          senders: senderBook(tx),
          outbox,
        };
        return work(scope);
      });
      if (eventsWritten > 0) onEventsWritten();
      // postgres.js types the result as if an array of promises were unwrapped; the use cases return none.
      return result as T;
    },
  };
}
