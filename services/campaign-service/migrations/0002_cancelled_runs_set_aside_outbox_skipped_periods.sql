-- An operator can cancel a run. Its counts still arrive with run.completed once the dispatcher has
-- finished the messages in flight, so a CANCELLED run keeps completed_at and counts as well.
alter table runs drop constraint runs_status_check;
alter table runs add constraint runs_status_check check (status in ('REQUESTED', 'COMPLETED', 'CANCELLED'));
alter table runs add column cancelled_at timestamptz;

-- A row the relay cannot publish (unknown event, invalid payload, or too many failed attempts) is set
-- aside with its error, so the rows behind it keep flowing and an alert names it.
alter table outbox add column attempts integer not null default 0;
alter table outbox add column last_error text;
alter table outbox add column set_aside_at timestamptz;
drop index outbox_unpublished;
create index outbox_unpublished on outbox (created_at) where published_at is null and set_aside_at is null;
create index outbox_set_aside on outbox (set_aside_at) where set_aside_at is not null and published_at is null;

-- The last period the scheduler skipped for a campaign, and why, as it reports it.
alter table campaigns add column last_skipped_period_key text;
alter table campaigns add column last_skipped_scheduled_for timestamptz;
alter table campaigns add column last_skipped_reason text;
alter table campaigns add column last_skipped_at timestamptz;
