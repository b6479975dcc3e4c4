-- The admin's rate card: what Meta charges per billable message, by category and country calling code,
-- with a default per category. One row at most; prices are kept as the admin wrote them.
create table rate_card (
  singleton boolean primary key default true check (singleton),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  default_prices jsonb not null,
  prices_by_calling_code jsonb not null default '{}',
  updated_at timestamptz not null default now()
);
