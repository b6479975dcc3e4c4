-- The foreign key from messages to runs checked every inserted message on its own: a query per row
-- (SELECT … FROM runs … FOR KEY SHARE) run by PostgreSQL's referential-integrity trigger. On a copy,
-- storing 60,000 messages in fan-out batches of 1,000 took 14.4-15.2 µs a row with it and 11.6-12.3
-- without, a fifth of the fan-out's insert. What it guarded is guarded once per statement instead:
-- the fan-out's insert stores a batch only while its run's row exists and fails loudly otherwise
-- (postgres-fan-out-store.ts), and retention deletes a run only once none of its messages is left
-- (postgres-retention.ts). The previous release's pods insert only through the same fan-out, after
-- storing the run.
alter table messages drop constraint messages_run_id_fkey;
