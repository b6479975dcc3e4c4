-- Meta's per-user marketing limit (131049) is tried again later on a schedule (MARKETING_LIMIT_RETRY_DELAYS)
-- instead of failing at once. This counts how often the schedule has tried a message again, apart from
-- attempts, so the wait never spends the ordinary retry budget. A message waiting on the schedule is
-- PENDING with error_code 131049: Meta's code and title stay visible until the next attempt's answer.
alter table messages add column marketing_limit_retries integer not null default 0;

-- A test send (POST /v1/campaigns/{id}/test-send) is stored as a run of its own holding one message, so
-- it takes the normal path (claim, rate gate, breaker, statuses); it is not a campaign run, so its
-- completion is never announced (run.completed) and counts in no report.
alter table runs add column test_send boolean not null default false;
