-- Batches of a CSV upload that is still arriving. Each batch is written in a statement of its own, so
-- a slow client holds no PostgreSQL connection while it sends; once the whole file is in, its batches
-- are applied to contacts in order in one transaction that also deletes them. Unlogged: a crash loses
-- only uploads that had not finished, and housekeeping deletes batches an interrupted upload left.
create unlogged table contact_import_batches (
  import_id uuid not null,
  batch integer not null,
  drafts jsonb not null,
  -- A file either has a tags column or not: a batch from one without keeps every contact's tags.
  keep_tags boolean not null,
  created_at timestamptz not null default now(),
  primary key (import_id, batch)
);

create index contact_import_batches_created_at on contact_import_batches (created_at);
