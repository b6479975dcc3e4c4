-- Room on each page for the versions DELIVERED and READ write there as HOT updates. At 80 a page's
-- free fifth holds the new versions of about three of its rows, so most status updates still moved
-- to another page and wrote index entries. bench:dispatch, 30,000 messages to the last READ, two
-- alternating runs each: HOT 26-29 % of all updates at 80, 36-38 % at 65 and at 50; PostgreSQL 0.24-0.28
-- CPU-ms per message at 80, 0.22-0.23 at 65, 0.22 at 50. 65 gains as much as 50 for less disk. Pages
-- written before this keep their old room until they are rewritten.
alter table messages set (fillfactor = 65);
