--liquibase formatted sql

--changeset weft:004-cross-dag-sensor-deadlock
-- Since when every slot of a resource shared by all DAGs (the scheduler's parallelism, the live workers' slots) has
-- been held by poke-mode sensors while other tasks wait. One row while it lasts; none otherwise.
CREATE TABLE cross_dag_sensor_deadlock (
    resource TEXT        PRIMARY KEY,
    since    TIMESTAMPTZ NOT NULL
);
