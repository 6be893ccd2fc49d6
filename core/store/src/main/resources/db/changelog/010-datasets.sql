--liquibase formatted sql

--changeset weft:010-datasets
-- Airflow's datasets. A dataset row exists for every URI a DAG names (outlet or schedule) and is never deleted.
CREATE TABLE dataset (
    id         BIGSERIAL PRIMARY KEY,
    uri        TEXT        NOT NULL UNIQUE,
    extra      JSONB       NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- One update of a dataset: by a task's successful try (source_* set) or posted through the API. dedup_key is the
-- producer's idempotency key (extra.dedup_key): at most one event per dataset and key.
CREATE TABLE dataset_event (
    id               BIGSERIAL PRIMARY KEY,
    dataset_id       BIGINT      NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    extra            JSONB       NOT NULL DEFAULT '{}',
    source_dag_id    TEXT,
    source_task_id   TEXT,
    source_run_id    TEXT,
    source_map_index INTEGER     NOT NULL DEFAULT -1,
    source_try       INTEGER,
    dedup_key        TEXT,
    timestamp        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX dataset_event_dedup ON dataset_event (dataset_id, dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX dataset_event_by_source ON dataset_event (source_dag_id, source_run_id, source_task_id);
CREATE INDEX dataset_event_by_dataset ON dataset_event (dataset_id, timestamp);

-- The events each DAG scheduled on their dataset has not consumed yet, one row per event and DAG (Airflow keeps one
-- row per dataset and DAG and finds the events by time, which is where its duplicate and stranded runs come from).
-- A row leaves this table in the transaction that creates the run consuming it.
CREATE TABLE dataset_event_queue (
    target_dag_id TEXT        NOT NULL,
    event_id      BIGINT      NOT NULL REFERENCES dataset_event (id) ON DELETE CASCADE,
    dataset_id    BIGINT      NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (target_dag_id, event_id)
);

-- The events a dataset-triggered run consumed. The second key makes "one run per event and DAG" a fact of the
-- database, not only of the code that consumes.
CREATE TABLE dagrun_dataset_event (
    dag_run_id    BIGINT NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
    event_id      BIGINT NOT NULL REFERENCES dataset_event (id) ON DELETE CASCADE,
    target_dag_id TEXT   NOT NULL,
    PRIMARY KEY (dag_run_id, event_id),
    UNIQUE (target_dag_id, event_id)
);
CREATE INDEX dagrun_dataset_event_by_event ON dagrun_dataset_event (event_id);
