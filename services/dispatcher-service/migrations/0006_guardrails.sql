-- Marketing guardrails, applied where messages are claimed. Each run keeps the rules it was requested
-- under (run.requested carries them): the frequency cap, the calling codes
-- that receive no MARKETING templates, and the send window.
alter table runs
  add column frequency_cap_max integer check (frequency_cap_max > 0),
  add column frequency_cap_window interval,
  add column blocked_calling_codes text[] not null default '{}',
  -- { start, end, days, timezone }: the campaign's window and zone; null when the run has none.
  add column send_window jsonb;

alter table messages
  -- Copied from the run so the frequency cap counts a contact's MARKETING messages through one index.
  add column marketing boolean not null default false,
  -- When the message was first claimed for sending: the instant the frequency cap counts.
  add column claimed_at timestamptz,
  -- The contact's own IANA zone, when it has a valid one; else the send window's zone applies.
  add column timezone text,
  -- Why a PENDING message waits (outside_send_window); cleared when it is claimed.
  add column waiting_reason text;

alter table messages drop constraint messages_skip_reason_check;
alter table messages add constraint messages_skip_reason_check
  check (skip_reason in ('opted_out', 'contact_deleted', 'run_cancelled', 'frequency_capped', 'region_blocked'));

-- The cap counts one contact's MARKETING messages claimed within the window: an index range per contact.
create index messages_marketing_claims on messages (contact_id, claimed_at) where marketing and claimed_at is not null;
-- Messages held by a send window, found by the sweeper once their window opens.
create index messages_window_waits on messages (next_attempt_at) where waiting_reason is not null and status = 'PENDING';
