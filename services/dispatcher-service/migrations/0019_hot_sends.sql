-- The send's result, SENDING → SENT with Meta's wamid, was the one write of every message that could not
-- be a HOT update: it set wamid and sent_at, both indexed (messages_wamid, messages_sent), and turned the
-- generated `unsent` false (messages_unsent_by_number). So each wrote a new entry into every index of
-- messages. Writing 100,000 SENT results in steps of 100 took 4.2-6.5 s with those three indexes and
-- 2.3 s without them with this table written beside, and 1,540 bytes of WAL per message against 995.
--
-- The lookups those indexes served read this narrow table instead: a status or a reply naming a wamid
-- (when Meta did not echo our id), and the sends of the last minute or hour. It mirrors, for every
-- message that has a wamid, its wamid, its number and its send time (null for a wamid that came with a
-- failure). Statement-level triggers fill it from each statement's own rows, as they do the leases
-- (0016), so no writer can forget to: nor the pods of the release before this one, which keep writing
-- SENT results while this release rolls out.
create table sends (
  wamid text primary key,
  message_id uuid not null,
  phone_number_id text not null,
  sent_at timestamptz
);

create index sends_sent on sends (sent_at) where sent_at is not null;

create function record_inserted_sends() returns trigger language plpgsql as $$
begin
  insert into dispatch.sends (wamid, message_id, phone_number_id, sent_at)
  select wamid, id, phone_number_id, sent_at from new_rows where wamid is not null
  on conflict (wamid) do update set message_id = excluded.message_id, phone_number_id = excluded.phone_number_id,
                                    sent_at = excluded.sent_at;
  return null;
end $$;

-- Only what changed, found by hashed set differences (as the leases, 0018): a claim's rows have no
-- wamid yet, and a status leaves a sent message's wamid, number and send time as they were.
create function record_changed_sends() returns trigger language plpgsql as $$
begin
  insert into dispatch.sends as s (wamid, message_id, phone_number_id, sent_at)
  select wamid, id, phone_number_id, sent_at
    from (select id, wamid, phone_number_id, sent_at from new_rows where wamid is not null
          except
          select id, wamid, phone_number_id, sent_at from old_rows where wamid is not null) changed
  on conflict (wamid) do update set message_id = excluded.message_id, phone_number_id = excluded.phone_number_id,
                                    sent_at = excluded.sent_at;
  -- A wamid no longer on its message (sent again after Meta's 131049): the message is found by its new one.
  delete from dispatch.sends s
   using (select wamid from old_rows where wamid is not null
          except
          select wamid from new_rows where wamid is not null) replaced
   where s.wamid = replaced.wamid;
  return null;
end $$;

-- Created before the rows are copied: each takes a lock that makes writers of messages wait until this
-- migration commits, so no wamid is written between the copy and the triggers.
create trigger messages_sends_on_insert after insert on messages
  referencing new table as new_rows for each statement execute function record_inserted_sends();
create trigger messages_sends_on_update after update on messages
  referencing old table as old_rows new table as new_rows for each statement execute function record_changed_sends();

insert into sends (wamid, message_id, phone_number_id, sent_at)
select wamid, id, phone_number_id, sent_at from messages where wamid is not null;

-- Dropping an index leaves the queries of the release before working (by scanning), so it goes now.
-- `unsent` itself stays until a later release: those pods still read it while this one rolls out, and
-- with no index on it, it keeps no write from being HOT.
drop index messages_wamid;
drop index messages_sent;
drop index messages_unsent_by_number;
