-- Messages that must not be sent end SKIPPED with the reason: the contact opted out or was deleted, or
-- the run was cancelled. SKIPPED is terminal and was never sent.
alter table messages drop constraint messages_status_check;
alter table messages add constraint messages_status_check
  check (status in ('PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED'));
alter table messages
  add column skip_reason text check (skip_reason in ('opted_out', 'contact_deleted', 'run_cancelled')),
  add column skipped_at timestamptz;

-- No message was SKIPPED before this migration, so 0 is every existing run's exact count.
alter table runs add column skipped integer not null default 0;
alter table runs add column cancelled_at timestamptz;
-- A cancel can arrive before the run's run.requested: the run is then recorded cancelled (and fanned out
-- with nothing to send) before its template is known.
alter table runs alter column template_id drop not null;

-- The campaign-service's latest word per contact. occurred_at orders the events, so an older one
-- arriving late changes nothing; a deletion is final for that contact id.
create table suppressions (
  contact_id text primary key,
  phone text not null,
  suppressed boolean not null,
  reason text not null check (reason in ('opted_out', 'contact_deleted')),
  occurred_at timestamptz not null,
  updated_at timestamptz not null default now()
);

create or replace function count_inserted_messages() returns trigger language plpgsql as $$
begin
  update dispatch.runs r
     set total = r.total + d.total, pending = r.pending + d.pending, failed = r.failed + d.failed, skipped = r.skipped + d.skipped
    from (select run_id,
                 count(*)::int as total,
                 (count(*) filter (where status = 'PENDING'))::int as pending,
                 (count(*) filter (where status = 'FAILED'))::int as failed,
                 (count(*) filter (where status = 'SKIPPED'))::int as skipped
            from new_rows group by run_id) d
   where r.id = d.run_id;
  return null;
end $$;

create or replace function count_message_transitions() returns trigger language plpgsql as $$
begin
  update dispatch.runs r
     set pending = r.pending + d.pending, sending = r.sending + d.sending, sent = r.sent + d.sent,
         delivered = r.delivered + d.delivered, read = r.read + d.read, failed = r.failed + d.failed,
         skipped = r.skipped + d.skipped
    from (select run_id,
                 sum(case when status = 'PENDING' then sign else 0 end)::int as pending,
                 sum(case when status = 'SENDING' then sign else 0 end)::int as sending,
                 sum(case when status = 'SENT' then sign else 0 end)::int as sent,
                 sum(case when status = 'DELIVERED' then sign else 0 end)::int as delivered,
                 sum(case when status = 'READ' then sign else 0 end)::int as read,
                 sum(case when status = 'FAILED' then sign else 0 end)::int as failed,
                 sum(case when status = 'SKIPPED' then sign else 0 end)::int as skipped
            from (select run_id, status, 1 as sign from new_rows
                  union all
                  select run_id, status, -1 as sign from old_rows) changes
           group by run_id) d
   where r.id = d.run_id
     and (d.pending, d.sending, d.sent, d.delivered, d.read, d.failed, d.skipped) <> (0, 0, 0, 0, 0, 0, 0);
  return null;
end $$;

-- Meta's status times are whole seconds, so a delivery could read as earlier than the send it follows.
-- Status updates now keep each time at or after the one before it; this repairs rows written earlier.
update messages
   set delivered_at = case when delivered_at is not null then greatest(delivered_at, sent_at) end,
       read_at = case when read_at is not null then greatest(read_at, delivered_at, sent_at) end,
       failed_at = case when failed_at is not null then greatest(failed_at, sent_at) end
 where delivered_at < sent_at or read_at < greatest(delivered_at, sent_at) or failed_at < sent_at;
