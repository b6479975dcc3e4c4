-- The endpoints a business subscribed. The secret signs every delivery; after a rotation the previous
-- one signs beside it until previous_secret_expires_at, so receivers can move over without a gap.
create table endpoints (
  id uuid primary key,
  url text not null,
  description text not null default '',
  events text[] not null,
  enabled boolean not null default true,
  -- Set when the service disabled the endpoint itself: 'gone' (a 410) or 'failing' (failing for days).
  disabled_reason text,
  secret text not null,
  previous_secret text,
  previous_secret_expires_at timestamptz,
  -- The first failure since the last success; an endpoint failing for CALLBACKS_DISABLE_AFTER is disabled.
  failing_since timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Each callback event once, with the exact body every endpoint receives: the id is derived from the
-- JetStream event it came from, so a redelivered event maps to the same row and the same id.
create table events (
  id text primary key,
  type text not null,
  body text not null,
  created_at timestamptz not null default now()
);

-- The outbox: one row per (endpoint, event), written in the transaction that records the event and
-- before the JetStream message is acknowledged.
create table deliveries (
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references endpoints (id) on delete cascade,
  event_id text not null references events (id),
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  attempt_count integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- A claimed delivery belongs to one worker until then; a worker that died leaves it to the next.
  lease_until timestamptz,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  unique (endpoint_id, event_id)
);

create index deliveries_due on deliveries (next_attempt_at) where status = 'pending';
-- The claim reads each endpoint's oldest due deliveries, up to the room that endpoint has.
create index deliveries_due_by_endpoint on deliveries (endpoint_id, next_attempt_at, id) where status = 'pending';
create index deliveries_by_endpoint on deliveries (endpoint_id, id);
create index deliveries_event on deliveries (event_id);
-- Retention: finished deliveries by age.
create index deliveries_finished on deliveries (completed_at) where status <> 'pending';
create index events_created on events (created_at);

create table attempts (
  delivery_id uuid not null references deliveries (id) on delete cascade,
  attempted_at timestamptz not null,
  -- null when no answer came: a timeout, a refused connection or a refused address.
  http_status integer,
  latency_ms integer not null,
  error text
);

create index attempts_by_delivery on attempts (delivery_id, attempted_at);
