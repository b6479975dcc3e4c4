-- A campaign's audience is an object (tags, conditions, a saved segment), kept as written so a segment
-- it names is resolved when a run is created, not when the campaign was saved.
alter table campaigns add column audience jsonb not null default '{}';
update campaigns set audience = jsonb_build_object('tags', to_jsonb(audience_tags));
alter table campaigns drop column audience_tags;
-- What activation measured: the audience's size after exclusions and its estimated cost, as of then.
alter table campaigns add column audience_count integer;
alter table campaigns add column estimated_cost jsonb;

create table segments (
  id uuid primary key,
  name text not null,
  audience jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index segments_created on segments (created_at desc, id desc);
-- Who names a segment (a campaign or another segment) is found by containment, so deleting one in use is refused.
create index campaigns_audience on campaigns using gin (audience jsonb_path_ops);
create index segments_audience on segments using gin (audience jsonb_path_ops);

-- Conditions on attributes: equality becomes containment, which this index answers.
create index contacts_attributes on contacts using gin (attributes jsonb_path_ops);
create index contacts_created_at on contacts (created_at);

-- CSV attributes are text: a value compares as a number or a time only when it reads as one, and never raises.
create function attribute_number(value text) returns numeric
language sql immutable parallel safe
as $$
  select case when value ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,4})?\s*$' then value::numeric end
$$;

-- A date, or a date and time with an optional offset (the session's zone otherwise). The pattern
-- admits only real months, hours and minutes, and the day is checked against the month's length
-- before the cast, so it can never raise; one expression, so PostgreSQL inlines it into a parallel scan.
create function attribute_time(value text) returns timestamptz
language sql stable parallel safe
as $$
  select case when value ~ '^ *[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)? *$'
    then case when substr(btrim(value), 9, 2)::int <= extract(day from
        make_date(substr(btrim(value), 1, 4)::int, substr(btrim(value), 6, 2)::int, 1) + interval '1 month - 1 day')
      then value::timestamptz end
  end
$$;

-- Contacts a re-targeted audience takes from a run, as the dispatcher streams them: written in batches
-- for one evaluation, joined in SQL, deleted when it ends. Unlogged: a crash loses only evaluations in
-- flight, and housekeeping deletes sets an interrupted one left.
create unlogged table run_recipient_sets (
  set_id uuid not null,
  contact_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (set_id, contact_id)
);
create index run_recipient_sets_created_at on run_recipient_sets (created_at);
