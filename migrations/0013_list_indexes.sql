-- Indexes that the list query plans were missing (tests/flow/query_plans_test.cpp runs
-- EXPLAIN QUERY PLAN on every list with each sort and filter): the kind filter sorted by
-- filing date or by number sorted every patent of that kind in a temporary B-tree.
CREATE INDEX patents_by_kind_filing_date ON patents (kind, filing_date, number);
CREATE INDEX patents_by_kind_number ON patents (kind, number);
-- Keys listed newest first, ties by id: the whole order from the index, not only its left part.
DROP INDEX api_keys_by_org;
CREATE INDEX api_keys_by_org ON api_keys (org_id, created_at, id);
