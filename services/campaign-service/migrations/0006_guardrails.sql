-- The admin's marketing guardrails: at most frequency_cap_max MARKETING messages per contact per rolling
-- frequency_cap_window_hours (both null: no cap, the default), and the calling codes that receive no
-- MARKETING templates (by default 1: Meta has not delivered marketing templates to US numbers since
-- 1 April 2025). One row at most; without it the defaults apply.
create table guardrail_settings (
  singleton boolean primary key default true check (singleton),
  frequency_cap_max integer check (frequency_cap_max > 0),
  frequency_cap_window_hours integer check (frequency_cap_window_hours > 0),
  blocked_calling_codes text[] not null default '{1}',
  updated_at timestamptz not null default now(),
  check ((frequency_cap_max is null) = (frequency_cap_window_hours is null))
);

-- When a campaign may reach people: { start, end, days } in the recipient's zone, else the campaign's.
alter table campaigns add column send_window jsonb;
