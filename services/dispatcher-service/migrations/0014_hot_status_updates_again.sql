-- DELIVERED and READ are two of the three writes every sent message takes after its send, and they
-- change nothing but its status, times and pricing. PostgreSQL writes such an update as a HOT update
-- (a new row version on the same page, no index entry at all) only when no index names a changed
-- column, in its key or its predicate. 0002 made it so; since then three indexes named status again,
-- so every status wrote a new entry into each of the table's indexes (about ten). The same indexes,
-- without status: `unsent` follows status by itself and changes only where a row leaves or re-enters
-- PENDING/SENDING, a write that changes indexed columns anyway (wamid, lease_until, claimed_at).
-- Adding a stored column rewrites the table under an exclusive lock: the dispatchers' statements wait
-- for it (7.4 s for a million messages here, indexes rebuilt included), then go on where they were.
alter table messages add column unsent boolean generated always as (status in ('PENDING', 'SENDING')) stored;

drop index messages_unsent_by_number;
create index messages_unsent_by_number on messages (phone_number_id) where unsent;

-- waiting_reason is cleared when a message is claimed, so a waiting message is a PENDING one; the
-- queries still check status on the row.
drop index messages_window_waits;
create index messages_window_waits on messages (next_attempt_at) where waiting_reason is not null;

-- 131049 is kept while the message waits to be sent again and after; the query checks status on the row.
drop index messages_marketing_limited;
create index messages_marketing_limited on messages (run_id) where error_code = 131049;
