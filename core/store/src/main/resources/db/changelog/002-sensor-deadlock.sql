--liquibase formatted sql

--changeset weft:002-sensor-deadlock
-- Since when every slot of a DAG (max_active_tasks) or a pool has been held by poke-mode sensors while other
-- tasks wait: the engine reports it and advises reschedule mode. NULL when not starved.
ALTER TABLE dag ADD COLUMN sensor_deadlock_since TIMESTAMPTZ;
ALTER TABLE pool ADD COLUMN sensor_deadlock_since TIMESTAMPTZ;
