import type { PendingQuery, Row } from 'postgres';
import type { Sql, TransactionSql } from '@ektola/platform/postgres';

type Fragment = PendingQuery<Row[]>;

/**
 * Whether a contact has had `max` MARKETING messages claimed within `window` before now, across all
 * campaigns (the message `exceptId` aside: the one being judged). Read through messages_contact: the
 * contact's kept messages, filtered on the row and stopped after `max` matches. No index names
 * claimed_at, so a claim stays a HOT update (migration 0016). What counts is a claim that may have
 * reached the contact: SENDING, SENT, DELIVERED and READ (not FAILED or SKIPPED).
 */
export const reachedFrequencyCap = (
  sql: Sql | TransactionSql,
  cap: { contactId: Fragment; window: Fragment; max: Fragment; exceptId?: Fragment },
) => sql`
  (select count(*) from (select 1 from dispatch.messages p
                          where p.contact_id = ${cap.contactId} and p.marketing and p.claimed_at > now() - ${cap.window}
                            and p.status in ('SENDING', 'SENT', 'DELIVERED', 'READ')
                            ${cap.exceptId ? sql`and p.id <> ${cap.exceptId}` : sql``}
                          limit ${cap.max}) counted) >= ${cap.max}`;
