-- The operator's overview counts the last day's messages by created_at and buckets the last hour's
-- sends by sent_at across every run; without these both would read the whole table every 30 seconds.
create index messages_created on messages (created_at);
create index messages_sent on messages (sent_at) where sent_at is not null;
