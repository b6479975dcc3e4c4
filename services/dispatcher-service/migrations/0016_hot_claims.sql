-- A claim (PENDING → SENDING) changes status, attempts, claimed_at, lease_until and updated_at. Two
-- indexes named claim columns, messages_lease (lease_until) and messages_marketing_claims (claimed_at),
-- so no claim could be a HOT update: each wrote a new entry into every index of messages (about eight).
-- Writing 20,000 claims in steps of 100 cost the backend 38-55 µs of CPU per message with those two
-- indexes and 11-18 µs without them (four alternating runs here).
--
-- Reconciliation still has to find the leases that ran out. It now finds them here: every statement
-- that gives messages a lease records it, one row per lease time with the ids it covers, from the
-- statement's own transition table (below), so no writer can forget to. A row goes once none of its
-- messages is SENDING under it any more.
create table leases (
  id bigint generated always as identity primary key,
  lease_until timestamptz not null,
  message_ids uuid[] not null
);

create index leases_expiry on leases (lease_until);

insert into leases (lease_until, message_ids)
select lease_until, array_agg(id) from messages where status = 'SENDING' and lease_until is not null group by lease_until;

create function record_inserted_leases() returns trigger language plpgsql as $$
begin
  insert into dispatch.leases (lease_until, message_ids)
  select lease_until, array_agg(id) from new_rows
   where status = 'SENDING' and lease_until is not null
   group by lease_until;
  return null;
end $$;

-- Only a lease that changed: a status or a result leaves it as it was or clears it.
create function record_changed_leases() returns trigger language plpgsql as $$
begin
  insert into dispatch.leases (lease_until, message_ids)
  select n.lease_until, array_agg(n.id) from new_rows n
   where n.status = 'SENDING' and n.lease_until is not null
     and not exists (select 1 from old_rows o where o.id = n.id and o.lease_until = n.lease_until)
   group by n.lease_until;
  return null;
end $$;

create trigger messages_leases_on_insert after insert on messages
  referencing new table as new_rows for each statement execute function record_inserted_leases();
create trigger messages_leases_on_update after update on messages
  referencing old table as old_rows new table as new_rows for each statement execute function record_changed_leases();

drop index messages_lease;

-- The frequency cap reads a contact's claims through messages_contact (contact_id, created_at, id): a
-- contact's kept messages, a handful a month for most, are read and filtered on the row.
drop index messages_marketing_claims;
