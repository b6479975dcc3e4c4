-- The sender numbers as the campaign-service states them (sender.changed): the newest version per number.
-- A number missing here sends as the dispatcher's configuration says (the default number before its
-- first sender.changed, or a number a run names before its event arrives).
create table senders (
  phone_number_id text primary key,
  -- Whose daily messaging limit the number shares (the business portfolio, else the WABA, else the number).
  portfolio_key text not null,
  mps integer not null check (mps > 0),
  -- Unique recipients per moving 24 hours for the portfolio; null: the configured default applies.
  messaging_limit integer check (messaging_limit > 0),
  state text not null check (state in ('ACTIVE', 'FLAGGED', 'RESTRICTED', 'DISABLED', 'DELETED')),
  reason text,
  version bigint not null,
  updated_at timestamptz not null default now()
);

-- The numbers a run spreads over ([{ phoneNumberId, weight }]); null: everything goes through runs.phone_number_id.
alter table runs add column senders jsonb;

-- Templates Meta paused or disabled: their PENDING messages are not claimed until Meta approves them again.
create table template_holds (
  template_name text not null,
  template_language text not null,
  -- Meta's event (PAUSED, DISABLED, PENDING_DELETION, DELETED) and its reason.
  event text not null,
  reason text,
  since timestamptz not null default now(),
  primary key (template_name, template_language)
);

-- What each number still has to send, for moving a stopped number's messages and for the per-number
-- activity. status already takes part in an index predicate (messages_window_waits), so this costs
-- no HOT update that was not already lost.
create index messages_unsent_by_number on messages (phone_number_id, status) where status in ('PENDING', 'SENDING');
