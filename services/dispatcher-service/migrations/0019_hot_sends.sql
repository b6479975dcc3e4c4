-- The send's result, SENDING → SENT with Meta's wamid, was the one write of every message that could not
-- be a HOT update: it set wamid and sent_at, both indexed (messages_wamid, messages_sent), and turned the
-- generated `unsent` false (messages_unsent_by_number). So each wrote a new entry into every index of
-- messages. Writing 100,000 SENT results in steps of 100 took 4.2-6.5 s with those three indexes and
-- 2.3 s without them with this table written beside, and 1,540 bytes of WAL per message against 995.
--
-- The lookups those indexes served read this narrow table instead: a status or a reply naming a wamid
-- (when Meta did not echo our id), and the sends of the last minute or hour. Every statement that gives a
-- message its wamid writes its row here in the same statement. `sent_at` is null for a wamid that came
-- with a failure (never SENT).
create table sends (
  wamid text primary key,
  message_id uuid not null,
  phone_number_id text not null,
  sent_at timestamptz
);

create index sends_sent on sends (sent_at) where sent_at is not null;

insert into sends (wamid, message_id, phone_number_id, sent_at)
select wamid, id, phone_number_id, sent_at from messages where wamid is not null;

drop index messages_wamid;
drop index messages_sent;

-- What a number still has to send is counted over the open runs' messages (messages_run), when an
-- operator asks or a number changes; no index follows it through every send any more.
drop index messages_unsent_by_number;
alter table messages drop column unsent;
