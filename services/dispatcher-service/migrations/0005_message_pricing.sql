-- What Meta bills for a message, from the `pricing` object of its status webhooks: whether it is
-- billable, under which pricing model and in which category. Read by the run report; null until a
-- status carrying pricing arrives (read and failed statuses carry none).
alter table messages
  add column category text,
  add column billable boolean,
  add column pricing_model text,
  -- Meta's error title alone (error_message joins it with the details), so errors group by code and title.
  add column error_title text;
