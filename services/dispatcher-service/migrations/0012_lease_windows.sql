-- lease_tokens with the same grants, computed from one read: every slot a candidate's windows reach is
-- read once into an array, and each candidate's windows are summed by sliding along it. The first
-- version summed every window with its own subquery, (lookahead + 1) × window_slots of them per lease,
-- each over window_slots rows: at 50 ms slots that was most of PostgreSQL's CPU per message sent.
create or replace function lease_tokens(p_number text, p_want integer, p_mps integer, p_slot_ms integer, p_window_slots integer, p_slot_cap integer, p_lookahead integer)
returns table (granted integer, starts_in_ms integer, ends_in_ms integer) language plpgsql as $$
declare
  v_paused timestamptz;
  v_now_ms bigint;
  v_slot bigint;
  -- v_used[1] is slot v_first: the earliest slot in a window of the current slot.
  v_first bigint;
  v_used integer[];
  v_row record;
  v_offset integer;
  v_at integer;
  v_end integer;
  v_sum integer;
  v_fullest integer;
  v_grant integer;
begin
  select paused_until into v_paused from dispatch.numbers where phone_number_id = p_number for update;
  if not found then
    insert into dispatch.numbers (phone_number_id) values (p_number) on conflict do nothing;
    select paused_until into v_paused from dispatch.numbers where phone_number_id = p_number for update;
  end if;
  if v_paused is not null and v_paused > clock_timestamp() then
    return query select 0, 0, greatest(1, ceil(extract(epoch from v_paused - clock_timestamp()) * 1000))::int;
    return;
  end if;
  v_now_ms := floor(extract(epoch from clock_timestamp()) * 1000);
  v_slot := v_now_ms / p_slot_ms;
  v_first := v_slot - p_window_slots + 1;
  v_used := array_fill(0, array[p_lookahead + 2 * p_window_slots - 1]);
  for v_row in
    select slot, used from dispatch.rate_slots
     where phone_number_id = p_number and slot between v_first and v_first + p_lookahead + 2 * p_window_slots - 2
  loop
    v_used[v_row.slot - v_first + 1] := v_row.used;
  end loop;
  for v_offset in 0 .. p_lookahead loop
    -- The candidate slot's index; its windows end at it and at each of the window_slots - 1 after it.
    v_at := p_window_slots + v_offset;
    v_sum := 0;
    for v_end in v_at - p_window_slots + 1 .. v_at loop
      v_sum := v_sum + v_used[v_end];
    end loop;
    v_fullest := v_sum;
    for v_end in v_at + 1 .. v_at + p_window_slots - 1 loop
      v_sum := v_sum + v_used[v_end] - v_used[v_end - p_window_slots];
      v_fullest := greatest(v_fullest, v_sum);
    end loop;
    v_grant := greatest(0, least(p_want, p_mps - v_fullest, p_slot_cap - v_used[v_at]));
    if v_grant > 0 then
      insert into dispatch.rate_slots (phone_number_id, slot, used) values (p_number, v_slot + v_offset, v_grant)
      on conflict (phone_number_id, slot) do update set used = dispatch.rate_slots.used + excluded.used;
      return query select v_grant, greatest(0, (v_slot + v_offset) * p_slot_ms - v_now_ms)::int,
                          ((v_slot + v_offset + 1) * p_slot_ms - v_now_ms)::int;
      return;
    end if;
  end loop;
  return query select 0, 0, greatest(1, (v_slot + 1) * p_slot_ms - v_now_ms)::int;
end $$;
