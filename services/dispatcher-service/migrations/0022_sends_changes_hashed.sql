-- record_changed_sends (0020) joined each statement's new rows to its old ones by id. A PL/pgSQL
-- function plans each of its statements once per connection and keeps that plan, and the planner
-- sizes a transition table by the statement it first sees. When a connection's first update of
-- messages moved one row, the join was planned as a nested loop over the old rows and kept: each later
-- statement on that connection compared every new row with every old one, 4,000,000 comparisons for a
-- status batch of 2,000 (313 ms where a hash join takes 0.7). In `npm run bench` this statement took
-- 12.4 s of the database's time over 100,000 messages (pg_stat_statements), more than any other but
-- the status statement that fires it.
--
-- Set differences (as the leases, 0018) are hashed or sorted whatever size they were planned for, so
-- the changed sends are found as the first release of this table found them: the new versions that no
-- old version matches, and the wamids no new version keeps. On a copy, 20 batches of 1,000 messages
-- each claimed, sent, delivered and read: 7.6 ms of this trigger per 1,000 messages whatever the
-- connection saw first, against 8.8 ms for the join at its best and 316 ms at its worst.
create or replace function record_changed_sends() returns trigger language plpgsql as $$
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
