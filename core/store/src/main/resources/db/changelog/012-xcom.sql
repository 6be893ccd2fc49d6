--liquibase formatted sql

--changeset weft:012-xcom
-- Airflow's XComs pushed under a key by a task's code. A task's return value is not here: it is the task instance's
-- output (key 'return_value'). Both belong to the try that runs now: a claim deletes the rows of its task instance
-- and its output as the try starts (Airflow: XComs are cleared when a re-run starts executing, not when it is
-- cleared).
CREATE TABLE xcom (
    ti_id      BIGINT      NOT NULL REFERENCES task_instance (id) ON DELETE CASCADE,
    key        TEXT        NOT NULL,
    value      JSONB       NOT NULL,
    timestamp  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (ti_id, key)
);
