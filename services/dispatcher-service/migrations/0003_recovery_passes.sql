-- After a NATS reconnect, one dispatcher replica (not every one) queues the PENDING messages of open
-- runs again: the first to claim the pass here does it, and no replica does another within the gap.
create table recovery_passes (
  reason text primary key,
  started_at timestamptz not null
);
