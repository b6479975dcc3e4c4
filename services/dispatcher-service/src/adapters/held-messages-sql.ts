import type { PendingQuery, Row } from 'postgres';
import type { Sql, TransactionSql } from '@ektola/platform/postgres';

type Fragment = PendingQuery<Row[]>;

/**
 * Why a message of this number and template must wait (null when it may go): its number does not send
 * (RESTRICTED, DISABLED, DELETED in the sender.changed projection; a number missing there sends), or
 * Meta holds its template (paused, disabled). Two primary-key probes of small tables per message.
 */
export const heldReason = (
  sql: Sql | TransactionSql,
  message: { phoneNumberId: Fragment; templateName: Fragment; templateLanguage: Fragment },
) => sql`
  case when exists (select 1 from dispatch.senders s
                     where s.phone_number_id = ${message.phoneNumberId} and s.state not in ('ACTIVE', 'FLAGGED'))
         then 'sender_unavailable'
       when exists (select 1 from dispatch.template_holds h
                     where h.template_name = ${message.templateName} and h.template_language = ${message.templateLanguage})
         then 'template_paused'
  end`;

/** heldReason for a row of dispatch.messages aliased `m`. */
export const heldReasonOfMessage = (sql: Sql | TransactionSql) =>
  heldReason(sql, {
    phoneNumberId: sql`m.phone_number_id`,
    templateName: sql`m.template_name`,
    templateLanguage: sql`m.template_language`,
  });
