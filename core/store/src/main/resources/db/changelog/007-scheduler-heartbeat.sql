--liquibase formatted sql

--changeset weft:007-scheduler-instance
-- One row per scheduler process (weft scheduler, and the scheduler of weft server or standalone), with its latest
-- heartbeat, so that health reports the schedulers from their own heartbeats. A table of its own, not a kind of
-- worker: the worker table drives lost-worker recovery (its rows own tries), which must never see a scheduler.
CREATE TABLE scheduler_instance (
    scheduler_id TEXT PRIMARY KEY,
    hostname     TEXT        NOT NULL,
    pid          BIGINT      NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL,
    stopped_at   TIMESTAMPTZ
);
