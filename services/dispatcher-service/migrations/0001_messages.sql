-- Runs the dispatcher fanned out, with their progress kept as counters so progress never needs a
-- count(*) over a run's messages. Triggers on messages keep the counters exact (see below).
create table runs (
  id uuid primary key,
  campaign_id uuid not null,
  template_id uuid not null,
  phone_number_id text not null,
  -- The last contact whose message is stored and queued: a redelivered run.requested resumes here.
  fanout_cursor text,
  fanout_done_at timestamptz,
  total integer not null default 0,
  pending integer not null default 0,
  sending integer not null default 0,
  sent integer not null default 0,
  delivered integer not null default 0,
  read integer not null default 0,
  failed integer not null default 0,
  completed_at timestamptz,
  -- run.completed is published after the completion commits; the sweeper finishes a publish a crash cut short.
  completion_published boolean not null default false,
  created_at timestamptz not null default now()
);

create index runs_open on runs (id) where completed_at is null;
create index runs_unpublished on runs (id) where completed_at is not null and not completion_published;

-- One row per (run, contact), carrying everything a send needs so the hot path reads nothing else.
create table messages (
  id uuid primary key,
  run_id uuid not null references runs (id),
  campaign_id uuid not null,
  contact_id text not null,
  phone text not null,
  phone_number_id text not null,
  template_name text not null,
  template_language text not null,
  components jsonb not null,
  status text not null check (status in ('PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED')),
  wamid text,
  -- Increases when a send is claimed; a result is written only by the claim that made it.
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  -- While SENDING: after this instant the outcome counts as unknown and reconciliation may resend.
  lease_until timestamptz,
  error_code integer,
  error_message text,
  dead_letter_pending boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  unique (run_id, contact_id)
);

create unique index messages_wamid on messages (wamid) where wamid is not null;
create index messages_run_status on messages (run_id, status, id);
create index messages_sending_lease on messages (lease_until) where status = 'SENDING';
create index messages_dead_letters on messages (id) where dead_letter_pending;

create function count_inserted_messages() returns trigger language plpgsql as $$
begin
  update dispatch.runs r
     set total = r.total + d.total, pending = r.pending + d.pending, failed = r.failed + d.failed
    from (select run_id,
                 count(*)::int as total,
                 (count(*) filter (where status = 'PENDING'))::int as pending,
                 (count(*) filter (where status = 'FAILED'))::int as failed
            from new_rows group by run_id) d
   where r.id = d.run_id;
  return null;
end $$;

-- One update of each touched run per statement, whatever the statement's size.
create function count_message_transitions() returns trigger language plpgsql as $$
begin
  update dispatch.runs r
     set pending = r.pending + d.pending, sending = r.sending + d.sending, sent = r.sent + d.sent,
         delivered = r.delivered + d.delivered, read = r.read + d.read, failed = r.failed + d.failed
    from (select run_id,
                 sum(case when status = 'PENDING' then sign else 0 end)::int as pending,
                 sum(case when status = 'SENDING' then sign else 0 end)::int as sending,
                 sum(case when status = 'SENT' then sign else 0 end)::int as sent,
                 sum(case when status = 'DELIVERED' then sign else 0 end)::int as delivered,
                 sum(case when status = 'READ' then sign else 0 end)::int as read,
                 sum(case when status = 'FAILED' then sign else 0 end)::int as failed
            from (select run_id, status, 1 as sign from new_rows
                  union all
                  select run_id, status, -1 as sign from old_rows) changes
           group by run_id) d
   where r.id = d.run_id
     and (d.pending, d.sending, d.sent, d.delivered, d.read, d.failed) <> (0, 0, 0, 0, 0, 0);
  return null;
end $$;

create trigger messages_counted_on_insert after insert on messages
  referencing new table as new_rows for each statement execute function count_inserted_messages();
create trigger messages_counted_on_update after update on messages
  referencing old table as old_rows new table as new_rows for each statement execute function count_message_transitions();

-- What holds a sender number back, shared by every replica.
create table numbers (
  phone_number_id text primary key,
  blocked_until timestamptz,
  blocked_code integer,
  blocked_message text,
  -- Meta answered 130429: the whole number waits this long before the next send.
  paused_until timestamptz,
  -- The daily tier is exhausted until this instant.
  tier_resumes_at timestamptz
);

-- Tokens handed out per time slot. Unlogged: losing it in a database crash only forgets the last second.
create unlogged table rate_slots (
  phone_number_id text not null,
  slot bigint not null,
  used integer not null,
  primary key (phone_number_id, slot)
);

