-- messages_window_waits (0006) named status in its predicate, which made every status update (SENT,
-- DELIVERED, READ) a non-HOT update again: PostgreSQL writes a new entry in every index of messages
-- when a column any index reads, predicate included, changes. The sweeper's query still says
-- status = 'PENDING'; the index only has to find the rows that wait, and waiting_reason is cleared
-- when a message is claimed, so the rows it holds beyond PENDING ones are few and filtered on read.
drop index messages_window_waits;
create index messages_window_waits on messages (next_attempt_at) where waiting_reason is not null;
