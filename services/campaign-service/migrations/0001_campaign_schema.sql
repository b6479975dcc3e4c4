-- The campaign-service's own tables; no other service reads them (gRPC and events only).

create table api_keys (
  id uuid primary key,
  name text not null,
  role text not null check (role in ('admin', 'operator', 'viewer')),
  -- SHA-256 of the whole key: keys are 256-bit random strings, so a fast hash is enough and lookups stay O(1).
  key_hash text not null unique,
  -- The first characters of the key, so an operator can tell keys apart without the secret.
  key_prefix text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table idempotency_keys (
  api_key_id uuid not null,
  key text not null,
  -- Hash of method, path and body; null while a streamed upload is still being read.
  fingerprint text,
  status_code integer,
  response_body text,
  created_at timestamptz not null default now(),
  primary key (api_key_id, key)
);
create index idempotency_keys_created_at on idempotency_keys (created_at);

create table contacts (
  id uuid primary key,
  phone text not null unique,
  name text,
  tags text[] not null default '{}',
  attributes jsonb not null default '{}',
  opted_out boolean not null default false,
  opted_out_at timestamptz,
  opt_out_reason text,
  -- When the latest preference event happened, so an older event arriving late never undoes a newer one.
  preference_changed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index contacts_tags on contacts using gin (tags);
create index contacts_eligible on contacts (id) where not opted_out;

create table templates (
  id uuid primary key,
  name text not null,
  language text not null,
  category text not null check (category in ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
  status text not null check (status in ('APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED')),
  parameter_format text not null check (parameter_format in ('POSITIONAL', 'NAMED')),
  components jsonb not null,
  variables jsonb not null default '{}',
  meta_template_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (name, language)
);

create table campaigns (
  id uuid primary key,
  name text not null,
  template_id uuid not null references templates (id) on delete restrict,
  status text not null check (status in ('DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELLED')),
  recurrence text not null check (recurrence in ('ONCE', 'DAILY', 'WEEKLY', 'MONTHLY')),
  timezone text not null,
  start_at timestamptz not null,
  end_at timestamptz,
  audience_tags text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (end_at is null or end_at > start_at)
);
create index campaigns_status on campaigns (status, id);
create index campaigns_created on campaigns (created_at desc, id desc);

create table runs (
  id uuid primary key,
  campaign_id uuid not null references campaigns (id) on delete cascade,
  template_id uuid not null,
  period_key text not null,
  scheduled_for timestamptz not null,
  status text not null check (status in ('REQUESTED', 'COMPLETED')),
  counts jsonb,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  -- One run per period, however often and concurrently CreateRun is called.
  unique (campaign_id, period_key)
);
create index runs_by_campaign on runs (campaign_id, scheduled_for desc, id desc);

-- Events written in the same transaction as the state they announce; the relay publishes them.
create table outbox (
  id uuid primary key,
  event text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  published_at timestamptz
);
create index outbox_unpublished on outbox (created_at) where published_at is null;

-- One row: the scheduler's last reported pass, so every replica exposes the same metric.
create table scheduler_health (
  id integer primary key default 1 check (id = 1),
  last_pass_at timestamptz not null,
  last_success_at timestamptz,
  last_report jsonb not null
);
