--liquibase formatted sql

--changeset weft:017-dag-run-timeout-flag
-- The scheduler's housekeeping (every 5 s) looks for the running runs of DAGs with a dagrun_timeout. Reading that from
-- the spec detoasted every such DAG's whole JSON each time: 60 ms of the database's CPU every 5 s while a run of a
-- 100,000-task DAG was running. Kept beside the spec, it is computed once per write of the spec.
ALTER TABLE dag ADD COLUMN has_dagrun_timeout BOOLEAN GENERATED ALWAYS AS (spec ->> 'dagrunTimeout' IS NOT NULL) STORED;
