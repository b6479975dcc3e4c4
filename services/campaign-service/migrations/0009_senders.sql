-- The business phone numbers EkTola sends from, as Meta last described them (GET /{phone-number-id})
-- and as its webhooks changed them since. `state` is Meta's word (ACTIVE, FLAGGED, RESTRICTED); the
-- operator's switch is `enabled`, and the API shows a switched-off number as DISABLED whatever Meta says,
-- so switching it back on returns to Meta's state.
create table senders (
  id uuid primary key,
  phone_number_id text not null unique,
  waba_id text,
  portfolio_id text,
  label text,
  -- Digits only, as Meta's webhooks name the number.
  display_phone_number text,
  verified_name text,
  quality_rating text,
  -- STANDARD (80 messages per second) or HIGH (1,000); meta_mps is what the level allows.
  throughput_level text,
  meta_mps integer not null check (meta_mps > 0),
  -- As Meta spells it (TIER_250 … TIER_UNLIMITED) and as a count of unique recipients per 24 hours (null: unlimited or unknown).
  messaging_limit_tier text,
  messaging_limit integer check (messaging_limit > 0),
  name_status text,
  meta_status text,
  enabled boolean not null default true,
  mps_cap integer check (mps_cap > 0),
  state text not null default 'ACTIVE' check (state in ('ACTIVE', 'FLAGGED', 'RESTRICTED')),
  state_reason text,
  state_changed_at timestamptz,
  is_default boolean not null default false,
  version bigint not null default 0,
  refreshed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- At most one default sender: the environment's WHATSAPP_PHONE_NUMBER_ID.
create unique index senders_one_default on senders (is_default) where is_default;
-- Meta's number updates name a display number within a WABA.
create index senders_display on senders (display_phone_number);
create index senders_created on senders (created_at desc, id desc);

-- The senders a campaign spreads its messages over, in the operator's order; empty: the default sender.
alter table campaigns add column sender_ids uuid[] not null default '{}';
create index campaigns_sender_ids on campaigns using gin (sender_ids);
