-- Status updates (DELIVERED, READ) are most of the writes to messages. With no index on status
-- (directly or in an index predicate) and room left in each page, PostgreSQL applies them as HOT
-- updates: no index entry is written for them at all.
alter table messages set (fillfactor = 80);

drop index messages_run_status;
create index messages_run on messages (run_id, id);

drop index messages_sending_lease;
-- lease_until is set only while a message is SENDING, so this finds expired leases without naming status.
create index messages_lease on messages (lease_until) where lease_until is not null;