-- Grants up to p_want sends in the earliest of the current and the next p_lookahead slots that has room,
-- such that no p_window_slots consecutive slots together exceed p_mps (every window the slot belongs to
-- is checked, so granting a slot ahead never overfills a window another grant already counted on).
-- The number's row lock serialises replicas; the database clock is the one clock they share. Returns
-- what was granted and, in milliseconds from now, when its slot starts and ends (when nothing was
-- granted: how long to wait before asking again).
create function lease_tokens(p_number text, p_want integer, p_mps integer, p_slot_ms integer, p_window_slots integer, p_slot_cap integer, p_lookahead integer)
returns table (granted integer, starts_in_ms integer, ends_in_ms integer) language plpgsql as $$
declare
  v_paused timestamptz;
  v_now_ms bigint;
  v_slot bigint;
  v_candidate bigint;
  v_offset integer;
  v_current integer;
  v_fullest integer;
  v_grant integer;
begin
  select paused_until into v_paused from dispatch.numbers where phone_number_id = p_number for update;
  if not found then
    insert into dispatch.numbers (phone_number_id) values (p_number) on conflict do nothing;
    select paused_until into v_paused from dispatch.numbers where phone_number_id = p_number for update;
  end if;
  if v_paused is not null and v_paused > clock_timestamp() then
    return query select 0, 0, greatest(1, ceil(extract(epoch from v_paused - clock_timestamp()) * 1000))::int;
    return;
  end if;
  v_now_ms := floor(extract(epoch from clock_timestamp()) * 1000);
  v_slot := v_now_ms / p_slot_ms;
  for v_offset in 0 .. p_lookahead loop
    v_candidate := v_slot + v_offset;
    select coalesce(sum(used), 0) into v_current
      from dispatch.rate_slots where phone_number_id = p_number and slot = v_candidate;
    select coalesce(max(window_sum), 0) into v_fullest
      from (select (select coalesce(sum(used), 0) from dispatch.rate_slots
                     where phone_number_id = p_number and slot > window_end - p_window_slots and slot <= window_end) as window_sum
              from generate_series(v_candidate, v_candidate + p_window_slots - 1) as window_end) windows;
    v_grant := greatest(0, least(p_want, p_mps - v_fullest, p_slot_cap - v_current));
    if v_grant > 0 then
      insert into dispatch.rate_slots (phone_number_id, slot, used) values (p_number, v_candidate, v_grant)
      on conflict (phone_number_id, slot) do update set used = dispatch.rate_slots.used + excluded.used;
      return query select v_grant, greatest(0, v_candidate * p_slot_ms - v_now_ms)::int, ((v_candidate + 1) * p_slot_ms - v_now_ms)::int;
      return;
    end if;
  end loop;
  return query select 0, 0, greatest(1, (v_slot + 1) * p_slot_ms - v_now_ms)::int;
end $$;

-- Unique recipients per moving 24 hours: who counts, and how many started counting in each hour.
create table tier_recipients (
  phone_number_id text not null,
  phone text not null,
  counted_at timestamptz not null,
  primary key (phone_number_id, phone)
);

create table tier_hours (
  phone_number_id text not null,
  hour timestamptz not null,
  recipients integer not null,
  primary key (phone_number_id, hour)
);

-- Admits the phones that fit in the tier: ones already counted in the last 24 hours are free, new ones
-- while the window has room. Hour buckets are summed over 25 hours, so the window is never undercounted.
create function reserve_recipients(p_number text, p_phones text[], p_limit integer)
returns table (admitted text[], resumes_at timestamptz) language plpgsql as $$
declare
  v_known text[];
  v_new text[];
  v_used integer;
  v_granted text[];
  v_hour timestamptz := date_trunc('hour', clock_timestamp());
begin
  perform pg_advisory_xact_lock(hashtext('ektola.tier.' || p_number));
  select coalesce(array_agg(phone), '{}') into v_known
    from dispatch.tier_recipients
   where phone_number_id = p_number and phone = any(p_phones) and counted_at > clock_timestamp() - interval '24 hours';
  select coalesce(array_agg(distinct p), '{}') into v_new from unnest(p_phones) p where not (p = any(v_known));
  select coalesce(sum(recipients), 0) into v_used
    from dispatch.tier_hours where phone_number_id = p_number and hour >= v_hour - interval '24 hours';
  v_granted := v_new[1:greatest(0, p_limit - v_used)];
  if cardinality(v_granted) > 0 then
    insert into dispatch.tier_recipients (phone_number_id, phone, counted_at)
    select p_number, p, clock_timestamp() from unnest(v_granted) p
    on conflict (phone_number_id, phone) do update set counted_at = excluded.counted_at;
    insert into dispatch.tier_hours (phone_number_id, hour, recipients) values (p_number, v_hour, cardinality(v_granted))
    on conflict (phone_number_id, hour) do update set recipients = dispatch.tier_hours.recipients + excluded.recipients;
  end if;
  if cardinality(v_granted) < cardinality(v_new) then
    return query select v_known || v_granted,
      (select min(hour) + interval '25 hours' from dispatch.tier_hours
        where phone_number_id = p_number and hour >= v_hour - interval '24 hours' and recipients > 0);
  else
    return query select v_known || v_granted, null::timestamptz;
  end if;
end $$;
