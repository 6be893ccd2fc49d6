--liquibase formatted sql

--changeset weft:011-external-lookup
-- What a try looked at in another DAG through its dagRuns() capability (an external-task sensor's run or task states
-- at a logical date, after execution_delta, execution_date_fn or a rendered execution_date): a recursive clear of
-- that task at that date reaches the try's task instance. task_id '' means the whole run was looked at.
CREATE TABLE external_lookup (
    sensor_ti_id BIGINT      NOT NULL REFERENCES task_instance (id) ON DELETE CASCADE,
    dag_id       TEXT        NOT NULL,
    task_id      TEXT        NOT NULL,
    logical_date TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (dag_id, logical_date, task_id, sensor_ti_id)
);
-- The cascade from task_instance looks rows up by the sensor.
CREATE INDEX external_lookup_sensor ON external_lookup (sensor_ti_id);

--changeset weft:011-awaits-trigger
-- A triggered run whose tasks a recursive clear cleared: it keeps its finished state until the task that triggered it
-- runs again and queues it, so its tasks run once, after the trigger, instead of at once and again on the trigger.
ALTER TABLE dag_run ADD COLUMN awaits_trigger BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX dag_run_triggered_by ON dag_run (triggered_by_dag_id, triggered_by_run_id, triggered_by_task_id)
    WHERE triggered_by_dag_id IS NOT NULL;
