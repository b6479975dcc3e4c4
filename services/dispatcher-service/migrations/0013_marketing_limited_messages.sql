-- The messages Meta refused for the per-user marketing limit (131049) and that the schedule may still try
-- again, found per run: a run must not complete between the FAILED write and the move back to PENDING.
create index messages_marketing_limited on messages (run_id) where status = 'FAILED' and error_code = 131049;
