--liquibase formatted sql

--changeset weft:015-active-tries-index
-- The lost-worker check (every scheduler's housekeeping, every 5 s) reads the running and restarting tries: without an
-- index that holds exactly those, it scanned the whole task_instance table, history included (120 ms at a million
-- rows, every 5 s, per scheduler).
CREATE INDEX ti_held ON task_instance (worker_id) WHERE state IN ('running', 'restarting');
