-- message.status_changed owed for the transitions nothing announces again after a crash: a SKIPPED
-- (claim, suppression, cancellation, fan-out) and a FAILED written by the dispatcher itself (the Cloud
-- API's answer, an unknown outcome abandoned at claim). The statement that moves the messages inserts
-- these rows; the relay publishes them and deletes them once JetStream acknowledged the publish.
-- Each row is a copy of what the event carries, so retention may prune the message meanwhile.
create table status_announcements (
  id bigint generated always as identity primary key,
  -- The statement that wrote the rows, and the event of up to 200 rows each belongs to: the relay
  -- publishes the same chunks again after a crash, under the same msgId, and JetStream stores them once.
  batch uuid not null,
  chunk integer not null,
  message_id uuid not null,
  run_id uuid not null,
  campaign_id uuid not null,
  contact_id text not null,
  phone text not null,
  status text not null,
  at timestamptz not null,
  wamid text,
  error_code integer,
  error_title text,
  skip_reason text,
  created_at timestamptz not null default now()
);

create index status_announcements_chunks on status_announcements (batch, chunk);
