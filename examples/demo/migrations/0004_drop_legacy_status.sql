-- DESTRUCTIVE: drops a column the previous release still reads. Rolling back past this release
-- loses data unless a restore is done; `steadyops rollback check` flags it and the release policy
-- requires a fresh restore drill of core-postgres.
ALTER TABLE orders DROP COLUMN legacy_status;
DROP TABLE order_status_history;
